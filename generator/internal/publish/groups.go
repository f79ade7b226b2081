package publish

// Groups: the build cache of per-case output.
//
// A case's page (index.html and print.html) and its QR codes (svg, png) are
// each a group of files made from known inputs, summed up in a Key. The
// manifest (kept outside the output, in the site's .cache/) records, for
// every group of the last published build, its key and the identity of each
// of its files (size, mtime, inode). A later build that computes the same
// key for a group takes the files over from the previous output by hard
// link, without rendering or even reading them.
//
// The file identity check is what makes trusting the manifest safe: a file
// edited, replaced or deleted in the output since (by hand, by another
// build without the cache, by a build killed before its manifest was
// saved) no longer matches, and the group is rendered again. Hard links keep
// inode and mtime, so a file made once keeps matching through any number of
// later builds.
//
// An output restored from a CI cache (a tar archive: same bytes and mtimes,
// new inodes) matches nothing by identity. The manifest also records each
// file's content hash and, sealed with the cache secret (UseCache), is
// trusted to say what bytes each file held: a file whose identity differs
// but whose size and content hash agree is taken over, and recorded under
// its new identity, so only the first build after a restore reads the
// files. Without the seal a file whose identity differs is made again.

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"golang.org/x/sys/unix"
)

// Key sums up the inputs a group of files was made from (a SHA-256; the
// manifest keeps its first 16 bytes).
type Key = [32]byte

const keyLen = 16

// fileID is what identifies one output file without reading it, and the
// content hash (the first bytes of its SHA-256) that vouches for its bytes
// when its identity has changed (see intact).
type fileID struct {
	rel   string
	size  int64
	mtime int64 // ns
	ino   uint64
	sum   [keyLen]byte
}

// sameFile reports whether a and b are the same file, by identity.
func sameFile(a, b fileID) bool {
	return a.rel == b.rel && a.size == b.size && a.mtime == b.mtime && a.ino == b.ino
}

type group struct {
	key   [keyLen]byte
	files []fileID
}

// groupCache is the manifest side of a Tx; zero when the cache is off.
//
// Memory stays flat in the number of cases: the previous manifest is held
// as its raw bytes plus a map from the 64-bit hash of each group name to
// its record (~130 bytes a case in all), and this build's manifest is
// written to a temporary file as groups complete, not kept.
type groupCache struct {
	path    string            // where the manifest is saved on Commit; "" = no cache
	raw     []byte            // the previous manifest (mapped: see mapFile)
	release func()            // unmaps raw; nil when there is none
	offs    []uint32          // offset in raw of each record, in order
	index   map[uint64]uint32 // name hash → its record's number in offs (read-only once loaded)
	taken   []atomic.Uint64   // bit i: record i was taken over whole (Reuse), so each of its files is in this build too
	seal    []byte            // the key manifests are sealed with; nil: not sealed
	sealed  func() bool       // whether the previous manifest's seal is good (checked once, when first needed)

	mu   sync.Mutex
	file *os.File // this build's manifest, being written
	w    *bufio.Writer
	mac  hash.Hash // seals what w writes; nil without a seal
	err  error
	// In place, the 64-bit path hash of every file recorded in this
	// build's manifest (for deletions).
	hashProduced bool
	produced     []uint64
}

// A manifest starts with manifestMagic and the generation (below) of the
// output it describes, 32 hex digits and a newline, then the records, and
// ends with its seal: an HMAC-SHA-256 of all before it, or zeros.
const (
	manifestMagic = "zfgs-publish-manifest 3\n"
	genLen        = 32
	headerLen     = len(manifestMagic) + genLen + 1
	footerLen     = sha256.Size
)

