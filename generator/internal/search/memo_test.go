package search

import (
	"bytes"
	"slices"
	"sync"
	"testing"
)

// TestMemoSameBytes: an index whose documents come back from their memos
// (a rebuild taking over unchanged cases, their postings from the previous
// index) is byte for byte the index built by tokenising them, mixed with
// documents added the ordinary way and with spilling. Without the
// previous index, a memo cannot add its document.
func TestMemoSameBytes(t *testing.T) {
	docs := testDocs()
	for i := 0; i < 800; i++ {
		docs = append(docs, syntheticDoc(i))
	}
	write := func(b *Builder) (files, error) {
		out := files{}
		_, err := b.Write(func(rel string, data []byte) error { out[rel] = data; return nil })
		return out, err
	}
	plain := NewBuilder()
	remembered := NewBuilder()
	memos := make([][]byte, len(docs))
	for i, d := range docs {
		plain.Add(d)
		memos[i] = remembered.AddMemo(d)
	}
	want, _ := write(plain)
	if got, err := write(remembered); err != nil || !sameFiles(got, want) {
		t.Fatal("AddMemo built another index than Add")
	}
	prev, err := LoadPrevious(remembered.State(), func(rel string) ([]byte, error) { return want[Dir+rel], nil }, nil)
	if err != nil {
		t.Fatal(err)
	}

	replayed := NewBuilderOptions(Options{MemoryBudget: 32 << 10, TempDir: t.TempDir(), Previous: prev})
	alone := NewBuilder()
	for i, d := range docs {
		if i%3 == 0 {
			replayed.Add(d)
			continue
		}
		m, ok := ParseMemo(memos[i])
		if !ok {
			t.Fatalf("doc %d: its memo was refused", i)
		}
		if !replayed.Has(m) {
			t.Fatalf("doc %d: not in the previous index", i)
		}
		replayed.AddFromMemo(m)
		if alone.Has(m) {
			t.Fatalf("doc %d: a builder without a previous index can add it from its memo", i)
		}
	}
	if got, err := write(replayed); err != nil || !sameFiles(got, want) {
		t.Fatalf("documents replayed from their memos built another index (%v)", err)
	}
	m, _ := ParseMemo(memos[1])
	alone.AddFromMemo(m)
	if _, err := write(alone); err == nil {
		t.Fatal("a document added from its memo without a previous index did not fail the index")
	}
}

func sameFiles(a, b files) bool {
	if len(a) != len(b) {
		return false
	}
	for rel, data := range a {
		if !bytes.Equal(b[rel], data) {
			return false
		}
	}
	return true
}

// FuzzAddFromMemo: a memo read back from the build cache may be damaged;
// it is refused, or parsed and added, never a panic.
func FuzzAddFromMemo(f *testing.F) {
	b := NewBuilder()
	f.Add(b.AddMemo(syntheticDoc(1)))
	f.Add(b.AddMemo(Doc{Kind: KindDecision, URL: "/c/X/", Title: "甲", Keys: []string{"K-1"}}))
	f.Add([]byte{})
	out := files{}
	b.Write(func(rel string, data []byte) error { out[rel] = data; return nil })
	prev, err := LoadPrevious(b.State(), func(rel string) ([]byte, error) { return out[Dir+rel], nil }, nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, memo []byte) {
		m, ok := ParseMemo(memo)
		if !ok {
			return
		}
		b := NewBuilderOptions(Options{Previous: prev})
		defer b.Close()
		if b.Has(m) {
			b.AddFromMemo(m)
			if len(b.docs) != 1 {
				t.Fatal("a parsed memo did not add one document")
			}
		}
	})
}

// mapCompressed is a Compressed that keeps everything in memory and can
// be told to lie.
type mapCompressed struct {
	mu         sync.Mutex
	m          map[string][]byte // body → deflated
	hits, puts int
}

func (c *mapCompressed) Get(rel string, body []byte) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	out, ok := c.m[rel+"\x00"+string(body)]
	if ok {
		c.hits++
	}
	return out, ok
}

func (c *mapCompressed) Put(rel string, body, out []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[rel+"\x00"+string(body)] = out
	c.puts++
}

// TestCompressedReuse: with a Compressed, a second index of the same
// documents compresses nothing and is byte for byte the same; after one
// document changes, only the files it reaches are compressed again.
func TestCompressedReuse(t *testing.T) {
	docs := testDocs()
	for i := 0; i < 3000; i++ {
		docs = append(docs, syntheticDoc(i))
	}
	c := &mapCompressed{m: map[string][]byte{}}
	build := func(docs []Doc) files {
		b := NewBuilderOptions(Options{Compressed: c})
		for _, d := range docs {
			b.Add(d)
		}
		out := files{}
		if _, err := b.Write(func(rel string, data []byte) error { out[rel] = data; return nil }); err != nil {
			t.Fatal(err)
		}
		return out
	}
	plain := func(docs []Doc) files {
		b := NewBuilder()
		for _, d := range docs {
			b.Add(d)
		}
		out := files{}
		b.Write(func(rel string, data []byte) error { out[rel] = data; return nil })
		return out
	}
	first := build(docs)
	if !sameFiles(first, plain(docs)) {
		t.Fatal("an index written through Compressed differs")
	}
	c.hits, c.puts = 0, 0
	if again := build(docs); !sameFiles(again, first) || c.puts != 0 || c.hits == 0 {
		t.Fatalf("same documents: %d compressed again, %d reused", c.puts, c.hits)
	}
	edited := slices.Clone(docs)
	edited[len(edited)-1].Text = append(slices.Clone(edited[len(edited)-1].Text), "新增的违法事实描述")
	c.hits, c.puts = 0, 0
	if got := build(edited); !sameFiles(got, plain(edited)) || c.puts == 0 || c.puts > c.hits {
		t.Fatalf("one edited document: %d compressed again, %d reused", c.puts, c.hits)
	}
}
