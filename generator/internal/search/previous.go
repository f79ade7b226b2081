package search

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"slices"
)

// The incremental index. A rebuild after one edit used to add every
// document's tokens again (from the case memo) and encode every shard:
// at a million decisions that was most of a rebuild. Now a build leaves a
// state (Builder.State) naming each document it indexed, in final order,
// and each shard file it wrote. The next build, given that state and the
// previous output (Options.Previous), recognises a document that is
// unchanged (same URL, same fields: same docSum) and adds only its display
// record; its postings are taken from the previous shards, renumbered.
// Documents that are new or changed are tokenised as before. Write then
// builds each shard from the previous shards' tokens, with the documents
// that are gone dropped and every number mapped to the new order, merged
// with the new documents' postings. A shard that nothing reached is the
// previous file, byte for byte, without being encoded or compressed.
//
// The result is byte-identical to a build from scratch: kept documents
// keep their relative order (the order depends only on their fields), so
// the renumbering is monotone and a mapped list is still sorted; and what
// the shard format does not keep (the meta bytes of a title block encoded
// as a bitset) is kept in the state: per document the meta of its title's
// tokens, and per such block the few documents whose meta differs (the
// token is also in a shorter key).

// stateMagic starts a state; the version is the shard format's.
var stateMagic = []byte("ZP\x01")

// prevDoc is a document of the previous index.
type prevDoc struct {
	url, sum uint64 // urlHash, docSum: its identity
	toks     uint32 // its distinct tokens
	title    uint8  // the meta of its title's tokens
}

// prevShard is a shard file of the previous index.
type prevShard struct {
	sum    [32]byte // SHA-256 of the file (compressed)
	tokens uint32
	// For each bitset title block, in order: uvarint header (meta<<1 | 1:
	// the metas are mostly that meta; 0: mostly each document's title
	// meta), uvarint count, then that many (uvarint position delta, meta)
	// for the title documents whose meta is not the expected one.
	exc []byte
}

// Previous is an index written by an earlier build, ready for
// Options.Previous. A Previous serves one Builder.
type Previous struct {
	docs   []prevDoc
	byID   []uint32 // indexes into docs, sorted by identity
	taken  []bool
	shards []prevShard
	read   func(rel string) ([]byte, error)
}

// LoadPrevious parses a state that Builder.State returned and checks that
// the previous output still holds the shard files it names: read returns
// an index file by its path under Dir ("s/3.bin"). holds, when not nil,
// may vouch for a file without it being read: it reports whether the
// output's file rel still has the SHA-256 sum, as a build cache that
// recorded the file's identity knows (8192 shards at a million documents
// are 86 MB to read and hash). An error means the state cannot be used
// (damaged, or the output has changed since); the build then indexes
// every document from its tokens.
func LoadPrevious(state []byte, read func(rel string) ([]byte, error), holds func(rel string, sum [32]byte) bool) (*Previous, error) {
	p, err := parseState(state)
	if err != nil {
		return nil, err
	}
	for k := range p.shards {
		if holds != nil && holds(shardName(k), p.shards[k].sum) {
			continue
		}
		if _, err := p.shardFile(read, k); err != nil {
			return nil, err
		}
	}
	p.read = read
	return p, nil
}

func parseState(state []byte) (*Previous, error) {
	r := reader{b: state}
	if m := r.bytes(uint64(len(stateMagic))); r.err != nil || string(m) != string(stateMagic) {
		return nil, errCorrupt
	}
	if r.uvarint() != formatVersion {
		return nil, errCorrupt
	}
	n := r.uvarint()
	if n > uint64(len(r.b))/18 {
		return nil, errCorrupt
	}
	p := &Previous{docs: make([]prevDoc, n)}
	for i := range p.docs {
		b := r.bytes(17)
		if r.err != nil {
			return nil, errCorrupt
		}
		toks := r.uvarint()
		if toks > 1<<31 {
			return nil, errCorrupt
		}
		p.docs[i] = prevDoc{binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[8:]), uint32(toks), b[16]}
	}
	shards := r.uvarint()
	if shards > maxShards || shards&(shards-1) != 0 {
		return nil, errCorrupt
	}
	p.shards = make([]prevShard, shards)
	for k := range p.shards {
		s := &p.shards[k]
		copy(s.sum[:], r.bytes(32))
		tokens := r.uvarint()
		s.exc = r.bytes(r.uvarint())
		if r.err != nil || tokens > 1<<31 {
			return nil, errCorrupt
		}
		s.tokens = uint32(tokens)
	}
	if r.err != nil || len(r.b) != 0 {
		return nil, errCorrupt
	}
	p.byID = make([]uint32, n)
	for i := range p.byID {
		p.byID[i] = uint32(i)
	}
	slices.SortFunc(p.byID, func(x, y uint32) int {
		a, b := &p.docs[x], &p.docs[y]
		return cmp.Or(cmp.Compare(a.url, b.url), cmp.Compare(a.sum, b.sum))
	})
	p.taken = make([]bool, n)
	return p, nil
}

