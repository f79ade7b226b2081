// Package qrtest reads QR codes back for tests: ZXing (gozxing) on images,
// a rasteriser for the exact one-path SVG that package qr writes, and
// zbarimg (Debian's zbar-tools) on files, so that every code the generator
// publishes is proven to scan to its URL by two independent decoders.
package qrtest

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os/exec"
	"regexp"
	"strconv"
	"strings"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"
)

// Decode runs the ZXing QR reader over img. The ISO-8859-1 hint makes the
// reader hand byte segments back one rune per byte, so arbitrary bytes
// round-trip exactly instead of going through charset guessing. pure tells
// the reader the image is an axis-aligned code (faster); leave it off to run
// the full finder-pattern detector, as a phone does.
func Decode(img image.Image, pure bool) (string, error) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	hints := map[gozxing.DecodeHintType]any{
		gozxing.DecodeHintType_CHARACTER_SET: "ISO-8859-1",
	}
	if pure {
		hints[gozxing.DecodeHintType_PURE_BARCODE] = true
	}
	res, err := zxqr.NewQRCodeReader().Decode(bmp, hints)
	if err != nil {
		return "", err
	}
	var out []byte
	for _, r := range res.GetText() {
		if r > 0xFF {
			return "", fmt.Errorf("decoded rune %U outside ISO-8859-1", r)
		}
		out = append(out, byte(r))
	}
	return string(out), nil
}

// DecodePNG decodes a PNG file's bytes and reads the code in it.
func DecodePNG(b []byte) (string, error) {
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return "", err
	}
	return Decode(img, false)
}

var (
	viewBoxRE = regexp.MustCompile(`viewBox="0 0 (\d+) (\d+)"`)
	pathRE    = regexp.MustCompile(`<path stroke="#000" d="([^"]*)"/>`)
	runRE     = regexp.MustCompile(`^(?:M(\d+) (\d+)\.5|m(\d+) 0)h(\d+)`)
)

// SVGRuns parses the SVG's single stroked path into its runs (x, y,
// length), failing if the path contains anything but a row's first run
// "M x y.5 h n" and the row's next ones "m gap 0 h n", or the white
// background is missing.
func SVGRuns(svg []byte) (side int, runs [][3]int, err error) {
	vb := viewBoxRE.FindSubmatch(svg)
	if vb == nil || string(vb[1]) != string(vb[2]) {
		return 0, nil, fmt.Errorf("no square viewBox in %.200s", svg)
	}
	side, _ = strconv.Atoi(string(vb[1]))
	if want := fmt.Sprintf(`<rect width="%d" height="%d" fill="#fff"/>`, side, side); !bytes.Contains(svg, []byte(want)) {
		return 0, nil, fmt.Errorf("no full-size white background rect %s", want)
	}
	p := pathRE.FindSubmatch(svg)
	if p == nil {
		return 0, nil, fmt.Errorf("no path")
	}
	d := p[1]
	x, y := -1, -1 // the pen: the end of the last run
	for len(d) > 0 {
		m := runRE.FindSubmatch(d)
		if m == nil {
			return 0, nil, fmt.Errorf("path data has unexpected content %.80q", d)
		}
		d = d[len(m[0]):]
		num := func(b []byte) int { v, _ := strconv.Atoi(string(b)); return v }
		if m[1] != nil {
			x, y = num(m[1]), num(m[2])
		} else {
			if x < 0 {
				return 0, nil, fmt.Errorf("relative move before any run: %s", m[0])
			}
			x += num(m[3])
		}
		n := num(m[4])
		if n <= 0 {
			return 0, nil, fmt.Errorf("malformed run %s", m[0])
		}
		runs = append(runs, [3]int{x, y, n})
		x += n
	}
	return side, runs, nil
}

// RasterSVG draws every run as a scale-pixel-high bar on a white canvas.
func RasterSVG(svg []byte, scale int) (*image.Gray, error) {
	side, runs, err := SVGRuns(svg)
	if err != nil {
		return nil, err
	}
	img := image.NewGray(image.Rect(0, 0, side*scale, side*scale))
	for i := range img.Pix {
		img.Pix[i] = 0xFF
	}
	for _, r := range runs {
		for y := r[1] * scale; y < (r[1]+1)*scale; y++ {
			for x := r[0] * scale; x < (r[0]+r[2])*scale; x++ {
				img.Pix[y*img.Stride+x] = 0
			}
		}
	}
	return img, nil
}

// DecodeSVG rasterises the SVG and reads the code in it.
func DecodeSVG(svg []byte) (string, error) {
	img, err := RasterSVG(svg, 6)
	if err != nil {
		return "", err
	}
	return Decode(img, false)
}

// Zbar reads the codes in image files with zbarimg (a second, independent
// decoder), returning one decoded text per file, in order.
func Zbar(zbarimg string, files ...string) ([]string, error) {
	args := append([]string{"-q", "--raw", "-Sdisable", "-Sqrcode.enable"}, files...)
	out, err := exec.Command(zbarimg, args...).Output()
	if err != nil {
		return nil, fmt.Errorf("zbarimg: %v", err)
	}
	return strings.Split(strings.TrimRight(string(out), "\n"), "\n"), nil
}
