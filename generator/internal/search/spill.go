package search

import (
	"bufio"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// Spilling, the way SPIMI indexers do it: when the postings held in the
// stripes pass the budget, every token with its provisional postings is
// written, in shard order (hash, then token), to an unlinked temporary
// run file, and the stripes start empty again. Write then merges the runs
// token by token. A token's postings in a run are self-contained (delta
// coding restarts at zero), and a document's tokens all land in one run,
// so merging only concatenates; renumbering and sorting happen in
// encodeShard exactly as without spilling, and the index bytes do not
// depend on whether or where the builder spilled.
//
// A run entry: uvarint len(token), token, uvarint title count, uvarint
// other count, uvarint len(t), t, uvarint len(o), o.

// spill moves the stripes' postings to a new run file. Failures are kept
// for Write; the postings stay in memory then, and spilling stops.
func (b *Builder) spill() {
	b.spillMu.Lock()
	defer b.spillMu.Unlock()
	held := b.held.Load()
	if held <= b.budget || b.err != nil {
		return // another Add spilled first, or spilling failed before
	}
	b.peak = max(b.peak, held)
	src := b.memoryRun()
	f, err := os.CreateTemp(b.tempDir, "zfgs-search-*.run")
	if err == nil {
		// Unlinked at once: a killed build leaves nothing behind.
		err = os.Remove(f.Name())
	}
	if err == nil {
		err = writeRun(f, src)
	}
	if err != nil {
		if f != nil {
			f.Close()
		}
		b.err = fmt.Errorf("搜索索引的临时文件写入失败：%w", err)
		return
	}
	b.runs = append(b.runs, f)
	for i := range b.stripes {
		b.stripes[i].ids, b.stripes[i].lists = map[string]uint32{}, nil
	}
	b.held.Store(0)
}

// Close releases the temporary files of a builder whose index will not be
// written (Write releases them itself). They are unlinked already; this
// only closes them.
func (b *Builder) Close() {
	b.closeRuns()
	if b.recFile != nil {
		b.recFile.Close()
		b.recFile = nil
	}
}

func (b *Builder) closeRuns() {
	for _, f := range b.runs {
		f.Close()
	}
	b.runs = nil
}

func writeRun(f *os.File, src *memRun) error {
	w := bufio.NewWriterSize(f, 1<<20)
	var buf []byte
	for {
		e, ok, _ := src.next(true)
		if !ok {
			break
		}
		buf = appendString(buf[:0], e.tok)
		buf = appendUvarint(buf, uint64(e.tn))
		buf = appendUvarint(buf, uint64(e.on))
		buf = appendUvarint(buf, uint64(len(e.t)))
		buf = append(buf, e.t...)
		buf = appendUvarint(buf, uint64(len(e.o)))
		buf = append(buf, e.o...)
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return w.Flush()
}

// runEntry is one token's postings in one run. t and o are only valid
// until the run's next call to next.
type runEntry struct {
	tok    string
	hash   uint32
	tn, on uint32
	t, o   []byte
}

// run is a source of entries in (hash, token) order.
type run interface {
	// next returns the following entry; with bodies false, t and o are
	// left empty (the counting pass needs only the counts).
	next(bodies bool) (runEntry, bool, error)
	rewind() error
}

// memRun is the stripes' postings, sorted.
type memRun struct {
	ents []memEntry
	i    int
}

type memEntry struct {
	tok  string
	hash uint32
	p    *plist
}

// memoryRun sorts what the stripes hold (callers own the stripes).
func (b *Builder) memoryRun() *memRun {
	n := 0
	for i := range b.stripes {
		n += len(b.stripes[i].lists)
	}
	ents := make([]memEntry, 0, n)
	for i := range b.stripes {
		s := &b.stripes[i]
		for tok, idx := range s.ids {
			ents = append(ents, memEntry{tok, hash32(tok), &s.lists[idx]})
		}
	}
	slices.SortFunc(ents, func(x, y memEntry) int {
		return cmp.Or(cmp.Compare(x.hash, y.hash), cmp.Compare(x.tok, y.tok))
	})
	return &memRun{ents: ents}
}

func (m *memRun) next(bodies bool) (runEntry, bool, error) {
	if m.i == len(m.ents) {
		return runEntry{}, false, nil
	}
	e := m.ents[m.i]
	m.i++
	r := runEntry{tok: e.tok, hash: e.hash, tn: e.p.tn, on: e.p.on}
	if bodies {
		// The encoder frees each token once encoded: let go of it here.
		r.t, r.o = e.p.t, e.p.o
		e.p.t, e.p.o = nil, nil
	}
	return r, true, nil
}

func (m *memRun) rewind() error { m.i = 0; return nil }

// fileRun reads a spilled run.
type fileRun struct {
	f    *os.File
	r    *bufio.Reader
	tok  []byte
	t, o []byte
}

func newFileRun(f *os.File) (*fileRun, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	return &fileRun{f: f, r: bufio.NewReaderSize(f, 256<<10)}, nil
}

func (fr *fileRun) rewind() error {
	if _, err := fr.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	fr.r.Reset(fr.f)
	return nil
}

var errRunCorrupt = errors.New("搜索索引的临时文件已损坏")

func (fr *fileRun) next(bodies bool) (runEntry, bool, error) {
	n, err := binary.ReadUvarint(fr.r)
	if err == io.EOF {
		return runEntry{}, false, nil
	}
	if err != nil {
		return runEntry{}, false, err
	}
	if n > 1<<20 {
		return runEntry{}, false, errRunCorrupt
	}
	fr.tok = slices.Grow(fr.tok[:0], int(n))[:n]
	if _, err := io.ReadFull(fr.r, fr.tok); err != nil {
		return runEntry{}, false, err
	}
	var counts [2]uint64
	for i := range counts {
		if counts[i], err = binary.ReadUvarint(fr.r); err != nil {
			return runEntry{}, false, err
		}
	}
	e := runEntry{tok: string(fr.tok), tn: uint32(counts[0]), on: uint32(counts[1])}
	e.hash = hash32(e.tok)
	for _, body := range []*[]byte{&fr.t, &fr.o} {
		l, err := binary.ReadUvarint(fr.r)
		if err != nil {
			return runEntry{}, false, err
		}
		if l > 1<<31 {
			return runEntry{}, false, errRunCorrupt
		}
		if !bodies {
			if _, err := fr.r.Discard(int(l)); err != nil {
				return runEntry{}, false, err
			}
			*body = (*body)[:0]
			continue
		}
		*body = slices.Grow((*body)[:0], int(l))[:l]
		if _, err := io.ReadFull(fr.r, *body); err != nil {
			return runEntry{}, false, err
		}
	}
	e.t, e.o = fr.t, fr.o
	return e, true, nil
}

// mergedToken is one token's postings from every run that has it.
type mergedToken struct {
	tok    string
	hash   uint32
	tn, on uint32
	t, o   [][]byte // one segment a run
}

// merger walks the runs' union in (hash, token) order.
type merger struct {
	runs  []run
	heads []runEntry // current entry of each run
	heap  []int      // run indexes, a min-heap on their heads
}

func newMerger(runs []run) *merger {
	return &merger{runs: runs, heads: make([]runEntry, len(runs))}
}

func (m *merger) less(a, b int) bool {
	x, y := &m.heads[a], &m.heads[b]
	if x.hash != y.hash {
		return x.hash < y.hash
	}
	return x.tok < y.tok
}

func (m *merger) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !m.less(m.heap[i], m.heap[p]) {
			return
		}
		m.heap[i], m.heap[p] = m.heap[p], m.heap[i]
		i = p
	}
}

