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
// as a bitset) is kept in the state.

// stateMagic starts a state; the version is the shard format's.
var stateMagic = []byte("ZP\x01")

// prevDoc is a document of the previous index.
type prevDoc struct {
	url, sum uint64 // urlHash, docSum: its identity
	toks     uint32 // its distinct tokens
}

// prevShard is a shard file of the previous index.
type prevShard struct {
	sum    [32]byte // SHA-256 of the file (compressed)
	tokens uint32
	metas  []byte // meta bytes of its bitset title blocks, in order
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
// an index file by its path under Dir ("s/3.bin"). An error means the
// state cannot be used (damaged, or the output has changed since); the
// build then indexes every document from its tokens.
func LoadPrevious(state []byte, read func(rel string) ([]byte, error)) (*Previous, error) {
	p, err := parseState(state)
	if err != nil {
		return nil, err
	}
	for k := range p.shards {
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
	if n > uint64(len(r.b))/17 {
		return nil, errCorrupt
	}
	p := &Previous{docs: make([]prevDoc, n)}
	for i := range p.docs {
		b := r.bytes(16)
		if r.err != nil {
			return nil, errCorrupt
		}
		toks := r.uvarint()
		if toks > 1<<31 {
			return nil, errCorrupt
		}
		p.docs[i] = prevDoc{binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[8:]), uint32(toks)}
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
		s.metas = r.bytes(r.uvarint())
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

// oldToken is a token of the previous index, its documents renumbered.
type oldToken struct {
	tok    string
	hash   uint32
	pairs  []uint64 // title documents: new number<<8 | meta, ascending
	others []uint32 // the other documents, ascending
}

// oldTokens returns the previous index's tokens whose bucket (hash>>16) is
// in [lo, hi), renumbered through newOf (noDoc: gone), in (hash, token)
// order. moved reports whether any document of theirs is gone or has a
// new number.
func (p *Previous) oldTokens(lo, hi uint32, newOf []uint32) (toks []oldToken, moved bool, err error) {
	width := uint32(1<<16) / uint32(len(p.shards))
	for j := lo / width; j < uint32(len(p.shards)) && j*width < hi; j++ {
		data, err := p.shardFile(p.read, int(j))
		if err != nil {
			return nil, false, err
		}
		body, err := inflate(data)
		if err != nil {
			return nil, false, err
		}
		metas := p.shards[j].metas
		r := reader{b: body}
		if m := r.bytes(uint64(len(magicShard))); string(m) != string(magicShard) {
			return nil, false, errCorrupt
		}
		for n := r.uvarint(); n > 0 && r.err == nil; n-- {
			tok := r.str()
			all := r.ids()
			tids, tmetas, bitset := r.titleBlock(all)
			if bitset {
				if len(metas) < len(tids) {
					return nil, false, errCorrupt
				}
				tmetas, metas = metas[:len(tids)], metas[len(tids):]
			}
			h := hash32(tok)
			if b := h >> 16; b < lo || b >= hi {
				continue
			}
			t := oldToken{tok: tok, hash: h}
			ti := 0
			for _, id := range all {
				if int(id) >= len(newOf) {
					return nil, false, errCorrupt
				}
				nid := newOf[id]
				if nid != id {
					moved = true
				}
				inTitle := ti < len(tids) && tids[ti] == id
				if inTitle {
					ti++
				}
				if nid == noDoc {
					continue
				}
				if inTitle {
					t.pairs = append(t.pairs, uint64(nid)<<8|uint64(tmetas[ti-1]))
				} else {
					t.others = append(t.others, nid)
				}
			}
			if len(t.pairs)+len(t.others) > 0 {
				toks = append(toks, t)
			}
		}
		if r.err != nil {
			return nil, false, r.err
		}
	}
	return toks, moved, nil
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
		out = appendUvarint(out, uint64(d.toks))
	}
	out = appendUvarint(out, uint64(len(s.shards)))
	for _, sh := range s.shards {
		out = append(out, sh.sum[:]...)
		out = appendUvarint(out, uint64(sh.tokens))
		out = appendUvarint(out, uint64(len(sh.metas)))
		out = append(out, sh.metas...)
	}
	return out
}

// writeState is what Write keeps for State.
type writeState struct {
	order  []uint32 // final → provisional
	shards []prevShard
}
