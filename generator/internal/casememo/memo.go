// Package casememo remembers, for each case file, what a run derived from
// it (the checks' findings, the rules' compact keys, the list summary, the
// search tokens…), so that the next run can take a case whose file has not
// changed without reading, parsing, checking or tokenising it again. At a
// million decisions that work is most of a rebuild.
//
// A file is "unchanged" when its size, mtime and ctime are those recorded,
// or, failing that (a fresh git checkout touches every file), when its
// SHA-256 is the one recorded. Like git's index, a stat recorded less than
// a second before the run that recorded it began is not trusted: a file
// rewritten within the file system's timestamp granularity could keep the
// same stat.
//
// On disk, in its folder: data, an append-only log of records, and index,
// rewritten whole by each successful run (a sorted table of path hashes,
// stats, record offsets and each record's SHA-256). The index is
// authenticated with HMAC-SHA-256 under the key, which sums up everything
// else the results depend on (the generator, the site's lists and
// layouts) and a secret: another key, damage, or records forged by
// someone who can write the folder but does not know the secret, and the
// memo is not used (a slower build, never a wrong one). When dead records
// outweigh the live ones the log is compacted.
package casememo

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// Files is where case files are read: their stat without following a
// symbolic link, and their bytes (safefs.FS).
type Files interface {
	Lstat(name string) (fs.FileInfo, error)
	ReadFile(name string) ([]byte, error)
}

// Memo is one run's use of the memo. Lookup, Keep and Store are safe for
// concurrent use; Commit is called once, after them.
type Memo struct {
	dir     string
	key     [32]byte
	started int64 // this run's start, Unix ns
	files   Files

	old      []entry // the last run's index, by hash
	trustOld int64   // a stat in old is trusted when its mtime and ctime are below this

	data   *os.File
	dataID [8]byte

	mu      sync.Mutex
	size    int64   // end of data, with pending
	pending []byte  // records not yet written, from size-len(pending)
	next    []entry // this run's index
	err     error   // the first write failure: Commit then writes no index
	stats   Stats

	readOnly bool
}

// Stats counts a run's use of the memo.
type Stats struct {
	Unchanged int // found unchanged by their stat
	SameBytes int // stat changed, bytes did not (checked out again, touched)
	Stored    int // read and stored anew
}

// Stats returns the counts so far.
func (m *Memo) Stats() Stats {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.stats
}

// entry is one case file in an index.
type entry struct {
	hash         uint64 // of the path
	mtime, ctime int64
	off          int64 // of the record in data
	size         uint32
	n            uint32   // record length
	sum          [16]byte // of the record (SHA-256, truncated)
}

const entrySize = 56

// Stat is a case file's stat as recorded.
type Stat struct {
	mtime, ctime int64
	size         uint32
	ok           bool // a regular file of a size a stat can describe
}

// Hit is a case found unchanged: its payload, and what Keep needs.
type Hit struct {
	Payload []byte
	e       entry
	reread  bool
}

const (
	magicData  = "zfgs-casememo-data-1\n"
	magicIndex = "zfgs-casememo-index-1\n"
	// pendingMax bounds the records buffered before a write.
	pendingMax = 1 << 20
)

// Open starts using the memo in dir for a run whose results depend on key
// (and on each case file). It never fails: a memo that cannot be read is
// an empty one, and one that cannot be written (read-only folder) is
// used for reading only.
//
// Whoever can write dir could forge records (a case's findings, say none
// where the file holds an ID number), so key must also hold a secret that
// such a writer does not know: see the generator's memoKey.
func Open(dir string, key [32]byte, files Files) *Memo {
	m := &Memo{dir: dir, key: key, started: time.Now().UnixNano(), files: files}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		m.err = err
		return m
	}
	m.loadIndex()
	f, err := os.OpenFile(filepath.Join(dir, "data"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		m.old, m.err = nil, err
		return m
	}
	if !lockFile(f) {
		// Another build of this site is running: go without the memo.
		f.Close()
		m.old, m.err = nil, errors.New("另一个生成过程正在使用案件缓存")
		return m
	}
	return m.useData(f)
}

// OpenReadOnly is Open for a run that writes nothing (check): a memo that
// is missing or has another key is simply not used, and Store and Commit
// do nothing.
func OpenReadOnly(dir string, key [32]byte, files Files) *Memo {
	m := &Memo{dir: dir, key: key, started: time.Now().UnixNano(), files: files, readOnly: true}
	m.loadIndex()
	f, err := os.Open(filepath.Join(dir, "data"))
	if err != nil || m.old == nil {
		if f != nil {
			f.Close()
		}
		m.old = nil
		return m
	}
	return m.useData(f)
}