// UseCache turns the group cache on: the manifest at path (if any) describes
// the previous output, and Commit saves this build's there. A missing,
// unreadable or foreign manifest only means nothing is taken over; a
// manifest that cannot be written only means the next build takes nothing
// over.
//
// With inPlace, and when the previous output and its manifest are usable,
// the build updates the output in place (see commitInPlace) instead of
// swapping in a whole new tree.
//
// seal, when not nil, is a secret the manifest is sealed with (see the
// package comment): a previous manifest sealed with it vouches for the
// content of its files.
func (t *Tx) UseCache(path string, inPlace bool, seal []byte) {
	c := &t.cache
	c.path = path
	c.seal = seal
	if t.prev != "" {
		if m, gen, err := readManifest(path); err == nil {
			c.raw, c.release, c.offs, c.index = m.raw, m.release, m.offs, m.index
			c.taken = make([]atomic.Uint64, (len(m.offs)+63)/64)
			c.sealed = sync.OnceValue(func() bool {
				return c.seal != nil && hmac.Equal(m.footer, sealOf(c.seal, m.raw))
			})
			// In place only over the very output this manifest describes:
			// any build since (from another source or cache folder,
			// without the cache) has changed the generation, and files it
			// left would be unknown to the manifest, never deleted.
			t.placing = inPlace && gen != "" && gen == readGeneration(t.out)
			c.hashProduced = t.placing
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		c.err = err
		return
	}
	// Leftovers of killed builds (one build at a time writes an output).
	stale, _ := filepath.Glob(path + ".tmp-*")
	for _, p := range stale {
		os.Remove(p)
	}
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		c.err = err
		return
	}
	c.file, c.w = f, bufio.NewWriterSize(f, 1<<16)
	if seal != nil {
		c.mac = hmac.New(sha256.New, seal)
	}
	c.emit([]byte(manifestMagic + t.gen + "\n"))
}

// emit appends b to this build's manifest (with c.mu held, or before any
// group is written).
func (c *groupCache) emit(b []byte) {
	if _, err := c.w.Write(b); err != nil && c.err == nil {
		c.err = err
	}
	if c.mac != nil {
		c.mac.Write(b)
	}
}

// sealOf is the seal of manifest bytes b.
func sealOf(key, b []byte) []byte {
	mac := hmac.New(sha256.New, key)
	mac.Write(b)
	return mac.Sum(nil)
}

// lookup returns the previous build's record of group name, and its number.
func (c *groupCache) lookup(name string) (group, []byte, uint32, bool) {
	i, ok := c.index[hash64(name)]
	if !ok {
		return group{}, nil, 0, false
	}
	rec := c.raw[c.offs[i]:]
	n, g, err := decodeGroup(rec)
	if err != nil || n.name != name {
		return group{}, nil, 0, false // a hash collision: no reuse for either
	}
	return g, rec[:n.len], i, true
}

// Reuse takes over the files of the previous build's group name if it was
// made with the same key and every file of it is still intact there. It
// reports whether it did; if not, the caller makes the files anew (with
// Group).
func (t *Tx) Reuse(name string, key Key) bool {
	g, rec, i, ok := t.cache.lookup(name)
	if !ok || [keyLen]byte(key[:keyLen]) != g.key {
		return false
	}
	renewed := false
	for j, f := range g.files {
		now, ok := t.intact(f)
		if ok && !t.placing {
			ok = t.link(f.rel)
			if !ok {
				for _, done := range g.files[:j] {
					os.Remove(filepath.Join(t.tmp, filepath.FromSlash(done.rel)))
				}
			}
		}
		if !ok {
			return false
		}
		if !sameFile(now, f) {
			g.files[j], renewed = now, true
		}
	}
	t.reused.Add(int64(len(g.files)))
	if renewed {
		rec = encodeGroup(nil, name, g) // the same files, now known by their new identity
	}
	t.cache.write(rec, g.files)
	t.cache.taken[i/64].Or(1 << (i % 64))
	return true
}

// Holds reports whether the previous output's file rel, written on its
// own (WriteFile), is still the file the manifest records with key (a
// SHA-256 of its bytes): a check without reading the file, and without
// taking it over (that is Reuse(rel, key)).
func (t *Tx) Holds(rel string, key Key) bool {
	g, _, _, ok := t.cache.lookup(rel)
	if !ok || len(g.files) != 1 || g.files[0].rel != rel || [keyLen]byte(key[:keyLen]) != g.key {
		return false
	}
	_, intact := t.intact(g.files[0])
	return intact
}

