package main

import (
	"bytes"
	"encoding/binary"
	"flag"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"zfgs/generator/internal/qr"
	"zfgs/generator/internal/qr/qrtest"
)

var update = flag.Bool("update", false, "rewrite golden files")

func runQR(t *testing.T, args ...string) (int, []byte, string) {
	t.Helper()
	var stdout bytes.Buffer
	var stderr strings.Builder
	code := run(append([]string{"qr"}, args...), &stdout, &stderr)
	return code, stdout.Bytes(), stderr.String()
}

// `generator qr` on the base site: the SVG a clerk puts into the decision
// document, pinned byte for byte (go test -update rewrites it after an
// intended change; every printed code would change with it).
func TestQRCommandGolden(t *testing.T) {
	dir := writeSite(t, nil)
	code, svg, stderr := runQR(t, "CS-2025-0001", "--source", dir, "-o", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	golden := filepath.Join("testdata", "golden", "qr-CS-2025-0001.svg")
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, svg, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(svg, want) {
		t.Errorf("SVG differs from %s (run go test -update if intended)\n got: %.200s\nwant: %.200s", golden, svg, want)
	}
	url := testBase + "/c/CS-2025-0001/"
	if got, err := qrtest.DecodeSVG(svg); err != nil || got != url {
		t.Errorf("SVG decodes to %q (%v), want %q", got, err, url)
	}
	for _, want := range []string{`width="25mm" height="25mm"`, "<title>行政执法决定公示页二维码：" + url + "</title>"} {
		if !bytes.Contains(svg, []byte(want)) {
			t.Errorf("SVG lacks %s", want)
		}
	}

	// -o FILE writes the file and says what it made.
	out := filepath.Join(t.TempDir(), "code.svg")
	if code, _, stderr := runQR(t, "CS-2025-0001", "--source", dir, "-o", out); code != 0 || !strings.Contains(stderr, "纠错等级 Q") {
		t.Fatalf("-o: exit %d: %s", code, stderr)
	}
	if b, err := os.ReadFile(out); err != nil || !bytes.Equal(b, want) {
		t.Errorf("-o file differs from stdout output: %v", err)
	}
}

// --format png: a 1-bit PNG of at least 25 mm at 300 dpi, with the dpi in
// its pHYs chunk, that decodes to the case URL.
func TestQRCommandPNG(t *testing.T) {
	dir := writeSite(t, nil)
	code, data, stderr := runQR(t, "--format", "png", "--source", dir, "-o", "-", "CS-2025-0001")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	url := testBase + "/c/CS-2025-0001/"
	if got, err := qrtest.DecodePNG(data); err != nil || got != url {
		t.Errorf("PNG decodes to %q (%v), want %q", got, err, url)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if min := qr.PixelsFor(25, 300); cfg.Width < min || cfg.Height != cfg.Width {
		t.Errorf("PNG is %d×%d px, want a square of at least %d", cfg.Width, cfg.Height, min)
	}
	x, y, unit, ok := pngPHYs(data)
	if !ok || unit != 1 || x != 11811 || y != 11811 { // round(300 / 0.0254)
		t.Errorf("pHYs = %d×%d unit %d (found %v), want 11811×11811 px/m (300 dpi)", x, y, unit, ok)
	}
	if _, _, _, ok := pngPHYs(mustQR(t, "--format", "png", "--dpi", "600", "--source", dir, "-o", "-", "CS-2025-0001")); !ok {
		t.Error("--dpi 600: no pHYs")
	}
}

func mustQR(t *testing.T, args ...string) []byte {
	t.Helper()
	code, data, stderr := runQR(t, args...)
	if code != 0 {
		t.Fatalf("qr %v: exit %d: %s", args, code, stderr)
	}
	return data
}

// pngPHYs reads the pHYs chunk: pixels per unit on x and y, and the unit
// (1 = metre).
func pngPHYs(b []byte) (x, y uint32, unit byte, ok bool) {
	if len(b) < 8 || string(b[:8]) != "\x89PNG\r\n\x1a\n" {
		return 0, 0, 0, false
	}
	for p := 8; p+8 <= len(b); {
		n := int(binary.BigEndian.Uint32(b[p:]))
		typ := string(b[p+4 : p+8])
		if p+12+n > len(b) {
			return 0, 0, 0, false
		}
		if typ == "pHYs" && n == 9 {
			d := b[p+8 : p+17]
			return binary.BigEndian.Uint32(d), binary.BigEndian.Uint32(d[4:]), d[8], true
		}
		if typ == "IDAT" || typ == "IEND" {
			return 0, 0, 0, false // pHYs must come before the image data
		}
		p += 12 + n
	}
	return 0, 0, 0, false
}

// A case id that breaks the id rules is bad usage (exit 2), and nothing is
// written.
func TestQRCommandBadID(t *testing.T) {
	dir := writeSite(t, nil)
	work := t.TempDir()
	for _, id := range []string{"bad id", "../CS-1", "CS_2025_1", "案件1", "CS-2025-0001/", strings.Repeat("A", 41)} {
		out := filepath.Join(work, "out.svg")
		code, stdout, stderr := runQR(t, id, "--source", dir, "-o", out)
		if code != 2 || len(stdout) != 0 || !strings.Contains(stderr, "案件编号") {
			t.Errorf("qr %q: exit %d, stderr %q; want exit 2 naming the id rule", id, code, stderr)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("qr %q wrote a file", id)
		}
	}
	for _, args := range [][]string{{}, {"--format", "gif", "CS-1"}, {"CS-1", "CS-2"}, {"CS-1", "--size-mm", "5"}} {
		if code, _, _ := runQR(t, append(args, "--source", dir)...); code != 2 {
			t.Errorf("qr %v: exit %d, want 2", args, code)
		}
	}
}
