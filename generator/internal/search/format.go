package search

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"io"
	"slices"
)

// The index files (all under search/ in the site):
//
//	index.json     the manifest (below); fetched first, revalidated each time
//	t2s.bin        the Traditional → Simplified table (fetched when a query has CJK)
//	s/<n>.bin      token shards: every token whose 16-bit hash bucket falls in
//	               the shard's range, with its postings
//	r/<n>.bin      display records of documents n*chunk … n*chunk+chunk-1
//
// Every .bin file is raw DEFLATE (RFC 1951; web/js/search-engine.js inflates it
// itself) of a body that starts with a 3-byte magic. The files carry no
// build id, so that an unchanged shard or record file is byte-identical
// across builds (and not uploaded again); the script fetches them as
// "<file>?v=<build>" with the manifest's build id, so a browser never
// pairs a new manifest with a cached file of an older build.
//
// Shards cut the 16-bit hash buckets into equal ranges (a power of two of
// them); the manifest's bounds still list every shard's first bucket.
//
// Shard body: magic "ZS\x02", uvarint token count, then per token
// in (hash, bytes) order: uvarint length, the token's UTF-8 bytes, its
// documents block and its title block. A block is uvarint (len<<2 | enc)
// and len bytes of payload. The documents block lists every document with
// the token:
//
//	enc 0  empty
//	enc 1  list: uvarint count, then the ids as uvarint deltas (the first from 0)
//	enc 3  bitmap: uvarint first byte index, then bytes; bit i (LSB first) of
//	       byte k is document (first+k)*8+i
//
// The title block says which of those have the token in their title or a
// key, as positions in the documents block's list (so a dense token costs
// one bitmap, not two):
//
//	enc 0  none
//	enc 2  list: uvarint count, then (uvarint position delta, meta byte) pairs;
//	       meta = that field's length in units (1–255): shorter, i.e.
//	       closer, titles rank first
//	enc 3  bitset over the positions (ceil(count/8) bytes, LSB first), no meta
//
// Record body: magic "ZR\x02", uvarint first id, uvarint count,
// then per document: uvarint kind index, uvarint agency index+1 (0: none),
// uvarint year, and the strings url, title, subtitle, date (uvarint length
// + UTF-8).
//
// T2S body: magic "ZT\x01", uvarint count, then per pair (in key order)
// uvarint key delta and zig-zag varint value delta (from the previous value).

const (
	encEmpty  = 0
	encList   = 1
	encMeta   = 2
	encBitmap = 3
)

var (
	magicShard  = []byte("ZS\x02")
	magicRecord = []byte("ZR\x02")
	magicT2S    = []byte("ZT\x01")
)

// hash32 is FNV-1a over the token's UTF-8 bytes; its top 16 bits choose the
// shard. search-engine.js computes the same.
func hash32(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

func appendUvarint(b []byte, v uint64) []byte { return binary.AppendUvarint(b, v) }

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendZigzag(b []byte, v int64) []byte {
	return binary.AppendUvarint(b, uint64(v<<1)^uint64(v>>63))
}

func uvarintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

// appendIDs encodes a sorted id list as the smaller of list and bitmap.
func appendIDs(dst []byte, ids []uint32) []byte {
	if len(ids) == 0 {
		return appendUvarint(dst, encEmpty)
	}
	listLen := uvarintLen(uint64(len(ids)))
	prev := uint32(0)
	for _, id := range ids {
		listLen += uvarintLen(uint64(id - prev))
		prev = id
	}
	first, last := ids[0]/8, ids[len(ids)-1]/8
	bmLen := uvarintLen(uint64(first)) + int(last-first) + 1
	if bmLen < listLen {
		dst = appendUvarint(dst, uint64(bmLen)<<2|encBitmap)
		dst = appendUvarint(dst, uint64(first))
		start := len(dst)
		dst = append(dst, make([]byte, last-first+1)...)
		for _, id := range ids {
			dst[start+int(id/8-first)] |= 1 << (id % 8)
		}
		return dst
	}
	dst = appendUvarint(dst, uint64(listLen)<<2|encList)
	dst = appendUvarint(dst, uint64(len(ids)))
	prev = 0
	for _, id := range ids {
		dst = appendUvarint(dst, uint64(id-prev))
		prev = id
	}
	return dst
}

// appendTitle encodes the title subset: ascending positions into a list of
// n documents, with their metas. It is a bitset (losing the metas: bitset
// reports it) only when the subset is large and that is less than half
// the size.
func appendTitle(dst []byte, pos []uint32, metas []uint8, n int) (_ []byte, bitset bool) {
	if len(pos) == 0 {
		return appendUvarint(dst, encEmpty), false
	}
	listLen := uvarintLen(uint64(len(pos))) + len(pos)
	prev := uint32(0)
	for _, p := range pos {
		listLen += uvarintLen(uint64(p - prev))
		prev = p
	}
	setLen := (n + 7) / 8
	if len(pos) >= 256 && 2*setLen < listLen {
		dst = appendUvarint(dst, uint64(setLen)<<2|encBitmap)
		start := len(dst)
		dst = append(dst, make([]byte, setLen)...)
		for _, p := range pos {
			dst[start+int(p/8)] |= 1 << (p % 8)
		}
		return dst, true
	}
	dst = appendUvarint(dst, uint64(listLen)<<2|encMeta)
	dst = appendUvarint(dst, uint64(len(pos)))
	prev = 0
	for i, p := range pos {
		dst = appendUvarint(dst, uint64(p-prev))
		prev = p
		dst = append(dst, metas[i])
	}
	return dst, false
}

// reader decodes a body.
type reader struct {
	b   []byte
	err error
}

var errCorrupt = errors.New("search: corrupt index file")

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errCorrupt
		r.b = nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) bytes(n uint64) []byte {
	if uint64(len(r.b)) < n {
		r.err = errCorrupt
		r.b = nil
		return nil
	}
	s := r.b[:n]
	r.b = r.b[n:]
	return s
}

