package qr

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"hash/crc32"
	"image"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	rscqr "rsc.io/qr"
	"rsc.io/qr/coding"
	"zfgs/generator/internal/qr/qrtest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const typicalURL = "https://zfgs.jiangmen.gov.cn/c/JM-SCJG-2025-0012/"

// testURLs covers the shapes the generator produces: short, typical, long
// (~120 bytes), all-uppercase (pure alphanumeric mode) and all-lowercase
// (pure byte mode).
var testURLs = []string{
	"https://a.cn/c/1/",
	typicalURL,
	"HTTPS://ZFGS.JIANGMEN.GOV.CN/C/JM-SCJG-2025-0012/",
	"https://zfgs.jiangmen.gov.cn/c/jm-scjg-2025-0012/",
	"https://xzzf.jiangmen.gov.cn/shichangjianduguanliju/xingzhengchufa/c/JM-SCJG-2025-001234/?from=paper&v=2#jueding",
}

var levels = []Level{L, M, Q, H}

func decode(img image.Image, pure bool) (string, error) { return qrtest.Decode(img, pure) }

func mustEncode(t testing.TB, text string, l Level) *Code {
	t.Helper()
	c, err := Encode(text, l)
	if err != nil {
		t.Fatalf("Encode(%q, %v): %v", text, l, err)
	}
	return c
}

func decodePNG(t testing.TB, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("png.Decode: %v", err)
	}
	return img
}

func svgRuns(t testing.TB, svg []byte) (int, [][3]int) {
	t.Helper()
	side, runs, err := qrtest.SVGRuns(svg)
	if err != nil {
		t.Fatal(err)
	}
	return side, runs
}

func rasterSVG(t testing.TB, svg []byte, scale int) *image.Gray {
	t.Helper()
	img, err := qrtest.RasterSVG(svg, scale)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func TestParseLevel(t *testing.T) {
	for _, l := range levels {
		got, err := ParseLevel(l.String())
		if err != nil || got != l {
			t.Errorf("ParseLevel(%q) = %v, %v; want %v", l.String(), got, err, l)
		}
	}
	for _, s := range []string{"", "l", "q", "X", " Q", "QQ", "Level(2)"} {
		if _, err := ParseLevel(s); err == nil {
			t.Errorf("ParseLevel(%q) succeeded; want error", s)
		}
	}
	if got := Level(7).String(); got != "Level(7)" {
		t.Errorf("Level(7).String() = %q", got)
	}
}

// TestRoundTrip is the test that matters: every URL shape at every level,
// rendered as PNG and as SVG, read back by a real QR decoder.
func TestRoundTrip(t *testing.T) {
	for _, u := range testURLs {
		for _, l := range levels {
			t.Run(fmt.Sprintf("%v/%d", l, len(u)), func(t *testing.T) {
				c := mustEncode(t, u, l)
				if c.Size != 17+4*c.Version || c.Level != l || c.Mask < 0 || c.Mask > 7 {
					t.Fatalf("inconsistent code: size %d version %d level %v mask %d", c.Size, c.Version, c.Level, c.Mask)
				}

				got, err := decode(decodePNG(t, c.PNG(PixelsFor(25, 300), 300)), false)
				if err != nil || got != u {
					t.Errorf("PNG decodes to %q, %v; want %q", got, err, u)
				}

				svg := c.SVG(SVGOptions{SizeMM: 25, Title: "二维码"})
				if n := bytes.Count(svg, []byte("<path")); n != 1 {
					t.Errorf("SVG has %d <path elements; want 1", n)
				}
				got, err = decode(rasterSVG(t, svg, 5), false)
				if err != nil || got != u {
					t.Errorf("SVG decodes to %q, %v; want %q", got, err, u)
				}
			})
		}
	}
}

// TestModulesMatchSVG checks the SVG runs cover exactly the dark modules,
// offset by the quiet zone, and that nothing is drawn in the quiet zone.
func TestModulesMatchSVG(t *testing.T) {
	c := mustEncode(t, typicalURL, Q)
	side, runs := svgRuns(t, c.SVG(SVGOptions{}))
	if side != c.Size+2*QuietZone {
		t.Fatalf("viewBox side %d; want %d", side, c.Size+2*QuietZone)
	}
	drawn := make(map[[2]int]bool)
	for _, r := range runs {
		if r[0] < QuietZone || r[1] < QuietZone || r[0]+r[2] > side-QuietZone || r[1]+1 > side-QuietZone {
			t.Fatalf("run %v reaches into the quiet zone", r)
		}
		for x := r[0]; x < r[0]+r[2]; x++ {
			drawn[[2]int{x - QuietZone, r[1] - QuietZone}] = true
		}
	}
	for y := -QuietZone; y < c.Size+QuietZone; y++ {
		for x := -QuietZone; x < c.Size+QuietZone; x++ {
			if c.Black(x, y) != drawn[[2]int{x, y}] {
				t.Fatalf("module (%d,%d): Black=%v, drawn=%v", x, y, c.Black(x, y), drawn[[2]int{x, y}])
			}
		}
	}
}

type pngChunk struct {
	typ  string
	data []byte
}

// pngChunks splits a PNG into chunks, checking the signature and every CRC.
func pngChunks(t testing.TB, b []byte) []pngChunk {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("no PNG signature")
	}
	var chunks []pngChunk
	for off := 8; off < len(b); {
		if off+12 > len(b) {
			t.Fatalf("truncated chunk at %d", off)
		}
		n := int(binary.BigEndian.Uint32(b[off:]))
		end := off + 8 + n
		if end+4 > len(b) {
			t.Fatalf("chunk at %d overruns the file", off)
		}
		if got, want := binary.BigEndian.Uint32(b[end:]), crc32.ChecksumIEEE(b[off+4:end]); got != want {
			t.Fatalf("chunk %q: CRC %08x, want %08x", b[off+4:off+8], got, want)
		}
		chunks = append(chunks, pngChunk{string(b[off+4 : off+8]), b[off+8 : end]})
		off = end + 4
	}
	return chunks
}