// has reports whether take would find one.
func (p *Previous) has(url, sum uint64) bool {
	_, ok := p.untaken(url, sum)
	return ok
}

// take finds an untaken document of the previous index with this
// identity and takes it (a document is kept once).
func (p *Previous) take(url, sum uint64) (int, bool) {
	d, ok := p.untaken(url, sum)
	if ok {
		p.taken[d] = true
	}
	return d, ok
}

// untaken returns the first document with this identity not yet taken.
func (p *Previous) untaken(url, sum uint64) (int, bool) {
	i, found := slices.BinarySearchFunc(p.byID, prevDoc{url: url, sum: sum}, func(x uint32, t prevDoc) int {
		d := &p.docs[x]
		return cmp.Or(cmp.Compare(d.url, t.url), cmp.Compare(d.sum, t.sum))
	})
	for ; found && i < len(p.byID); i++ {
		d := p.byID[i]
		if p.docs[d].url != url || p.docs[d].sum != sum {
			break
		}
		if !p.taken[d] {
			return int(d), true
		}
	}
	return 0, false
}

// shardFile reads previous shard k and checks it is the file the state
// names.
func (p *Previous) shardFile(read func(string) ([]byte, error), k int) ([]byte, error) {
	data, err := read(shardName(k))
	if err != nil {
		return nil, err
	}
	if sha256.Sum256(data) != p.shards[k].sum {
		return nil, fmt.Errorf("search: %s differs from the previous build's", shardName(k))
	}
	return data, nil
}

func shardName(k int) string { return fmt.Sprintf("s/%d.bin", k) }

// urlHash is the URL's half of a document's identity (docSum covers it
// too; together they make 128 bits).
func urlHash(url string) uint64 {
	h := fnv.New64()
	h.Write([]byte(url))
	return h.Sum64()
}

// oldToken is a token of the previous index, as its shard holds it.
type oldToken struct {
	tok   []byte
	hash  uint32
	raw   []byte // its documents and title blocks
	exc   []byte // its bitset title block's exceptions (prevShard.exc)
	title bool   // raw's title block is a bitset
	moved bool   // a document of its is gone or has a new number
}

// oldTokens returns the previous index's tokens whose bucket (hash>>16) is
// in [lo, hi), in (hash, token) order, as they are: decode renumbers one.
// moved reports whether any of them has a document gone or renumbered
// (newOf: previous number → new, noDoc: gone). They share sc's buffers
// until its next call.
func (p *Previous) oldTokens(sc *scratch, lo, hi uint32, newOf []uint32) (toks []oldToken, moved bool, err error) {
	width := uint32(1<<16) / uint32(len(p.shards))
	toks = sc.old[:0]
	for j, k := lo/width, 0; j < uint32(len(p.shards)) && j*width < hi; j, k = j+1, k+1 {
		data, err := p.shardFile(p.read, int(j))
		if err != nil {
			return nil, false, err
		}
		body, err := sc.inflate(data, k)
		if err != nil {
			return nil, false, err
		}
		exc := reader{b: p.shards[j].exc}
		r := reader{b: body}
		if m := r.bytes(uint64(len(magicShard))); string(m) != string(magicShard) {
			return nil, false, errCorrupt
		}
		for n := r.uvarint(); n > 0 && r.err == nil; n-- {
			tok := r.bytes(r.uvarint())
			start := r.b
			sc.oldIDs = r.idsInto(sc.oldIDs[:0])
			hdr := r.uvarint()
			r.bytes(hdr >> 2)
			t := oldToken{tok: tok, raw: start[:len(start)-len(r.b)], title: hdr&3 == encBitmap}
			if t.title {
				// Its exceptions, whether or not it is in range.
				at := exc.b
				exc.uvarint() // what the metas are
				for k := exc.uvarint(); k > 0 && exc.err == nil; k-- {
					exc.uvarint()
					exc.bytes(1)
				}
				t.exc = at[:len(at)-len(exc.b)]
			}
			t.hash = hash32(string(tok))
			if b := t.hash >> 16; b < lo || b >= hi {
				continue
			}
			for _, id := range sc.oldIDs {
				if int(id) >= len(newOf) {
					return nil, false, errCorrupt
				}
				if newOf[id] != id {
					t.moved, moved = true, true
					break
				}
			}
			toks = append(toks, t)
		}
		if r.err != nil || exc.err != nil {
			return nil, false, errCorrupt
		}
	}
	sc.old = toks
	return toks, moved, nil
}