func (r *reader) str() string { return string(r.bytes(r.uvarint())) }

// ids decodes a documents block.
func (r *reader) ids() []uint32 { return r.idsInto(nil) }

// idsInto decodes a documents block, appending to ids.
func (r *reader) idsInto(ids []uint32) []uint32 {
	hdr := r.uvarint()
	p := &reader{b: r.bytes(hdr >> 2)}
	switch hdr & 3 {
	case encList:
		n := p.uvarint()
		if n > uint64(len(p.b)) {
			r.err = errCorrupt
			return nil
		}
		ids = slices.Grow(ids, int(n))
		id := uint32(0)
		for i := uint64(0); i < n && p.err == nil; i++ {
			id += uint32(p.uvarint())
			ids = append(ids, id)
		}
	case encBitmap:
		first := uint32(p.uvarint())
		for k, c := range p.b {
			for i := uint32(0); c != 0; i++ {
				if c&1 != 0 {
					ids = append(ids, (first+uint32(k))*8+i)
				}
				c >>= 1
			}
		}
	}
	if p.err != nil {
		r.err = p.err
	}
	return ids
}

// titleInto decodes a title block of a token with n documents: the
// positions of the title ones, appended to pos, and their metas, appended
// to metas (none for a bitset block).
func (r *reader) titleInto(n int, pos []uint32, metas []uint8) ([]uint32, []uint8) {
	hdr := r.uvarint()
	p := &reader{b: r.bytes(hdr >> 2)}
	switch hdr & 3 {
	case encMeta:
		k := p.uvarint()
		at := uint64(0)
		for i := uint64(0); i < k && p.err == nil; i++ {
			at += p.uvarint()
			m := p.bytes(1)
			if at >= uint64(n) || len(m) != 1 {
				r.err = errCorrupt
				return nil, nil
			}
			pos = append(pos, uint32(at))
			metas = append(metas, m[0])
		}
	case encBitmap:
		for k, c := range p.b {
			for i := 0; c != 0; i++ {
				if c&1 != 0 && k*8+i < n {
					pos = append(pos, uint32(k*8+i))
				}
				c >>= 1
			}
		}
	}
	if p.err != nil {
		r.err = p.err
	}
	return pos, metas
}

// title decodes a title block against its documents: the title ids and
// their metas (nil when the block has none).
func (r *reader) title(all []uint32) (ids []uint32, metas []uint8) {
	pos, metas := r.titleInto(len(all), nil, nil)
	for _, q := range pos {
		ids = append(ids, all[q])
	}
	return ids, metas
}

// deflater compresses deterministically (same input, same Go: same
// bytes), reusing its state between files.
type deflater struct {
	w   *flate.Writer
	buf bytes.Buffer
}

func (d *deflater) deflate(body []byte) []byte {
	d.buf.Reset()
	if d.w == nil {
		d.w, _ = flate.NewWriter(&d.buf, flate.DefaultCompression)
	} else {
		d.w.Reset(&d.buf)
	}
	d.w.Write(body)
	d.w.Close()
	return bytes.Clone(d.buf.Bytes())
}

func deflate(body []byte) []byte { return new(deflater).deflate(body) }

func inflate(data []byte) ([]byte, error) {
	return io.ReadAll(flate.NewReader(bytes.NewReader(data)))
}

// inflater decompresses, reusing its state between files.
type inflater struct {
	r   io.ReadCloser
	src bytes.Reader
}

// inflate returns data decompressed into the scratch's k-th body buffer
// (reused: the body stays valid until inflate is called with k again).
func (sc *scratch) inflate(data []byte, k int) ([]byte, error) {
	z := &sc.unz
	z.src.Reset(data)
	if z.r == nil {
		z.r = flate.NewReader(&z.src)
	} else if err := z.r.(flate.Resetter).Reset(&z.src, nil); err != nil {
		return nil, err
	}
	for len(sc.bodies) <= k {
		sc.bodies = append(sc.bodies, nil)
	}
	buf := bytes.NewBuffer(sc.bodies[k][:0])
	if _, err := buf.ReadFrom(z.r); err != nil {
		return nil, err
	}
	sc.bodies[k] = buf.Bytes()
	return sc.bodies[k], nil
}