func TestPNGFormat(t *testing.T) {
	c := mustEncode(t, typicalURL, Q)
	min := PixelsFor(25, 300)
	b := c.PNG(min, 300)

	chunks := pngChunks(t, b)
	var order []string
	for _, ch := range chunks {
		order = append(order, ch.typ)
	}
	if len(order) < 4 || order[0] != "IHDR" || order[1] != "pHYs" || order[2] != "IDAT" || order[len(order)-1] != "IEND" {
		t.Fatalf("chunk order %v; want IHDR pHYs IDAT… IEND", order)
	}
	ihdr := chunks[0].data
	if depth, ct := ihdr[8], ihdr[9]; depth != 1 || ct != 0 {
		t.Errorf("bit depth %d colour type %d; want 1-bit grayscale (1, 0)", depth, ct)
	}
	phys := chunks[1].data
	if x, y, unit := binary.BigEndian.Uint32(phys), binary.BigEndian.Uint32(phys[4:]), phys[8]; x != 11811 || y != 11811 || unit != 1 {
		t.Errorf("pHYs = %d×%d unit %d; want 11811×11811 per metre (300 dpi)", x, y, unit)
	}

	img := decodePNG(t, b)
	total := c.Size + 2*QuietZone
	w := img.Bounds().Dx()
	if w != img.Bounds().Dy() || w < min || w%total != 0 {
		t.Fatalf("image %v: want square, >= %d px, a whole multiple of %d modules", img.Bounds(), min, total)
	}
	scale := w / total
	if (scale-1)*total >= min {
		t.Errorf("scale %d is not the smallest reaching %d px", scale, min)
	}
	t.Logf("%d px (%d px/module), %d bytes", w, scale, len(b))

	// Every pixel matches its module; the 4-module quiet zone is white.
	for y := 0; y < w; y++ {
		for x := 0; x < w; x++ {
			r, _, _, _ := img.At(x, y).RGBA()
			mx, my := x/scale-QuietZone, y/scale-QuietZone
			if dark := r == 0; dark != c.Black(mx, my) {
				t.Fatalf("pixel (%d,%d) dark=%v; module (%d,%d) Black=%v", x, y, dark, mx, my, c.Black(mx, my))
			}
			if (mx < 0 || my < 0 || mx >= c.Size || my >= c.Size) && r != 0xFFFF {
				t.Fatalf("quiet-zone pixel (%d,%d) is not white", x, y)
			}
		}
	}
}

