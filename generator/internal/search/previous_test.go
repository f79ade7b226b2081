package search

import (
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
)

// TestPreviousSameBytes: an index built on the previous one (its state and
// its files), after edits, additions, deletions and date changes that
// renumber documents, is byte for byte the index built from scratch, and
// a shard that nothing reached is the previous file, not encoded again.
// It runs rounds of random changes, through every way a document comes
// in (Add, AddMemo, AddFromMemo), with and without spilling.
func TestPreviousSameBytes(t *testing.T) {
	for _, budget := range []int64{0, 48 << 10} {
		t.Run(fmt.Sprintf("budget %d", budget), func(t *testing.T) {
			testPreviousSameBytes(t, budget)
		})
	}
}

func testPreviousSameBytes(t *testing.T, budget int64) {
	rng := rand.New(rand.NewPCG(7, uint64(budget)))
	docs := testDocs()
	for i := 0; i < 1500; i++ {
		docs = append(docs, syntheticDoc(i))
	}
	// Many documents share their title's tokens, so that title blocks are
	// bitsets (whose metas only the state keeps); a third also have some of
	// them in a short key, which gives those a smaller meta (an exception).
	for i := 0; i < 600; i++ {
		d := syntheticDoc(5000 + i)
		d.Title = "江门市市场监督管理局行政处罚决定书" + d.Title[len(d.Title)-6:]
		if i%3 == 0 {
			d.Keys = append(d.Keys, "市场监督")
		}
		docs = append(docs, d)
	}
	opts := func(prev *Previous) Options {
		return Options{MemoryBudget: budget, TempDir: t.TempDir(), Previous: prev}
	}
	write := func(b *Builder) files {
		t.Helper()
		out := files{}
		if _, err := b.Write(func(rel string, data []byte) error { out[rel] = data; return nil }); err != nil {
			t.Fatal(err)
		}
		return out
	}
	cold := func(docs []Doc) files {
		b := NewBuilderOptions(opts(nil))
		for _, d := range docs {
			b.Add(d)
		}
		return write(b)
	}

	b := NewBuilderOptions(opts(nil))
	memos := map[string][]byte{}
	for _, d := range docs {
		memos[d.URL] = b.AddMemo(d)
	}
	out := write(b)
	state := b.State()
	if prev, err := parseState(state); err != nil || exceptions(prev) == 0 {
		t.Fatalf("the state holds no title meta exceptions (%v): the test does not cover them", err)
	}
	next := 100000
	for round := 0; round < 6; round++ {
		// Change a few documents: an edit, a new date (a new number), a
		// deletion, an addition; in the last round, none at all.
		changes := 0
		if round < 5 {
			changes = 1 + rng.IntN(6)
		}
		for c := 0; c < changes; c++ {
			i := rng.IntN(len(docs))
			kind := rng.IntN(4)
			if round%2 == 1 {
				kind = 0 // an edit keeps every number: most shards stay as they are
			}
			switch kind {
			case 0:
				docs[i].Text = append(slices.Clone(docs[i].Text), fmt.Sprintf("更正%d", rng.IntN(1000)))
			case 1:
				docs[i].Date = fmt.Sprintf("%d-%02d-%02d", docs[i].Year, 1+rng.IntN(12), 1+rng.IntN(28))
			case 2:
				docs = slices.Delete(docs, i, i+1)
			case 3:
				docs = append(docs, syntheticDoc(next))
				next++
			}
		}
		read := func(rel string) ([]byte, error) {
			data, ok := out[Dir+rel]
			if !ok {
				return nil, fmt.Errorf("no %s", rel)
			}
			return data, nil
		}
		// Odd rounds vouch for the previous files the way the build cache
		// does (LoadPrevious's holds, Options.Kept): a shard taken over is
		// not written, and stays in the output as it was.
		var holds func(rel string, sum [32]byte) bool
		if round%2 == 1 {
			holds = func(rel string, sum [32]byte) bool {
				data, ok := out[Dir+rel]
				return ok && sha256.Sum256(data) == sum
			}
		}
		prev, err := LoadPrevious(state, read, holds)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		o := opts(prev)
		var takenMu sync.Mutex
		takenOver := files{}
		if holds != nil {
			o.Kept = func(rel string, sum [32]byte) bool {
				if !holds(rel, sum) {
					return false
				}
				takenMu.Lock()
				takenOver[Dir+rel] = out[Dir+rel]
				takenMu.Unlock()
				return true
			}
		}
		b := NewBuilderOptions(o)
		for k, d := range docs {
			switch m, ok := ParseMemo(memos[d.URL]); {
			case k%3 == 0 && ok && docSum(&d) == m.rec.Sum && b.Has(m): // its case file unchanged
				b.AddFromMemo(m)
			case k%3 == 1:
				memos[d.URL] = b.AddMemo(d)
			default:
				b.Add(d)
			}
		}
		got := write(b)
		for rel, data := range takenOver {
			if _, twice := got[rel]; twice {
				t.Errorf("round %d: %s taken over and written", round, rel)
			}
			got[rel] = data
		}
		if holds != nil && changes == 0 && len(takenOver) != len(prev.shards) {
			t.Errorf("round %d: no change, but %d of %d shards taken over", round, len(takenOver), len(prev.shards))
		}
		want := cold(docs)
		if !sameFiles(got, want) {
			for rel := range want {
				if string(got[rel]) != string(want[rel]) {
					t.Errorf("round %d: %s differs from a cold build", round, rel)
				}
			}
			t.FailNow()
		}
		kept := 0
		for rel, data := range got {
			if len(rel) > len(Dir)+2 && rel[len(Dir):len(Dir)+2] == "s/" && string(out[rel]) == string(data) {
				kept++
			}
		}
		if changes == 0 && kept != len(prev.shards) {
			t.Errorf("round %d: no change, but only %d of %d shards kept", round, kept, len(prev.shards))
		}
		t.Logf("round %d: %d changes, %d of %d shards unchanged", round, changes, kept, len(prev.shards))
		out, state = got, b.State()
	}
}

