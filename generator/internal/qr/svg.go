package qr

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// SVGOptions controls SVG output. The zero value is valid.
type SVGOptions struct {
	// SizeMM, when positive and finite, sets width and height in
	// millimetres, quiet zone included (so 25 means the printed square,
	// margin and all, is 25 mm). Zero leaves the size to the page's CSS,
	// which is what screen pages want; print templates set it so the
	// code comes out at a known physical size. The SVG never carries a
	// pixel size: pixels mean nothing on paper.
	SizeMM float64

	// Title, when not empty, becomes the <title> element, the SVG's
	// accessible name (for example "本案公示页面二维码"). It is escaped.
	Title string
}

// SVG renders the code as a standalone SVG document, the vector form the
// print templates use so the code stays sharp at any printer resolution.
//
// The output is compact and deterministic: a white background rect plus ONE
// stroked <path>, a horizontal line one module wide through the middle of
// each row's dark runs: "M x y.5 h n" for a row's first run, "m gap 0 h n"
// for the next ones, in module units inside a viewBox that includes the
// 4-module quiet zone. Butt caps end each line exactly on the module edge,
// so the drawn area is the dark modules, as with filled rectangles; this is
// the form of the widely used qrcode npm package. A million case pages
// each have one, so size matters: at about 2.4 KB for a typical case URL
// it fits one 4 KB file-system block, where filled run rectangles
// ("M x y h n v1 h-n z", 5.4 KB) took two.
// shape-rendering="crispEdges" stops renderers anti-aliasing the seams
// between rows into grey hairlines. There is no XML prolog, so the same
// bytes work as a file and inlined in HTML.
func (c *Code) SVG(opt SVGOptions) []byte {
	n := c.Size
	side := n + 2*QuietZone

	// Size the buffer once: count the runs and allow the longest form of
	// each ("M" + 3 digits + " " + 3 digits + ".5h" + 3 digits is 14
	// bytes) and of the title (escaping at most quintuples a byte: "&"
	// becomes "&amp;").
	runs := 0
	for y := 0; y < n; y++ {
		row := c.mods[y*n : y*n+n]
		for x := 0; x < n; x++ {
			if row[x] != 0 && (x == 0 || row[x-1] == 0) {
				runs++
			}
		}
	}
	b := make([]byte, 0, 256+5*len(opt.Title)+14*runs)

	b = append(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 `...)
	b = strconv.AppendInt(b, int64(side), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(side), 10)
	b = append(b, '"')
	if mm := opt.SizeMM; mm > 0 && !math.IsInf(mm, 0) {
		b = append(b, ` width="`...)
		b = strconv.AppendFloat(b, mm, 'f', -1, 64)
		b = append(b, `mm" height="`...)
		b = strconv.AppendFloat(b, mm, 'f', -1, 64)
		b = append(b, `mm"`...)
	}
	b = append(b, ` shape-rendering="crispEdges" role="img">`...)
	if opt.Title != "" {
		b = append(b, "<title>"...)
		b = appendEscaped(b, opt.Title)
		b = append(b, "</title>"...)
	}
	b = append(b, `<rect width="`...)
	b = strconv.AppendInt(b, int64(side), 10)
	b = append(b, `" height="`...)
	b = strconv.AppendInt(b, int64(side), 10)
	b = append(b, `" fill="#fff"/><path stroke="#000" d="`...)
	for y := 0; y < n; y++ {
		row := c.mods[y*n : y*n+n]
		end := -1 // where the row's previous run ended; -1: none yet
		for x := 0; x < n; {
			if row[x] == 0 {
				x++
				continue
			}
			start := x
			for x < n && row[x] != 0 {
				x++
			}
			if end < 0 {
				b = append(b, 'M')
				b = strconv.AppendInt(b, int64(start+QuietZone), 10)
				b = append(b, ' ')
				b = strconv.AppendInt(b, int64(y+QuietZone), 10)
				b = append(b, ".5h"...)
			} else {
				b = append(b, 'm')
				b = strconv.AppendInt(b, int64(start-end), 10)
				b = append(b, " 0h"...)
			}
			b = strconv.AppendInt(b, int64(x-start), 10)
			end = x
		}
	}
	b = append(b, "\"/></svg>\n"...)
	return b
}

// appendEscaped appends s as XML character data. Characters XML 1.0 cannot
// carry at all (most C0 controls, invalid UTF-8) become U+FFFD rather than
// producing a document browsers refuse to render.
func appendEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '&':
			b = append(b, "&amp;"...)
		case r == '<':
			b = append(b, "&lt;"...)
		case r == '>':
			b = append(b, "&gt;"...)
		case r == utf8.RuneError && size == 1, !xmlChar(r):
			b = utf8.AppendRune(b, utf8.RuneError)
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return b
}

// xmlChar reports whether r is in the Char production of XML 1.0.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		0x20 <= r && r <= 0xD7FF ||
		0xE000 <= r && r <= 0xFFFD ||
		0x10000 <= r && r <= 0x10FFFF
}