func TestPNGWithoutDPI(t *testing.T) {
	c := mustEncode(t, typicalURL, M)
	for _, ch := range pngChunks(t, c.PNG(0, 0)) {
		if ch.typ == "pHYs" {
			t.Fatal("pHYs written for dpi 0")
		}
	}
	img := decodePNG(t, c.PNG(0, 0))
	if w := img.Bounds().Dx(); w != c.Size+2*QuietZone {
		t.Errorf("minPixels 0: width %d; want 1 px per module (%d)", w, c.Size+2*QuietZone)
	}
}

func TestPixelsFor(t *testing.T) {
	for _, tc := range []struct {
		mm   float64
		dpi  int
		want int
	}{
		{25, 300, 296},
		{25.4, 300, 300},
		{50.8, 300, 600},
		{25, 600, 591},
		{20, 300, 237},
		{0, 300, 0},
		{-1, 300, 0},
		{25, 0, 0},
	} {
		if got := PixelsFor(tc.mm, tc.dpi); got != tc.want {
			t.Errorf("PixelsFor(%v, %d) = %d; want %d", tc.mm, tc.dpi, got, tc.want)
		}
	}
}

// TestTypicalURL pins what the generator's real URLs become, and shows the
// gain from mixed-mode segments over rsc.io/qr's own single-mode Encode.
func TestTypicalURL(t *testing.T) {
	for _, tc := range []struct {
		l          Level
		version    int
		rscVersion int // rsc.io/qr.Encode, single mode
		moduleMM25 string
	}{
		{Q, 4, 5, "0.610"},
		{M, 4, 4, "0.610"},
	} {
		c := mustEncode(t, typicalURL, tc.l)
		r, err := rscqr.Encode(typicalURL, rscqr.Level(tc.l))
		if err != nil {
			t.Fatal(err)
		}
		mm := fmt.Sprintf("%.3f", 25/float64(c.Size+2*QuietZone))
		t.Logf("%v: version %d, %d modules (rsc.io/qr.Encode: %d), %s mm/module at 25 mm", tc.l, c.Version, c.Size, r.Size, mm)
		if c.Version != tc.version || (r.Size-17)/4 != tc.rscVersion || mm != tc.moduleMM25 {
			t.Errorf("%v: version %d (rsc %d), %s mm; want %d (rsc %d), %s mm", tc.l, c.Version, (r.Size-17)/4, mm, tc.version, tc.rscVersion, tc.moduleMM25)
		}
	}
}