// A state whose shard files are not the previous output's is refused.
func TestPreviousRefusesOtherFiles(t *testing.T) {
	b := NewBuilder()
	for i := 0; i < 300; i++ {
		b.Add(syntheticDoc(i))
	}
	out := files{}
	if _, err := b.Write(func(rel string, data []byte) error { out[rel] = data; return nil }); err != nil {
		t.Fatal(err)
	}
	state := b.State()
	read := func(rel string) ([]byte, error) { return out[Dir+rel], nil }
	if _, err := LoadPrevious(state, read, nil); err != nil {
		t.Fatalf("its own files: %v", err)
	}
	out[Dir+"s/0.bin"] = append([]byte{1}, out[Dir+"s/0.bin"]...)
	if _, err := LoadPrevious(state, read, nil); err == nil {
		t.Fatal("a changed shard file was accepted")
	}
}

// FuzzLoadPrevious: a state read back from the build cache may be
// damaged; it is refused or used, never a panic, and what is used serves
// a build.
func FuzzLoadPrevious(f *testing.F) {
	b := NewBuilder()
	for i := 0; i < 40; i++ {
		b.Add(syntheticDoc(i))
	}
	out := files{}
	b.Write(func(rel string, data []byte) error { out[rel] = data; return nil })
	f.Add(b.State())
	f.Add([]byte("ZP\x01\x02\x00\x00"))
	read := func(rel string) ([]byte, error) { return out[Dir+rel], nil }
	f.Fuzz(func(t *testing.T, state []byte) {
		prev, err := LoadPrevious(state, read, nil)
		if err != nil {
			return
		}
		b := NewBuilderOptions(Options{Previous: prev})
		for i := 0; i < 40; i += 2 {
			b.Add(syntheticDoc(i))
		}
		b.Write(func(string, []byte) error { return nil })
	})
}

// exceptions counts the title meta exceptions a state records.
func exceptions(p *Previous) int {
	n := 0
	for _, s := range p.shards {
		r := reader{b: s.exc}
		for len(r.b) > 0 && r.err == nil {
			r.uvarint() // header
			k := r.uvarint()
			n += int(k)
			for ; k > 0; k-- {
				r.uvarint()
				r.bytes(1)
			}
		}
	}
	return n
}

// TestPreviousTitleFlip: a token whose title block was a bitset (no metas
// in the shard) becomes a list (metas in the shard) when documents leave:
// the metas come from the state, exceptions included, and the index is a
// cold build's.
func TestPreviousTitleFlip(t *testing.T) {
	var docs []Doc
	for i := 0; i < 300; i++ {
		// Titles of several lengths; every document has the key 丙丁庚, so
		// 丙丁's meta is that key's in all (one value, unlike the titles'),
		// and a third have 甲乙丙, so 甲乙's is mostly each title's.
		d := Doc{Kind: KindDecision, URL: fmt.Sprintf("/c/F-%d/", i), Title: "甲乙丙丁" + strings.Repeat("戊", i%5) + fmt.Sprintf("决定%d", i),
			Keys: []string{"丙丁庚"}, Year: 2025, Date: "2025-03-01"}
		if i%3 == 0 {
			d.Keys = append(d.Keys, "甲乙丙") // a shorter primary field: a smaller meta
		}
		docs = append(docs, d)
	}
	files := func(b *Builder) files {
		out := files{}
		if _, err := b.Write(func(rel string, data []byte) error { out[rel] = data; return nil }); err != nil {
			t.Fatal(err)
		}
		return out
	}
	first := NewBuilder()
	for _, d := range docs {
		first.Add(d)
	}
	out := files(first)
	state := first.State()
	if p, _ := parseState(state); exceptions(p) == 0 || byValue(p) == 0 {
		t.Fatal("no bitset title block with exceptions, or none whose metas are mostly one value: the test does not test the flip")
	}
	prev, err := LoadPrevious(state, func(rel string) ([]byte, error) { return out[Dir+rel], nil }, nil)
	if err != nil {
		t.Fatal(err)
	}
	docs = docs[60:] // 240 titles: too few for a bitset
	inc, cold := NewBuilderOptions(Options{Previous: prev}), NewBuilder()
	for _, d := range docs {
		inc.Add(d)
		cold.Add(d)
	}
	if got, want := files(inc), files(cold); !sameFiles(got, want) {
		t.Fatal("after the flip, the index differs from a cold build")
	}
}

// byValue counts the bitset title blocks whose metas are recorded as
// mostly one value.
func byValue(p *Previous) int {
	n := 0
	for _, s := range p.shards {
		r := reader{b: s.exc}
		for len(r.b) > 0 && r.err == nil {
			if r.uvarint()&1 != 0 {
				n++
			}
			for k := r.uvarint(); k > 0; k-- {
				r.uvarint()
				r.bytes(1)
			}
		}
	}
	return n
}
