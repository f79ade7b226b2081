package qr

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"math"
	"sync"
)

// PixelsFor returns how many pixels it takes to print sizeMM millimetres at
// dpi dots per inch, rounded up so the image is never smaller than asked:
// PixelsFor(25, 300) is 296. It returns 0 for a non-positive or non-finite
// size or a non-positive dpi.
func PixelsFor(sizeMM float64, dpi int) int {
	if !(sizeMM > 0) || math.IsInf(sizeMM, 0) || dpi <= 0 {
		return 0
	}
	px := sizeMM * float64(dpi) / 25.4
	// The tolerance keeps an exact product such as 50.8 mm at 300 dpi
	// (600 px) from becoming 601 through floating-point noise.
	return int(math.Ceil(px - 1e-9))
}

// PNG renders the code as a 1-bit grayscale PNG for places that cannot take
// SVG (office software that assembles the paper decision, some printers'
// drivers).
//
// Each module is the same whole number of pixels: the smallest scale at
// which the image, 4-module quiet zone included, is at least minPixels wide
// (at least 1). Fractional scales would make modules of unequal width,
// which is exactly what a scanner's sampling grid cannot tolerate. The image
// may therefore be a little larger than minPixels (41 modules and 296 px
// give 8 px a module, 328 px).
//
// When dpi is positive, a pHYs chunk records it (as pixels per metre,
// round(dpi/0.0254)), so software that honours it places the image at the
// intended physical size without anyone typing a width.
//
// The file is written here rather than by image/png: image/png cannot write
// 1-bit grayscale (only 8-bit, 8× the pixels to filter and deflate) nor a
// pHYs chunk, and at a million codes its 8-bit path costs 0.3–10 ms and
// 1.1–1.7 KB a code against ~0.035 ms and ~0.7 KB here. The first pixel
// row of each module row uses filter 0 and the rows repeating it filter Up,
// which turns them into zeros that the fastest deflate level packs without
// searching: 35 µs and 0.7 KB for 41×41 modules at 300 dpi, where level 4
// on unfiltered rows took 70–95 µs for 0.5 KB (both one file-system block;
// at a million codes the difference is a minute of CPU). The bytes are
// deterministic for a given Go toolchain (compress/flate may change
// between releases; the pixels never do).
//
// The raw image takes side²/8 bytes; minPixels comes from configuration,
// which should keep it to print sizes (25 mm at 1200 dpi is 1182 px).
func (c *Code) PNG(minPixels, dpi int) []byte {
	total := c.Size + 2*QuietZone
	scale := 1
	if minPixels > total {
		scale = (minPixels + total - 1) / total
	}
	side := total * scale
	stride := 1 + (side+7)/8 // filter byte, then 8 pixels a byte

	s := pngPool.Get().(*pngScratch)
	defer func() {
		// Do not let one oversized request pin memory in the pool.
		if cap(s.raw) <= 1<<22 {
			pngPool.Put(s)
		}
	}()
	if cap(s.raw) < stride*side {
		s.raw = make([]byte, stride*side)
	}
	raw := s.raw[:stride*side]

	// Raw scanlines: 1 is white, 0 is black. Padding bits past the right
	// edge are white too, so the bytes are fully determined.
	for my := -QuietZone; my < c.Size+QuietZone; my++ {
		off := (my + QuietZone) * scale * stride
		line := raw[off : off+stride]
		line[0] = 0 // filter: none
		bits := line[1:]
		for i := range bits {
			bits[i] = 0xFF
		}
		if 0 <= my && my < c.Size {
			for mx, m := range c.mods[my*c.Size : (my+1)*c.Size] {
				if m == 0 {
					continue
				}
				for px := (mx + QuietZone) * scale; px < (mx+QuietZone+1)*scale; px++ {
					bits[px>>3] &^= 0x80 >> (px & 7)
				}
			}
		}
		for k := 1; k < scale; k++ {
			r := raw[off+k*stride : off+(k+1)*stride]
			clear(r)
			r[0] = 2 // filter Up: the same pixels as the row above
		}
	}

	s.z.Reset()
	if s.zw == nil {
		// BestSpeed: see the doc comment. Level 9 spends ~1 ms walking
		// long hash chains through the repeated rows for no gain.
		s.zw, _ = zlib.NewWriterLevel(&s.z, zlib.BestSpeed)
	} else {
		s.zw.Reset(&s.z)
	}
	// Writes into a bytes.Buffer cannot fail.
	s.zw.Write(raw)
	s.zw.Close()
	idat := s.z.Bytes()

	ppm := math.Round(float64(dpi) / 0.0254)
	withPHYs := dpi > 0 && ppm <= math.MaxInt32

	n := len(pngSignature) + 12 + 13 + 12 + len(idat) + 12
	if withPHYs {
		n += 12 + 9
	}
	out := make([]byte, 0, n)
	out = append(out, pngSignature...)

	out, start := beginChunk(out, "IHDR", 13)
	out = binary.BigEndian.AppendUint32(out, uint32(side))
	out = binary.BigEndian.AppendUint32(out, uint32(side))
	out = append(out, 1, 0, 0, 0, 0) // depth 1, grayscale, deflate, adaptive filtering, no interlace
	out = endChunk(out, start)

	if withPHYs {
		out, start = beginChunk(out, "pHYs", 9)
		out = binary.BigEndian.AppendUint32(out, uint32(ppm)) // x
		out = binary.BigEndian.AppendUint32(out, uint32(ppm)) // y
		out = append(out, 1)                                  // unit: metre
		out = endChunk(out, start)
	}

	out, start = beginChunk(out, "IDAT", len(idat))
	out = append(out, idat...)
	out = endChunk(out, start)

	out, start = beginChunk(out, "IEND", 0)
	return endChunk(out, start)
}

const pngSignature = "\x89PNG\r\n\x1a\n"

// beginChunk appends a chunk's length and type and returns where the CRC'd
// part (type and data) starts.
func beginChunk(b []byte, typ string, length int) ([]byte, int) {
	b = binary.BigEndian.AppendUint32(b, uint32(length))
	return append(b, typ...), len(b)
}

// endChunk appends the CRC of the chunk that began at start.
func endChunk(b []byte, start int) []byte {
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[start:]))
}

// pngScratch is the per-call working memory of PNG, pooled because a site
// build renders up to a million codes: the raw scanlines and a zlib writer,
// whose compressor state is several hundred KB.
type pngScratch struct {
	raw []byte
	z   bytes.Buffer
	zw  *zlib.Writer
}

var pngPool = sync.Pool{New: func() any { return new(pngScratch) }}