// link hard-links the previous output's file rel into the new one.
func (t *Tx) link(rel string) bool {
	old := filepath.Join(t.prev, filepath.FromSlash(rel))
	full := filepath.Join(t.tmp, filepath.FromSlash(rel))
	return inDir(full, func() error { return os.Link(old, full) }) == nil
}

// intact reports whether the previous output's file is still the one the
// manifest describes, and returns its identity now: the same, or, for a
// file whose identity changed but whose content the sealed manifest
// vouches for, the new one.
func (t *Tx) intact(f fileID) (fileID, bool) {
	now, ok := t.statPrev(f.rel)
	if !ok {
		return f, false
	}
	if sameFile(now, f) {
		return f, true
	}
	if now.size != f.size || f.sum == ([keyLen]byte{}) || t.cache.sealed == nil || !t.cache.sealed() {
		return f, false
	}
	// The identity of the file read, taken after reading it: the file
	// stands only if it did not change meanwhile.
	read, sum, err := t.readPrev(f.rel)
	if err != nil || sum != f.sum || !sameFile(read, now) {
		return f, false
	}
	read.sum = f.sum
	return read, true
}

// statPrev is the identity of the previous output's file rel, if it is a
// regular file.
func (t *Tx) statPrev(rel string) (fileID, bool) {
	if t.prevDir < 0 {
		fi, err := os.Lstat(filepath.Join(t.prev, filepath.FromSlash(rel)))
		if err != nil || !fi.Mode().IsRegular() {
			return fileID{}, false
		}
		return identify(rel, fi), true
	}
	var st unix.Stat_t
	for {
		err := unix.Fstatat(t.prevDir, rel, &st, unix.AT_SYMLINK_NOFOLLOW)
		if err == unix.EINTR {
			continue
		}
		if err != nil || st.Mode&unix.S_IFMT != unix.S_IFREG {
			return fileID{}, false
		}
		// The same fields as identify.
		return fileID{rel: rel, size: st.Size, mtime: st.Mtim.Nano(), ino: st.Ino}, true
	}
}

// readPrev reads the previous output's file rel and returns its identity
// once read and its content hash.
func (t *Tx) readPrev(rel string) (fileID, [keyLen]byte, error) {
	f, err := os.Open(filepath.Join(t.prev, filepath.FromSlash(rel)))
	if err != nil {
		return fileID{}, [keyLen]byte{}, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return fileID{}, [keyLen]byte{}, err
	}
	fi, err := f.Stat()
	if err != nil {
		return fileID{}, [keyLen]byte{}, err
	}
	return identify(rel, fi), [keyLen]byte(h.Sum(nil)), nil
}

// sameContent reports whether the manifest says the previous output's file
// rel, still the file fi, holds the content whose key is key. (Only plain
// files are recorded under their own path; a group's files are not.)
func (c *groupCache) sameContent(rel string, fi os.FileInfo, key [keyLen]byte) bool {
	g, _, _, ok := c.lookup(rel)
	return ok && len(g.files) == 1 && sameFile(g.files[0], identify(rel, fi)) && g.key == key
}

func contentKey(data []byte) [keyLen]byte {
	sum := sha256.Sum256(data)
	return [keyLen]byte(sum[:keyLen])
}

func identify(rel string, fi os.FileInfo) fileID {
	id := fileID{rel: rel, size: fi.Size(), mtime: fi.ModTime().UnixNano()}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		id.ino = st.Ino
	}
	return id
}

// write appends one record, of files, to this build's manifest.
func (c *groupCache) write(rec []byte, files []fileID) {
	if c.w == nil {
		return
	}
	c.mu.Lock()
	c.emit(rec)
	if c.hashProduced {
		for _, f := range files {
			c.produced = append(c.produced, hash64(f.rel))
		}
	}
	c.mu.Unlock()
}