// useData pairs the loaded index with the log f, or starts the log again
// (read-only: forgets the index) when they do not belong together.
func (m *Memo) useData(f *os.File) *Memo {
	m.data = f
	head := make([]byte, len(magicData)+8)
	if _, err := f.ReadAt(head, 0); err == nil && string(head[:len(magicData)]) == magicData &&
		m.old != nil && [8]byte(head[len(magicData):]) == m.dataID {
		st, err := f.Stat()
		if err == nil {
			m.size = st.Size()
			return m
		}
	}
	// Another key, another format or a log the index does not describe:
	// start again.
	m.old = nil
	if !m.readOnly {
		m.startData()
	}
	return m
}

// startData truncates the log and writes its header (a fresh data id).
func (m *Memo) startData() {
	if _, err := rand.Read(m.dataID[:]); err != nil {
		m.err = err
		return
	}
	if err := m.data.Truncate(0); err != nil {
		m.err = err
		return
	}
	head := append([]byte(magicData), m.dataID[:]...)
	if _, err := m.data.WriteAt(head, 0); err != nil {
		m.err = err
		return
	}
	m.size = int64(len(head))
}

// loadIndex reads the last run's index when it has this key; otherwise
// m.old stays nil.
func (m *Memo) loadIndex() {
	raw, err := os.ReadFile(filepath.Join(m.dir, "index"))
	hl := len(magicIndex) + 8 + 8
	if err != nil || len(raw) < hl+sha256.Size || string(raw[:len(magicIndex)]) != magicIndex {
		return
	}
	body, mac := raw[:len(raw)-sha256.Size], raw[len(raw)-sha256.Size:]
	if !hmac.Equal(mac, m.mac(body)) || (len(body)-hl)%entrySize != 0 {
		return
	}
	m.dataID = [8]byte(raw[len(magicIndex):])
	m.trustOld = int64(binary.LittleEndian.Uint64(raw[len(magicIndex)+8:])) - int64(time.Second)
	old := make([]entry, 0, (len(body)-hl)/entrySize)
	for b := body[hl:]; len(b) > 0; b = b[entrySize:] {
		old = append(old, entry{
			hash:  binary.LittleEndian.Uint64(b),
			mtime: int64(binary.LittleEndian.Uint64(b[8:])),
			ctime: int64(binary.LittleEndian.Uint64(b[16:])),
			off:   int64(binary.LittleEndian.Uint64(b[24:])),
			size:  binary.LittleEndian.Uint32(b[32:]),
			n:     binary.LittleEndian.Uint32(b[36:]),
			sum:   [16]byte(b[40:]),
		})
	}
	if !slices.IsSortedFunc(old, func(a, b entry) int { return cmpUint(a.hash, b.hash) }) {
		return
	}
	m.old = old
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// pathHash is FNV-1a 64 of the path: stable across runs and machines.
func pathHash(p string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(p); i++ {
		h ^= uint64(p[i])
		h *= 1099511628211
	}
	return h
}

// Stat returns file's stat as the memo records it (zero when it is not a
// regular file).
func (m *Memo) Stat(file string) Stat {
	fi, err := m.files.Lstat(file)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > 1<<31 {
		return Stat{}
	}
	mt, ct := times(fi)
	return Stat{mtime: mt, ctime: ct, size: uint32(fi.Size()), ok: true}
}

// Lookup returns file's payload when the file is unchanged since a run
// stored it; st is the file's stat now (see Stat). The payload is read
// into buf (grown as needed): a worker passes the same buffer for every
// case, so a million lookups do not make gigabytes of garbage, and must
// be done with one payload before the next lookup.
func (m *Memo) Lookup(file string, st Stat, buf *[]byte) (Hit, bool) {
	if len(m.old) == 0 || !st.ok {
		return Hit{}, false
	}
	h := pathHash(file)
	i, _ := slices.BinarySearchFunc(m.old, h, func(e entry, h uint64) int { return cmpUint(e.hash, h) })
	for ; i < len(m.old) && m.old[i].hash == h; i++ {
		e := m.old[i]
		digest, payload, ok := m.read(e, file, buf)
		if !ok {
			continue
		}
		same := e.size == st.size && e.mtime == st.mtime && e.ctime == st.ctime &&
			e.mtime < m.trustOld && e.ctime < m.trustOld
		if !same {
			// Touched, checked out again, or recorded too close to its last
			// change to trust: the bytes decide.
			data, err := m.files.ReadFile(file)
			if err != nil || sha256.Sum256(data) != digest {
				return Hit{}, false
			}
			e.size, e.mtime, e.ctime = st.size, st.mtime, st.ctime
		}
		return Hit{Payload: payload, e: e, reread: !same}, true
	}
	return Hit{}, false
}

// read returns the record at e when it is intact and is file's.
func (m *Memo) read(e entry, file string, buf *[]byte) (digest [32]byte, payload []byte, ok bool) {
	if e.n < 4 || e.n > 1<<26 || m.data == nil {
		return digest, nil, false
	}
	if cap(*buf) < int(e.n) {
		*buf = make([]byte, e.n)
	}
	rec := (*buf)[:e.n]
	if _, err := m.data.ReadAt(rec, e.off); err != nil {
		return digest, nil, false
	}
	if sum := sha256.Sum256(rec); [16]byte(sum[:]) != e.sum {
		return digest, nil, false
	}
	body := rec
	pl, k := binary.Uvarint(body)
	if k <= 0 || pl > uint64(len(body)-k) || string(body[k:k+int(pl)]) != file {
		return digest, nil, false
	}
	body = body[k+int(pl):]
	if len(body) < 32 {
		return digest, nil, false
	}
	return [32]byte(body), body[32:], true
}

// Keep carries a hit over to this run's index.
func (m *Memo) Keep(h Hit) {
	m.mu.Lock()
	m.next = append(m.next, h.e)
	if h.reread {
		m.stats.SameBytes++
	} else {
		m.stats.Unchanged++
	}
	m.mu.Unlock()
}

// Store records what this run derived from file, whose bytes had digest
// and whose stat, taken before they were read, was st.
func (m *Memo) Store(file string, st Stat, digest [32]byte, payload []byte) {
	if !st.ok || m.readOnly {
		return
	}
	rec := make([]byte, 0, len(file)+len(payload)+48)
	rec = binary.AppendUvarint(rec, uint64(len(file)))
	rec = append(rec, file...)
	rec = append(rec, digest[:]...)
	rec = append(rec, payload...)
	sum := sha256.Sum256(rec)

	m.mu.Lock()
	defer m.mu.Unlock()
	if m.err != nil || m.data == nil {
		return
	}
	m.next = append(m.next, entry{hash: pathHash(file), mtime: st.mtime, ctime: st.ctime, size: st.size, off: m.size, n: uint32(len(rec)), sum: [16]byte(sum[:])})
	m.stats.Stored++
	m.pending = append(m.pending, rec...)
	m.size += int64(len(rec))
	if len(m.pending) >= pendingMax {
		m.flush()
	}
}

// flush writes the pending records (m.mu held).
func (m *Memo) flush() {
	if len(m.pending) == 0 || m.err != nil {
		return
	}
	if _, err := m.data.WriteAt(m.pending, m.size-int64(len(m.pending))); err != nil {
		m.err = err
	}
	m.pending = m.pending[:0]
}

// Commit makes this run's records the memo of the next run: it writes
// the log, compacts it when most of it is dead, and replaces the index.
// Call it only for a run whose results were published; without Commit
// the next run sees the last committed memo.
func (m *Memo) Commit() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.readOnly {
		return nil
	}
	m.flush()
	if m.err != nil {
		return m.err
	}
	slices.SortFunc(m.next, func(a, b entry) int { return cmpUint(a.hash, b.hash) })
	var live int64
	for _, e := range m.next {
		live += int64(e.n)
	}
	if m.size > 2*live+32<<20 {
		if err := m.compact(); err != nil {
			return err
		}
	}
	buf := bytes.NewBuffer(make([]byte, 0, len(magicIndex)+16+len(m.next)*entrySize+sha256.Size))
	buf.WriteString(magicIndex)
	buf.Write(m.dataID[:])
	var b [entrySize]byte
	binary.LittleEndian.PutUint64(b[:], uint64(m.started))
	buf.Write(b[:8])
	for _, e := range m.next {
		binary.LittleEndian.PutUint64(b[0:], e.hash)
		binary.LittleEndian.PutUint64(b[8:], uint64(e.mtime))
		binary.LittleEndian.PutUint64(b[16:], uint64(e.ctime))
		binary.LittleEndian.PutUint64(b[24:], uint64(e.off))
		binary.LittleEndian.PutUint32(b[32:], e.size)
		binary.LittleEndian.PutUint32(b[36:], e.n)
		copy(b[40:], e.sum[:])
		buf.Write(b[:])
	}
	raw := append(buf.Bytes(), m.mac(buf.Bytes())...)
	return writeAtomic(filepath.Join(m.dir, "index"), raw)
}

// compact copies the live records into a new log (m.mu held) and points
// m.next at it. The new log has a new data id: an index from before can
// no longer be paired with it.
func (m *Memo) compact() error {
	tmp := filepath.Join(m.dir, "data.tmp")
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	old := m.data
	m.data = f
	m.startData()
	w := io.NewOffsetWriter(f, m.size)
	for i := range m.next {
		e := &m.next[i]
		rec := make([]byte, e.n)
		if _, err := old.ReadAt(rec, e.off); err != nil && m.err == nil {
			m.err = err
		}
		if _, err := w.Write(rec); err != nil && m.err == nil {
			m.err = err
		}
		e.off = m.size
		m.size += int64(e.n)
	}
	if m.err == nil {
		m.err = os.Rename(tmp, filepath.Join(m.dir, "data"))
	}
	old.Close()
	return m.err
}

// mac authenticates an index.
func (m *Memo) mac(index []byte) []byte {
	h := hmac.New(sha256.New, m.key[:])
	h.Write(index)
	return h.Sum(nil)
}

// Close releases the log. It does not commit.
func (m *Memo) Close() {
	if m.data != nil {
		m.data.Close()
	}
}

func writeAtomic(name string, data []byte) error {
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, name); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