// TestSegmentation checks the dynamic programme never does worse than the
// best single mode, and that the segments reassemble the text.
func TestSegmentation(t *testing.T) {
	texts := append([]string{
		"0", "A", "a", "0123456789", "ABC123", "abc",
		"https://x.cn/c/2025-000123456789/",
		"HTTPS://X.CN/C/ab",
		"\xff\x00\x80漢字0123456789012345",
	}, testURLs...)
	for _, text := range texts {
		for class, v := range []coding.Version{1, 10, 27} {
			segs := segment(nil, text, class, make([]uint8, 4*len(text)))
			for _, s := range segs {
				if err := s.Check(); err != nil {
					t.Fatalf("%q: segment %v: %v", text, s, err)
				}
			}
			bits, ok := segBits(segs, v, class)
			if !ok {
				t.Fatalf("%q: count overflow", text)
			}
			single := coding.String(text).Bits(v)
			if coding.Alpha(text).Check() == nil {
				single = min(single, coding.Alpha(text).Bits(v))
			}
			if coding.Num(text).Check() == nil {
				single = min(single, coding.Num(text).Bits(v))
			}
			if bits > single {
				t.Errorf("%q class %d: %d bits in %v; single mode needs %d", text, class, bits, segs, single)
			}
			var joined string
			for _, s := range segs {
				switch s := s.(type) {
				case coding.Num:
					joined += string(s)
				case coding.Alpha:
					joined += string(s)
				case coding.String:
					joined += string(s)
				}
			}
			if joined != text {
				t.Errorf("segments %v join to %q; want %q", segs, joined, text)
			}
		}
	}
}

func TestSVGOptions(t *testing.T) {
	c := mustEncode(t, typicalURL, Q)

	plain := string(c.SVG(SVGOptions{}))
	if !strings.HasPrefix(plain, "<svg ") {
		t.Errorf("SVG does not start with <svg: %.40q", plain)
	}
	for _, want := range []string{`viewBox="0 0 41 41"`, `shape-rendering="crispEdges"`, `role="img"`, `fill="#fff"`} {
		if !strings.Contains(plain, want) {
			t.Errorf("SVG lacks %s", want)
		}
	}
	open := plain[:strings.Index(plain, ">")+1]
	for _, bad := range []string{" width=", " height=", "px", "<title>", "<?xml"} {
		if strings.Contains(open, bad) || bad != " width=" && bad != " height=" && strings.Contains(plain, bad) {
			t.Errorf("SVG without options contains %q", bad)
		}
	}

	sized := string(c.SVG(SVGOptions{SizeMM: 25.5}))
	if !strings.Contains(sized, ` width="25.5mm" height="25.5mm"`) {
		t.Errorf("SizeMM 25.5 not rendered: %.200s", sized)
	}

	titled := string(c.SVG(SVGOptions{Title: "案件 <a & b> \x01\xff"}))
	if !strings.Contains(titled, "<title>案件 &lt;a &amp; b&gt; \uFFFD\uFFFD</title>") {
		t.Errorf("title not escaped: %.300s", titled)
	}
}

// TestDeterministic guards the promise that rebuilding a site does not
// change a million files: same input, same bytes, also under concurrency
// (the plan cache is shared).
func TestDeterministic(t *testing.T) {
	c := mustEncode(t, typicalURL, Q)
	svg, pngb := c.SVG(SVGOptions{SizeMM: 25}), c.PNG(296, 300)
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				d, err := Encode(typicalURL, Q)
				if err != nil {
					errs <- err.Error()
					return
				}
				if !bytes.Equal(d.SVG(SVGOptions{SizeMM: 25}), svg) || !bytes.Equal(d.PNG(296, 300), pngb) {
					errs <- "output differs between calls"
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
}

// TestGolden pins the exact SVG of one URL. A diff here means every printed
// code would look different after the change (still scanning to the same
// URL): make sure that is intended, then run go test -update.
func TestGolden(t *testing.T) {
	c := mustEncode(t, typicalURL, Q)
	got := c.SVG(SVGOptions{SizeMM: 25, Title: "本案公示页面二维码"})
	path := filepath.Join("testdata", "typical-Q.svg")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("SVG differs from %s (run go test -update if the change is intended)\ngot:  %.300s\nwant: %.300s", path, got, want)
	}
}

