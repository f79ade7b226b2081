package casememo

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"zfgs/generator/internal/safefs"
)

// countingFS is the site's real file system, counting whole-file reads.
type countingFS struct {
	*safefs.FS
	reads atomic.Int64
}

func (c *countingFS) ReadFile(name string) ([]byte, error) {
	c.reads.Add(1)
	return c.FS.ReadFile(name)
}

type fixture struct {
	t     *testing.T
	root  string
	dir   string
	files *countingFS
}

func newFixture(t *testing.T, n int) *fixture {
	f := &fixture{t: t, root: t.TempDir(), dir: filepath.Join(t.TempDir(), "memo")}
	f.files = &countingFS{FS: safefs.New(f.root)}
	for i := range n {
		f.write(name(i), fmt.Sprintf("case %d\n", i))
	}
	return f
}

func name(i int) string { return fmt.Sprintf("c/%03d.md", i) }

func (f *fixture) write(rel, s string) {
	p := filepath.Join(f.root, rel)
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		f.t.Fatal(err)
	}
}

// run is one build: every file looked up, the misses read and stored
// with a payload naming their content, then committed. It returns the
// payload of each file as the run saw it.
func (f *fixture) run(key string, n int) (map[string]string, Stats) {
	m := Open(f.dir, sha256.Sum256([]byte(key)), f.files)
	defer m.Close()
	got := map[string]string{}
	var buf []byte
	for i := range n {
		file := name(i)
		st := m.Stat(file)
		if h, ok := m.Lookup(file, st, &buf); ok {
			m.Keep(h)
			got[file] = string(h.Payload)
			continue
		}
		data, err := f.files.FS.ReadFile(file)
		if err != nil {
			f.t.Fatal(err)
		}
		m.Store(file, st, sha256.Sum256(data), []byte("derived from "+string(data)))
		got[file] = "derived from " + string(data)
	}
	if err := m.Commit(); err != nil {
		f.t.Fatal(err)
	}
	return got, m.Stats()
}

// check fails unless every payload is the one derived from the file's
// current bytes: whatever the memo did, it never hands out a stale one.
func (f *fixture) check(got map[string]string) {
	f.t.Helper()
	for file, p := range got {
		data, _ := os.ReadFile(filepath.Join(f.root, file))
		if p != "derived from "+string(data) {
			f.t.Fatalf("%s: stale payload %q for %q", file, p, data)
		}
	}
}

func TestMemoReusesUnchangedFilesAndNeverAStaleOne(t *testing.T) {
	const n = 50
	f := newFixture(t, n)
	// A stat is trusted only when recorded more than a second after the
	// file last changed (racy-git rule): let the files age first.
	time.Sleep(1100 * time.Millisecond)
	got, st := f.run("site", n)
	f.check(got)
	if st.Stored != n {
		t.Fatalf("first run stored %d of %d", st.Stored, n)
	}

	got, st = f.run("site", n)
	f.check(got)
	if st.Unchanged != n || f.files.reads.Load() != 0 {
		t.Fatalf("unchanged files: %+v, %d read; want all %d found by their stat, none read", st, f.files.reads.Load(), n)
	}

	// An edit, a touch (same bytes), and a same-size edit whose mtime is
	// put back (its ctime still moves).
	f.write(name(1), "case 1, edited\n")
	p2 := filepath.Join(f.root, name(2))
	os.Chtimes(p2, time.Now(), time.Now())
	p3 := filepath.Join(f.root, name(3))
	fi, _ := os.Stat(p3)
	f.write(name(3), "case X\n")
	os.Chtimes(p3, fi.ModTime(), fi.ModTime())
	got, st = f.run("site", n)
	f.check(got)
	if st.Stored != 2 || st.SameBytes != 1 {
		t.Fatalf("after an edit, a touch and a same-size edit: %+v; want 2 stored, 1 same bytes", st)
	}

	// Another site key (a list or the generator changed): nothing reused.
	got, st = f.run("other site", n)
	f.check(got)
	if st.Stored != n {
		t.Fatalf("another key reused records: %+v", st)
	}
}

func TestMemoDamagedIsAMiss(t *testing.T) {
	const n = 20
	f := newFixture(t, n)
	f.run("site", n)
	// Flip a byte in every record but the header: each must be refused by
	// its SHA-256 in the index, and the run must still give the right payloads.
	data := filepath.Join(f.dir, "data")
	b, _ := os.ReadFile(data)
	for i := len(magicData) + 40; i < len(b); i += 7 {
		b[i] ^= 0x20
	}
	os.WriteFile(data, b, 0o644)
	got, st := f.run("site", n)
	f.check(got)
	if st.Stored != n {
		t.Fatalf("damaged records were used: %+v", st)
	}
	// A truncated index is an empty memo.
	idx := filepath.Join(f.dir, "index")
	b, _ = os.ReadFile(idx)
	os.WriteFile(idx, b[:len(b)-3], 0o644)
	got, st = f.run("site", n)
	f.check(got)
	if st.Stored != n {
		t.Fatalf("a truncated index was used: %+v", st)
	}
}

func TestMemoUncommittedRunIsForgottenAndLogIsCompacted(t *testing.T) {
	const n = 30
	f := newFixture(t, n)
	f.run("site", n)

	// A run that stores an edit but is not committed (its build failed).
	f.write(name(0), "case 0, edited but never published\n")
	m := Open(f.dir, sha256.Sum256([]byte("site")), f.files)
	st := m.Stat(name(0))
	var buf []byte
	if _, ok := m.Lookup(name(0), st, &buf); ok {
		t.Fatal("an edited file was found unchanged")
	}
	m.Store(name(0), st, sha256.Sum256([]byte("x")), []byte("derived from x"))
	m.Close()
	got, _ := f.run("site", n)
	f.check(got)

	// Rewrite every file many times: the log must not grow without bound.
	for round := range 40 {
		for i := range n {
			f.write(name(i), fmt.Sprintf("case %d round %d %s\n", i, round, string(make([]byte, 40000))))
		}
		got, _ = f.run("site", n)
		f.check(got)
	}
	fi, err := os.Stat(filepath.Join(f.dir, "data"))
	if err != nil {
		t.Fatal(err)
	}
	if live := int64(n * 40100); fi.Size() > 2*live+32<<20+live {
		t.Fatalf("log is %d bytes for %d live: not compacted", fi.Size(), live)
	}
	got, st2 := f.run("site", n)
	f.check(got)
	if st2.Stored != 0 {
		t.Fatalf("records lost by compaction: %+v", st2)
	}
}

// Two builds of one site at once: the second goes without the memo
// rather than append to the same log.
func TestMemoOneWriterAtATime(t *testing.T) {
	f := newFixture(t, 3)
	f.run("site", 3)
	key := sha256.Sum256([]byte("site"))
	first := Open(f.dir, key, f.files)
	defer first.Close()
	second := Open(f.dir, key, f.files)
	var buf []byte
	if _, ok := second.Lookup(name(0), second.Stat(name(0)), &buf); ok {
		t.Fatal("a second concurrent build used the memo")
	}
	if err := second.Commit(); err == nil {
		t.Fatal("a second concurrent build committed the memo")
	}
	second.Close()
	if _, ok := first.Lookup(name(0), first.Stat(name(0)), &buf); !ok {
		t.Fatal("the first build lost its memo")
	}
}
