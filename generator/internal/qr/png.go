package qr

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/png"
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

// PNG renders the code as an 8-bit grayscale PNG for places that cannot take
// SVG (office software that assembles the paper decision, some printers'
// drivers).
//
// Each module is the same whole number of pixels: the smallest scale at
// which the image, 4-module quiet zone included, is at least minPixels wide.
// Fractional scales would make modules of unequal width, which is exactly
// what a scanner's sampling grid cannot tolerate. The image may therefore be
// a little larger than minPixels (for a 41-module-wide image and 296 px:
// 8 px a module, 328 px).
//
// When dpi is positive, a pHYs chunk records it (as pixels per metre,
// round(dpi/0.0254)), so software that honours it places the image at the
// intended physical size without anyone typing a width. image/png writes no
// pHYs chunk, so it is spliced in before the first IDAT.
//
// The bytes are deterministic for a given Go toolchain (compress/flate may
// change between releases; the modules never do).
func (c *Code) PNG(minPixels, dpi int) []byte {
	total := c.Size + 2*QuietZone
	scale := 1
	if minPixels > total {
		scale = (minPixels + total - 1) / total
	}
	side := total * scale

	s := pngPool.Get().(*pngScratch)
	defer func() {
		// Do not let one oversized request pin memory in the pool.
		if cap(s.img.Pix) <= 1<<22 {
			pngPool.Put(s)
		}
	}()
	if cap(s.img.Pix) < side*side {
		s.img.Pix = make([]byte, side*side)
	}
	pix := s.img.Pix[:side*side]
	s.img.Pix, s.img.Stride, s.img.Rect = pix, side, image.Rect(0, 0, side, side)

	for i := range pix {
		pix[i] = 0xFF
	}
	q := QuietZone * scale
	for y := 0; y < c.Size; y++ {
		row := pix[(q+y*scale)*side:][:side]
		mods := c.mods[y*c.Size : (y+1)*c.Size]
		for x, m := range mods {
			if m != 0 {
				dark := row[q+x*scale:][:scale]
				for i := range dark {
					dark[i] = 0
				}
			}
		}
		for k := 1; k < scale; k++ {
			copy(pix[(q+y*scale+k)*side:][:side], row)
		}
	}

	s.buf.Reset()
	if err := pngEncoder.Encode(&s.buf, &s.img); err != nil {
		// Encoding an in-memory Gray image into a bytes.Buffer cannot
		// fail; if it does, the invariant is broken, not the input.
		panic("qr: png encoding failed: " + err.Error())
	}
	return withPHYs(s.buf.Bytes(), dpi)
}

// pngScratch is the per-call working memory of PNG, pooled because a site
// build renders up to a million codes and each image is ~100 KB of pixels.
type pngScratch struct {
	img image.Gray
	buf bytes.Buffer
}

var pngPool = sync.Pool{New: func() any { return new(pngScratch) }}

// pngEncoder compresses as hard as it can (the images are tiny and written
// once) and reuses its zlib state through the pool.
var pngEncoder = png.Encoder{CompressionLevel: png.BestCompression, BufferPool: &encoderPool{}}

type encoderPool struct{ p sync.Pool }

func (e *encoderPool) Get() *png.EncoderBuffer {
	b, _ := e.p.Get().(*png.EncoderBuffer)
	return b
}

func (e *encoderPool) Put(b *png.EncoderBuffer) { e.p.Put(b) }

// pngSignatureLen is the length of the 8-byte PNG file signature.
const pngSignatureLen = 8

// withPHYs returns a copy of the PNG src with a pHYs chunk (unit: metre)
// inserted before the first IDAT, where the PNG spec requires it. With a
// non-positive dpi, or one too large for the chunk, it returns a copy of
// src unchanged.
func withPHYs(src []byte, dpi int) []byte {
	ppm := math.Round(float64(dpi) / 0.0254)
	if dpi <= 0 || ppm > math.MaxInt32 {
		return append([]byte(nil), src...)
	}
	// Walk the chunks to the first IDAT.
	off := pngSignatureLen
	for off+8 <= len(src) {
		if string(src[off+4:off+8]) == "IDAT" {
			break
		}
		off += 12 + int(binary.BigEndian.Uint32(src[off:]))
	}
	const chunkLen = 4 + 4 + 9 + 4 // length, type, data, CRC
	out := make([]byte, 0, len(src)+chunkLen)
	out = append(out, src[:off]...)
	chunk := len(out)
	out = binary.BigEndian.AppendUint32(out, 9)
	out = append(out, "pHYs"...)
	out = binary.BigEndian.AppendUint32(out, uint32(ppm)) // x
	out = binary.BigEndian.AppendUint32(out, uint32(ppm)) // y
	out = append(out, 1)                                  // unit: metre
	out = binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[chunk+4:]))
	return append(out, src[off:]...)
}