// GroupWriter writes the files of one group; Done records them in the
// manifest. A group whose writing failed is simply not recorded.
type GroupWriter struct {
	t     *Tx
	name  string
	g     group
	track bool
}

// Group starts writing group name, made from inputs summed up by key.
func (t *Tx) Group(name string, key Key) *GroupWriter {
	return &GroupWriter{t: t, name: name, g: group{key: [keyLen]byte(key[:keyLen])}, track: t.cache.w != nil}
}

// WriteFile writes one file of the group (see Tx.WriteFile).
func (w *GroupWriter) WriteFile(rel string, data []byte) error {
	var sum *[keyLen]byte
	if w.track {
		k := contentKey(data)
		sum = &k
	}
	fi, err := w.t.writeFile(rel, data, w.track, sum)
	if err == nil && w.track {
		id := identify(rel, fi)
		id.sum = *sum
		w.g.files = append(w.g.files, id)
	}
	return err
}

// WriteStream writes one file of the group from what fill writes to it
// (see Tx.WriteStream).
func (w *GroupWriter) WriteStream(rel string, fill func(io.Writer) error) error {
	fi, sum, err := w.t.writeStream(rel, fill)
	if err == nil && w.track {
		id := identify(rel, fi)
		id.sum = sum
		w.g.files = append(w.g.files, id)
	}
	return err
}

// Done records the group's files, once they are all written.
func (w *GroupWriter) Done() {
	if w.track {
		w.t.cache.write(encodeGroup(nil, w.name, w.g), w.g.files)
	}
}

// saveManifest puts this build's manifest in place (one rename, so a
// reader never sees half of one).
func (t *Tx) saveManifest() error {
	c := &t.cache
	if c.file == nil {
		return nil
	}
	footer := make([]byte, footerLen)
	if c.mac != nil {
		footer = c.mac.Sum(nil)
	}
	c.w.Write(footer)
	err := c.err
	if err == nil {
		err = c.w.Flush()
	}
	if cerr := c.file.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(c.file.Name(), c.path)
	}
	if err != nil {
		os.Remove(c.file.Name())
		os.Remove(c.path) // stale now; harmless, but it would only cost lookups
	}
	c.file = nil
	return err
}

// dropManifest discards this build's manifest (Abort), and lets go of the
// previous one.
func (t *Tx) dropManifest() {
	c := &t.cache
	if c.file != nil {
		c.file.Close()
		os.Remove(c.file.Name())
		c.file = nil
	}
	c.releaseManifest()
}

// A record: uvarint len(name), name, the key's first 16 bytes, uvarint file
// count, then per file: uvarint len(suffix)<<1 | full, the suffix (the
// file's path minus the group name when it starts with it, else the whole
// path, full=1), varint size, varint mtime (ns), uvarint inode, and the
// first 16 bytes of its content's SHA-256.
func encodeGroup(b []byte, name string, g group) []byte {
	b = appendString(b, name)
	b = append(b, g.key[:]...)
	b = binary.AppendUvarint(b, uint64(len(g.files)))
	for _, f := range g.files {
		suffix, short := strings.CutPrefix(f.rel, name)
		flag := uint64(0)
		if !short {
			suffix, flag = f.rel, 1
		}
		b = binary.AppendUvarint(b, uint64(len(suffix))<<1|flag)
		b = append(b, suffix...)
		b = binary.AppendVarint(b, f.size)
		b = binary.AppendVarint(b, f.mtime)
		b = binary.AppendUvarint(b, f.ino)
		b = append(b, f.sum[:]...)
	}
	return b
}

type recordInfo struct {
	name string
	len  int
}

