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

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"syscall"
)

// Key sums up the inputs a group of files was made from (a SHA-256).
type Key [32]byte

// fileID is what identifies one output file without reading it.
type fileID struct {
	rel   string
	size  int64
	mtime int64 // ns
	ino   uint64
}

type group struct {
	key   Key
	files []fileID
}

// manifests of a Tx; zero when the cache is not in use.
type groupCache struct {
	path string           // where the manifest is saved on Commit; "" = no cache
	prev map[string]group // the previous build's groups (read-only once loaded)

	mu   sync.Mutex
	next map[string]group
}

const manifestMagic = "zfgs-publish-manifest 1\n"

// UseCache turns the group cache on: the manifest at path (if any) describes
// the previous output, and Commit saves this build's there. A missing,
// unreadable or foreign manifest only means nothing is taken over.
func (t *Tx) UseCache(path string) {
	t.cache.path = path
	t.cache.next = map[string]group{}
	if t.prev == "" {
		return
	}
	if m, err := readManifest(path); err == nil {
		t.cache.prev = m
	}
}

// Reuse takes over the files of the previous build's group name if it was
// made with the same key and every file of it is still intact there. It
// reports whether it did; if not, the caller makes the files anew (with
// Group).
func (t *Tx) Reuse(name string, key Key) bool {
	g, ok := t.cache.prev[name]
	if !ok || g.key != key {
		return false
	}
	for i, f := range g.files {
		if !t.linkPrev(f) {
			for _, done := range g.files[:i] {
				os.Remove(filepath.Join(t.tmp, filepath.FromSlash(done.rel)))
			}
			return false
		}
	}
	t.reused.Add(int64(len(g.files)))
	t.record(name, g)
	return true
}

// linkPrev hard-links one file of the previous output into the new one if
// it is still the file the manifest describes.
func (t *Tx) linkPrev(f fileID) bool {
	old := filepath.Join(t.prev, filepath.FromSlash(f.rel))
	fi, err := os.Lstat(old)
	if err != nil || !fi.Mode().IsRegular() || identify(f.rel, fi) != f {
		return false
	}
	full := filepath.Join(t.tmp, filepath.FromSlash(f.rel))
	if err := t.mkdirFor(f.rel, full); err != nil {
		return false
	}
	return os.Link(old, full) == nil
}

func identify(rel string, fi os.FileInfo) fileID {
	id := fileID{rel: rel, size: fi.Size(), mtime: fi.ModTime().UnixNano()}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		id.ino = st.Ino
	}
	return id
}

func (t *Tx) record(name string, g group) {
	if t.cache.next == nil {
		return
	}
	t.cache.mu.Lock()
	t.cache.next[name] = g
	t.cache.mu.Unlock()
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
	return &GroupWriter{t: t, name: name, g: group{key: key}, track: t.cache.next != nil}
}

// WriteFile writes one file of the group (see Tx.WriteFile).
func (w *GroupWriter) WriteFile(rel string, data []byte) error {
	fi, err := w.t.writeFile(rel, data, w.track)
	if err == nil && w.track {
		w.g.files = append(w.g.files, identify(rel, fi))
	}
	return err
}

// Done records the group's files, once they are all written.
func (w *GroupWriter) Done() {
	if w.track {
		w.t.record(w.name, w.g)
	}
}

// saveManifest writes this build's groups next to path and renames it into
// place, so a reader never sees half a manifest.
func (t *Tx) saveManifest() error {
	c := &t.cache
	if c.path == "" {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(c.path), 0o755); err != nil {
		return err
	}
	tmp := c.path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<16)
	w.WriteString(manifestMagic)
	var buf []byte
	for name, g := range c.next {
		buf = appendString(buf[:0], name)
		buf = append(buf, g.key[:]...)
		buf = binary.AppendUvarint(buf, uint64(len(g.files)))
		for _, f := range g.files {
			buf = appendString(buf, f.rel)
			buf = binary.AppendVarint(buf, f.size)
			buf = binary.AppendVarint(buf, f.mtime)
			buf = binary.AppendUvarint(buf, f.ino)
		}
		w.Write(buf)
	}
	err = w.Flush()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, c.path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// errManifest is any malformed manifest: it is ignored as a whole.
var errManifest = errors.New("publish: 构建缓存清单已损坏")

func readManifest(p string) (map[string]group, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<16)
	magic := make([]byte, len(manifestMagic))
	if _, err := io.ReadFull(r, magic); err != nil || string(magic) != manifestMagic {
		return nil, errManifest
	}
	m := map[string]group{}
	for {
		name, err := readString(r)
		if err == io.EOF {
			return m, nil
		}
		if err != nil {
			return nil, errManifest
		}
		var g group
		if _, err := io.ReadFull(r, g.key[:]); err != nil {
			return nil, errManifest
		}
		n, err := binary.ReadUvarint(r)
		if err != nil || n > 64 {
			return nil, errManifest
		}
		g.files = make([]fileID, n)
		for i := range g.files {
			f := &g.files[i]
			if f.rel, err = readString(r); err != nil || !validRel(f.rel) {
				return nil, errManifest
			}
			if f.size, err = binary.ReadVarint(r); err != nil {
				return nil, errManifest
			}
			if f.mtime, err = binary.ReadVarint(r); err != nil {
				return nil, errManifest
			}
			if f.ino, err = binary.ReadUvarint(r); err != nil {
				return nil, errManifest
			}
		}
		m[name] = g
	}
}

func readString(r *bufio.Reader) (string, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return "", err
	}
	if n > 4096 {
		return "", errManifest
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", errManifest
	}
	return string(b), nil
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
	return filepath.Join(cacheDir, fmt.Sprintf("publish-%016x.manifest", pathHash(abs)))
}

func pathHash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}