// decode appends t's documents, renumbered through newOf (gone ones
// dropped), to pairs (title documents: number<<8 | meta) and others. Both
// come out ascending.
func (p *Previous) decode(sc *scratch, t *oldToken, newOf []uint32, pairs []uint64, others []uint32) ([]uint64, []uint32, error) {
	r := reader{b: t.raw}
	all := r.idsInto(sc.oldIDs[:0])
	sc.oldIDs = all
	pos, metas := r.titleInto(len(all), sc.oldPos[:0], sc.oldMetas[:0])
	sc.oldPos, sc.oldMetas = pos, metas
	if r.err != nil || len(r.b) != 0 {
		return pairs, others, errCorrupt
	}
	if t.title {
		// The bitset kept no metas: each document's title meta, but for
		// the exceptions.
		e := reader{b: t.exc}
		metas = metas[:0]
		if h := e.uvarint(); h&1 != 0 {
			for range pos {
				metas = append(metas, uint8(h>>1))
			}
		} else {
			for _, q := range pos {
				metas = append(metas, p.docs[all[q]].title)
			}
		}
		i := uint64(0)
		for k := e.uvarint(); k > 0 && e.err == nil; k-- {
			i += e.uvarint()
			m := e.bytes(1)
			if i >= uint64(len(metas)) || len(m) != 1 {
				return pairs, others, errCorrupt
			}
			metas[i] = m[0]
		}
		sc.oldMetas = metas
	}
	ti := 0
	for q, id := range all {
		nid := newOf[id]
		inTitle := ti < len(pos) && int(pos[ti]) == q
		if inTitle {
			ti++
		}
		switch {
		case nid == noDoc:
		case inTitle:
			pairs = append(pairs, uint64(nid)<<8|uint64(metas[ti-1]))
		default:
			others = append(others, nid)
		}
	}
	return pairs, others, nil
}

// noDoc marks a previous document that is not in the new index.
const noDoc = ^uint32(0)

// State is what the next build needs to reuse this index (LoadPrevious):
// call it after a successful Write.
func (b *Builder) State() []byte {
	if b.state == nil {
		return nil
	}
	s := b.state
	out := append([]byte(nil), stateMagic...)
	out = appendUvarint(out, formatVersion)
	out = appendUvarint(out, uint64(len(s.order)))
	for _, p := range s.order {
		d := &b.docs[p]
		out = binary.LittleEndian.AppendUint64(out, d.url)
		out = binary.LittleEndian.AppendUint64(out, d.sum)
		out = append(out, d.title)
		out = appendUvarint(out, uint64(d.toks))
	}
	out = appendUvarint(out, uint64(len(s.shards)))
	for _, sh := range s.shards {
		out = append(out, sh.sum[:]...)
		out = appendUvarint(out, uint64(sh.tokens))
		out = appendUvarint(out, uint64(len(sh.exc)))
		out = append(out, sh.exc...)
	}
	return out
}

// writeState is what Write keeps for State.
type writeState struct {
	order  []uint32 // final → provisional
	shards []prevShard
}

// keepsAny reports whether a moved token still has a document in the new
// index (else it is left out).
func (p *Previous) keepsAny(sc *scratch, t *oldToken, newOf []uint32) bool {
	r := reader{b: t.raw}
	sc.oldIDs = r.idsInto(sc.oldIDs[:0])
	for _, id := range sc.oldIDs {
		if newOf[id] != noDoc {
			return true
		}
	}
	return false
}