// decodeGroup reads the record at the start of b.
func decodeGroup(b []byte) (recordInfo, group, error) {
	r := reader{b: b, ok: true}
	var g group
	name := r.string()
	copy(g.key[:], r.bytes(keyLen))
	n := r.uvarint()
	if n > 64 {
		r.fail()
	}
	for i := uint64(0); i < n && r.ok; i++ {
		v := r.uvarint()
		s := string(r.bytes(int(v >> 1)))
		rel := s
		if v&1 == 0 {
			rel = name + s
		}
		f := fileID{rel: rel, size: r.varint(), mtime: r.varint(), ino: r.uvarint()}
		copy(f.sum[:], r.bytes(keyLen))
		if !validRel(f.rel) {
			r.fail()
		}
		g.files = append(g.files, f)
	}
	if !r.ok {
		return recordInfo{}, group{}, errManifest
	}
	return recordInfo{name: name, len: r.p}, g, nil
}

// reader decodes varints and strings; any overrun sets ok to false.
type reader struct {
	b  []byte
	p  int
	ok bool
}

func (r *reader) fail() { r.ok = false; r.p = len(r.b) }

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b[r.p:])
	if n <= 0 {
		r.fail()
		return 0
	}
	r.p += n
	return v
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b[r.p:])
	if n <= 0 {
		r.fail()
		return 0
	}
	r.p += n
	return v
}

func (r *reader) bytes(n int) []byte {
	if n < 0 || n > len(r.b)-r.p || n > 4096 {
		r.fail()
		return nil
	}
	b := r.b[r.p : r.p+n]
	r.p += n
	return b
}

func (r *reader) string() string { return string(r.bytes(int(r.uvarint()))) }

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// errManifest is any malformed manifest: it is ignored as a whole.
var errManifest = errors.New("publish: 构建缓存清单已损坏")

// readManifest loads a manifest and indexes its records by name hash. Two
// names with the same hash are both left out (never confused).
// manifest is a previous build's manifest, mapped, with its records
// located.
type manifest struct {
	raw     []byte // up to the seal
	footer  []byte // the seal
	release func()
	offs    []uint32          // each record's offset, in order
	index   map[uint64]uint32 // name hash → record number; names whose hashes clash are left out
}

func readManifest(p string) (m manifest, gen string, err error) {
	raw, release, gen, err := mapManifest(p)
	if err != nil {
		return manifest{}, "", err
	}
	body := raw[:len(raw)-footerLen]
	m = manifest{raw: body, footer: raw[len(body):], release: release, index: map[uint64]uint32{}}
	clash := map[uint64]bool{}
	for off := headerLen; off < len(body); {
		info, _, err := decodeGroup(body[off:])
		if err != nil {
			release()
			return manifest{}, "", err
		}
		h := hash64(info.name)
		if _, dup := m.index[h]; dup {
			clash[h] = true
		}
		m.index[h] = uint32(len(m.offs))
		m.offs = append(m.offs, uint32(off))
		off += info.len
	}
	for h := range clash {
		delete(m.index, h)
	}
	return m, gen, nil
}

// mapManifest maps a manifest and checks its header; the records are
// not checked.
func mapManifest(p string) (raw []byte, release func(), gen string, err error) {
	raw, release, err = mapFile(p)
	if err != nil {
		return nil, nil, "", err
	}
	if len(raw) < headerLen+footerLen || string(raw[:len(manifestMagic)]) != manifestMagic || raw[headerLen-1] != '\n' || len(raw) > 1<<32-1 {
		release()
		return nil, nil, "", errManifest
	}
	return raw, release, string(raw[len(manifestMagic) : headerLen-1]), nil
}

// releaseManifest unmaps the previous manifest once the build is over.
func (c *groupCache) releaseManifest() {
	if c.release != nil {
		c.raw, c.offs, c.index, c.taken = nil, nil, nil, nil
		c.release()
		c.release = nil
	}
}

// validRel keeps a tampered manifest from naming files outside the output.
func validRel(rel string) bool { return fs.ValidPath(rel) && rel != "." }

// ManifestPath is where the manifest for output directory out is kept under
// cacheDir: one per output directory, so building to two places keeps two.
func ManifestPath(cacheDir, out string) string {
	abs, err := filepath.Abs(out)
	if err != nil {
		abs = out
	}
	return filepath.Join(cacheDir, fmt.Sprintf("publish-%016x.manifest", hash64(abs)))
}

func hash64(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}