func TestEncodeErrors(t *testing.T) {
	for _, tc := range []struct {
		text string
		l    Level
	}{
		{"", Q},
		{"x", Level(-1)},
		{"x", Level(4)},
		{strings.Repeat("\xff", 2954), L}, // version 40-L holds 2953 bytes
		{strings.Repeat("9", 7090), L},    // and 7089 digits
		{strings.Repeat("a", 1274), H},    // 40-H holds 1273 bytes
	} {
		if c, err := Encode(tc.text, tc.l); err == nil {
			t.Errorf("Encode(%d bytes, %v) = version %d; want error", len(tc.text), tc.l, c.Version)
		}
	}
	for _, tc := range []struct {
		text string
		l    Level
	}{
		{strings.Repeat("\xff", 2953), L},
		{strings.Repeat("9", 7089), L},
		{strings.Repeat("a", 1273), H},
	} {
		if c, err := Encode(tc.text, tc.l); err != nil || c.Version != 40 {
			t.Errorf("Encode(%d bytes, %v) = %v; want version 40", len(tc.text), tc.l, err)
		}
	}
}

// TestLargeVersionDecodes covers the multi-block, version-information
// path (versions 7 and up) that URLs never reach.
func TestLargeVersionDecodes(t *testing.T) {
	text := strings.Repeat("https://zfgs.jiangmen.gov.cn/c/JM-SCJG-2025-0012/", 8)
	for _, l := range levels {
		c := mustEncode(t, text, l)
		got, err := decode(decodePNG(t, c.PNG(4*(c.Size+8), 0)), false)
		if err != nil || got != text {
			t.Errorf("%v version %d: decodes to %q, %v", l, c.Version, got, err)
		}
	}
}

// refPenalty is a literal transcription of ISO/IEC 18004 §7.8.3, slow and
// obvious, against which the optimised penalty is checked. Which mask wins
// decides what every printed code looks like, so the two must agree.
func refPenalty(mods []byte, n int) int {
	at := func(x, y int) byte {
		if x < 0 || y < 0 || x >= n || y >= n {
			return 0 // the quiet zone is light
		}
		return mods[y*n+x]
	}
	finder := []byte{1, 0, 1, 1, 1, 0, 1}
	total := 0
	for _, transpose := range []bool{false, true} {
		get := func(line, i int) byte {
			if transpose {
				return at(line, i)
			}
			return at(i, line)
		}
		for line := 0; line < n; line++ {
			run := 0
			for i := 0; i < n; i++ {
				if i > 0 && get(line, i) == get(line, i-1) {
					run++
				} else {
					run = 1
				}
				// Score a run when it ends.
				if run >= 5 && (i == n-1 || get(line, i+1) != get(line, i)) {
					total += 3 + run - 5
				}
				match := i+6 < n
				for k := 0; match && k < 7; k++ {
					match = get(line, i+k) == finder[k]
				}
				if match {
					before := get(line, i-1) | get(line, i-2) | get(line, i-3) | get(line, i-4)
					after := get(line, i+7) | get(line, i+8) | get(line, i+9) | get(line, i+10)
					if before == 0 || after == 0 {
						total += 40
					}
				}
			}
		}
	}
	dark := 0
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			c := at(x, y)
			dark += int(c)
			if x < n-1 && y < n-1 && at(x+1, y) == c && at(x, y+1) == c && at(x+1, y+1) == c {
				total += 3
			}
		}
	}
	k := (dark*2 - n*n) * 10 / (n * n)
	if k < 0 {
		k = -k
	}
	return total + k*10
}

func TestPenaltyMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for it := 0; it < 500; it++ {
		n := 21 + 4*r.IntN(40)
		m := make([]byte, n*n)
		p := r.Float64()
		for i := range m {
			if r.Float64() < p {
				m[i] = 1
			}
		}
		if it%2 == 0 { // plant finder look-alikes, some at the edges
			for k := 0; k < 20; k++ {
				y, x := r.IntN(n), r.IntN(n-6)
				for j, b := range []byte{1, 0, 1, 1, 1, 0, 1} {
					m[y*n+x+j] = b
				}
			}
		}
		if got, want := penalty(m, n), refPenalty(m, n); got != want {
			t.Fatalf("size %d, dark share %.2f: penalty %d, reference %d", n, p, got, want)
		}
	}
	// On real symbols the chosen mask must be the reference's choice among
	// the masks without a false finder pattern (finder.go): the lowest
	// penalty, the lower mask number on a tie. Codeword placement does not
	// depend on the mask, so the symbol under mask m is the chosen one with
	// the chosen layout's base swapped for mask m's.
	for _, u := range testURLs {
		for _, l := range levels {
			c := mustEncode(t, u, l)
			chosen, err := getLayout(coding.Version(c.Version), coding.Level(l), c.Mask)
			if err != nil {
				t.Fatal(err)
			}
			best := refPenalty(c.mods, c.Size)
			if hasFalseFinder(c.mods, c.Size) {
				t.Errorf("%q at %v: mask %d has a false finder pattern", u, l, c.Mask)
			}
			for m := 0; m < 8; m++ {
				lay, err := getLayout(coding.Version(c.Version), coding.Level(l), m)
				if err != nil {
					t.Fatal(err)
				}
				mods := make([]byte, len(c.mods))
				for i := range mods {
					mods[i] = c.mods[i] ^ chosen.base[i] ^ lay.base[i]
				}
				if hasFalseFinder(mods, c.Size) {
					continue
				}
				if pen := refPenalty(mods, c.Size); pen < best || pen == best && m < c.Mask {
					t.Errorf("%q at %v: mask %d chosen (penalty %d), but mask %d scores %d", u, l, c.Mask, best, m, pen)
				}
			}
		}
	}
}

// FuzzEncode checks Encode never panics, and that whatever it encodes (up
// to 200 bytes, to keep each iteration fast) decodes back byte for byte.
func FuzzEncode(f *testing.F) {
	for _, u := range testURLs {
		f.Add(u)
	}
	for _, s := range []string{"", "0", "A", "a", "0123456789", "ABC DEF", "\x00\xff", "漢字", "9A9A9A9aaaa999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		l := Level(len(text) % 4)
		c, err := Encode(text, l)
		if err != nil {
			if text != "" && len(text) <= 1273 {
				t.Fatalf("Encode(%q, %v): %v", text, l, err)
			}
			return
		}
		if len(text) > 200 {
			return
		}
		got, err := decode(decodePNG(t, c.PNG(0, 0)), true)
		if err != nil || got != text {
			t.Fatalf("Encode(%q, %v) version %d decodes to %q, %v", text, l, c.Version, got, err)
		}
	})
}

func BenchmarkEncode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Encode(typicalURL, Q); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSVG(b *testing.B) {
	c := mustEncode(b, typicalURL, Q)
	b.ReportAllocs()
	for b.Loop() {
		c.SVG(SVGOptions{SizeMM: 25, Title: "本案公示页面二维码"})
	}
}

func BenchmarkPNG(b *testing.B) {
	c := mustEncode(b, typicalURL, Q)
	b.ReportAllocs()
	for b.Loop() {
		c.PNG(296, 300)
	}
}

// TestLinePenaltyBits: the bitset scoring of a line agrees with the
// module-by-module one on random lines of every size it takes, dense and
// sparse (long runs) and with planted finder look-alikes.
func TestLinePenaltyBits(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for it := 0; it < 50000; it++ {
		n := 21 + r.IntN(maxBitsSide-21+1)
		line := make([]byte, n+8)
		p := r.Float64()
		for i := 0; i < n; i++ {
			if r.Float64() < p {
				line[4+i] = 1
			}
		}
		if it%3 == 0 {
			at := r.IntN(n - 6)
			copy(line[4+at:], []byte{1, 0, 1, 1, 1, 0, 1})
		}
		var w uint64
		for i := 0; i < n; i++ {
			w |= uint64(line[4+i]) << i
		}
		if a, b := linePenalty(line), linePenaltyBits(w, n); a != b {
			t.Fatalf("size %d, line %v: bits %d, modules %d", n, line[4:n+4], b, a)
		}
	}
}