func (m *merger) down(i int) {
	for {
		l := 2*i + 1
		if l >= len(m.heap) {
			return
		}
		c := l
		if r := l + 1; r < len(m.heap) && m.less(m.heap[r], m.heap[l]) {
			c = r
		}
		if !m.less(m.heap[c], m.heap[i]) {
			return
		}
		m.heap[i], m.heap[c] = m.heap[c], m.heap[i]
		i = c
	}
}

// start rewinds every run and loads its first entry.
func (m *merger) start(bodies bool) error {
	m.heap = m.heap[:0]
	for i, r := range m.runs {
		if err := r.rewind(); err != nil {
			return err
		}
		e, ok, err := r.next(bodies)
		if err != nil {
			return err
		}
		if ok {
			m.heads[i] = e
			m.heap = append(m.heap, i)
			m.up(len(m.heap) - 1)
		}
	}
	return nil
}

// next returns the following token, its segments copied when bodies is
// set (a file run reuses its buffers), or false at the end.
func (m *merger) next(bodies bool) (mergedToken, bool, error) {
	if len(m.heap) == 0 {
		return mergedToken{}, false, nil
	}
	top := m.heads[m.heap[0]]
	t := mergedToken{tok: top.tok, hash: top.hash}
	for len(m.heap) > 0 {
		i := m.heap[0]
		e := &m.heads[i]
		if e.hash != t.hash || e.tok != t.tok {
			break
		}
		t.tn += e.tn
		t.on += e.on
		if bodies {
			if _, mem := m.runs[i].(*memRun); mem {
				t.t, t.o = append(t.t, e.t), append(t.o, e.o)
			} else {
				t.t, t.o = append(t.t, slices.Clone(e.t)), append(t.o, slices.Clone(e.o))
			}
		}
		ne, ok, err := m.runs[i].next(bodies)
		if err != nil {
			return mergedToken{}, false, err
		}
		if ok {
			m.heads[i] = ne
			m.down(0)
		} else {
			last := len(m.heap) - 1
			m.heap[0] = m.heap[last]
			m.heap = m.heap[:last]
			m.down(0)
		}
	}
	return t, true, nil
}
