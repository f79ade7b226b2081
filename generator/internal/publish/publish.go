// Package publish writes a built site atomically: every file goes into a
// temporary directory beside the output, and only a complete build is
// swapped in, with one rename(2) (RENAME_EXCHANGE), so a failed or killed
// build leaves the previous output complete and untouched.
//
// It also keeps the build cache's manifest (groups.go: what each group of
// output files was made from, so unchanged ones are taken over instead of
// made again) and, on request, updates the output in place under a
// journal instead of swapping (inplace.go), for rebuilds that change a
// few files of a very large site.
package publish

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// Tx is one build's output in progress.
type Tx struct {
	out  string // the final output directory
	tmp  string // where files are written until Commit
	prev string // the current output, whose unchanged files are reused; "" if none
	// prevDir is prev, opened: its files are looked up relative to it
	// (fstatat), a third cheaper than by full path, which matters for the
	// millions of files a rebuild checks (see intact). -1 if none.
	prevDir int
	done    bool
	cache   groupCache

	// placing: this build updates out in place (UseCache with inPlace and
	// a usable manifest): unchanged files are left where they are, the
	// changed ones are staged in tmp and moved in by Commit under a
	// journal. staged lists them.
	placing  bool
	gen      string // this build's generation (see generationPath)
	stagedMu sync.Mutex
	staged   []string

	written, reused atomic.Int64

	lock *os.File // the output's parent directory, flocked until Commit or Abort
}

const tmpPrefix = ".tmp-"

// Begin starts writing a new version of outDir. Leftovers of killed builds
// (temporary siblings) are removed first.
//
// One build at a time writes beside an output: Begin waits for an
// exclusive lock on the output's parent directory, held until Commit or
// Abort. Without it a second build would take the first one's temporary
// tree for a killed build's leftovers and delete it, or interleave its
// in-place journal with the first one's.
func Begin(outDir string) (*Tx, error) {
	out, err := filepath.Abs(outDir)
	if err != nil {
		return nil, err
	}
	parent, base := filepath.Dir(out), filepath.Base(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("无法创建输出目录的上级目录 %s%s；原有网站文件未受影响：%w", parent, reason(err), err)
	}
	lock, err := lockDir(parent)
	if err != nil {
		return nil, fmt.Errorf("无法锁定输出目录的上级目录 %s（防止两次生成同时写入）：%w", parent, err)
	}
	t, err := begin(out, parent, base)
	if err != nil {
		lock.Close()
		return nil, err
	}
	t.lock = lock
	return t, nil
}

// lockDir takes an exclusive flock on dir, waiting for it.
func lockDir(dir string) (*os.File, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	for {
		err = unix.Flock(int(f.Fd()), unix.LOCK_EX)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// unlock lets the next build of this output begin.
func (t *Tx) unlock() {
	if t.lock != nil {
		t.lock.Close()
		t.lock = nil
	}
}

// begin is Begin once the lock is held.
func begin(out, parent, base string) (*Tx, error) {
	// A build killed while moving files in place finishes first: the
	// output is then the one that build made, complete.
	if err := recoverJournal(out); err != nil {
		return nil, fmt.Errorf("无法完成上次中断的发布（%s）：%w", journalPath(out), err)
	}
	stale, _ := filepath.Glob(filepath.Join(parent, "."+base+tmpPrefix+"*"))
	for _, s := range stale {
		os.RemoveAll(s)
	}
	tmp, err := os.MkdirTemp(parent, "."+base+tmpPrefix)
	if err != nil {
		return nil, fmt.Errorf("无法在 %s 中创建临时输出目录%s；原有网站文件未受影响：%w", parent, reason(err), err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	t := &Tx{out: out, tmp: tmp, gen: newGeneration(), prevDir: -1}
	if fi, err := os.Lstat(out); err == nil && fi.IsDir() {
		t.prev = out
		if fd, err := unix.Open(out, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0); err == nil {
			t.prevDir = fd
		}
	}
	return t, nil
}

// Written and Reused count the files written anew and the unchanged files
// taken over from the previous output.
func (t *Tx) Written() int64 { return t.written.Load() }

// Reused: see Written.
func (t *Tx) Reused() int64 { return t.reused.Load() }

// Dir is the temporary directory files are written to.
func (t *Tx) Dir() string { return t.tmp }

// WriteFile writes one output file; rel is slash-separated and relative.
// It is safe for concurrent use.
func (t *Tx) WriteFile(rel string, data []byte) error {
	if t.cache.w == nil && t.cache.index == nil {
		_, err := t.writeFile(rel, data, false, nil)
		return err
	}
	// Hashed once: compared with the previous manifest's record, and
	// recorded as a group of one keyed by its content, so the next build
	// compares by hash instead of reading the file, and an in-place build
	// knows every file it must delete.
	key := contentKey(data)
	fi, err := t.writeFile(rel, data, t.cache.w != nil, &key)
	if err == nil && t.cache.w != nil {
		id := identify(rel, fi)
		id.sum = key
		files := []fileID{id}
		t.cache.write(encodeGroup(nil, rel, group{key: key, files: files}), files)
	}
	return err
}

// writeFile writes rel, or links the previous output's identical file; with
// stat it also returns the file's FileInfo (for the group manifest). key,
// when known, is data's content key (see reuse).
func (t *Tx) writeFile(rel string, data []byte, stat bool, key *[keyLen]byte) (os.FileInfo, error) {
	full, err := t.stagePath(rel)
	if err != nil {
		return nil, err
	}
	if fi := t.reuse(rel, full, data, key); fi != nil {
		t.reused.Add(1)
		return fi, nil
	}
	t.stage(rel)
	f, err := create(rel, full)
	if err != nil {
		return nil, err
	}
	_, err = f.Write(data)
	var fi os.FileInfo
	if err == nil && stat {
		fi, err = f.Stat()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, writeErr(rel, err)
	}
	t.written.Add(1)
	return fi, nil
}

// WriteStream writes rel from what fill writes to it, without holding the
// file in memory: a year's open-data files at a million decisions are
// hundreds of MB. It returns the file's FileInfo (for a group's record).
// Like writeFile, a file whose bytes turn out the same as the previous
// output's is not replaced: the new copy is compared with it once
// written, and dropped. A fill error leaves no file.
func (t *Tx) WriteStream(rel string, fill func(io.Writer) error) (os.FileInfo, error) {
	fi, _, err := t.writeStream(rel, fill)
	return fi, err
}

// writeStream is WriteStream, also returning the content hash of the file.
func (t *Tx) writeStream(rel string, fill func(io.Writer) error) (os.FileInfo, [keyLen]byte, error) {
	var sum [keyLen]byte
	full, err := t.stagePath(rel)
	if err != nil {
		return nil, sum, err
	}
	f, err := create(rel, full)
	if err != nil {
		return nil, sum, err
	}
	var h hash.Hash
	var dst io.Writer = f
	if t.cache.w != nil { // the manifest records the file's content hash
		h = sha256.New()
		dst = io.MultiWriter(f, h)
	}
	w := bufio.NewWriterSize(dst, 1<<16)
	err = fill(w)
	if err == nil {
		err = w.Flush()
	}
	var fi os.FileInfo
	if err == nil {
		fi, err = f.Stat()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(full)
		return nil, sum, writeErr(rel, err)
	}
	if h != nil {
		sum = [keyLen]byte(h.Sum(nil))
	}
	if t.prev != "" {
		old := filepath.Join(t.prev, filepath.FromSlash(rel))
		if ofi, err := os.Lstat(old); err == nil && ofi.Mode().IsRegular() && ofi.Size() == fi.Size() && sameBytes(old, full) {
			if t.placing {
				os.Remove(full) // the previous file stays where it is
				t.reused.Add(1)
				return ofi, sum, nil
			}
			// Swapping, the previous file replaces the new copy (a link
			// beside it, renamed over it); should that fail, the copy
			// stays, with the same bytes.
			link := full + ".prev"
			if os.Link(old, link) == nil {
				if os.Rename(link, full) == nil {
					t.reused.Add(1)
					return ofi, sum, nil
				}
				os.Remove(link)
			}
		}
	}
	t.stage(rel)
	t.written.Add(1)
	return fi, sum, nil
}

// stage notes, in place, that rel is staged and must be moved in by Commit.
func (t *Tx) stage(rel string) {
	if t.placing {
		t.stagedMu.Lock()
		t.staged = append(t.staged, rel)
		t.stagedMu.Unlock()
	}
}

// stagePath is where output file rel is written until Commit.
func (t *Tx) stagePath(rel string) (string, error) {
	if !fs.ValidPath(rel) || rel == "." || strings.Contains(rel, "\\") {
		return "", fmt.Errorf("非法的输出路径 %q", rel)
	}
	return filepath.Join(t.tmp, filepath.FromSlash(rel)), nil
}

// create makes the staged file full (of output file rel), which must not
// exist yet: a file made twice in one build is an error, not a silent
// overwrite.
func create(rel, full string) (*os.File, error) {
	var f *os.File
	err := inDir(full, func() (err error) {
		f, err = os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		return err
	})
	if err != nil {
		return nil, writeErr(rel, err)
	}
	return f, nil
}

// sameBytes reports whether files a and b (of the same size) hold the
// same bytes; an error reading either is a difference.
func sameBytes(a, b string) bool {
	fa, err := os.Open(a)
	if err != nil {
		return false
	}
	defer fa.Close()
	fb, err := os.Open(b)
	if err != nil {
		return false
	}
	defer fb.Close()
	ba, bb := make([]byte, 1<<16), make([]byte, 1<<16)
	for {
		na, ea := io.ReadFull(fa, ba)
		nb, eb := io.ReadFull(fb, bb)
		if na != nb || !bytes.Equal(ba[:na], bb[:nb]) {
			return false
		}
		if ea != nil || eb != nil {
			return (ea == io.EOF || ea == io.ErrUnexpectedEOF) && (eb == io.EOF || eb == io.ErrUnexpectedEOF)
		}
	}
}

// inDir runs op, which creates the file full; when its directory does not
// exist yet, it makes it and runs op again. Creating first and making the
// directory only on ENOENT costs one system call for most files and keeps
// no record of directories made (a million case directories would be a
// million map entries).
func inDir(full string, op func() error) error {
	err := op()
	if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	// Usually one level below one already made (c/<id>/ under c/).
	dir := filepath.Dir(full)
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	return op()
}

// reuse takes the previous output's file over when its bytes are the same
// as data. It returns that file's FileInfo, or nil to write. Swapping, the
// file is hard-linked into the new tree: the same inode and mtime, so
// rsync, rclone or a CDN sync uploads only what changed, while the swap
// stays atomic. In place, it is simply left where it is.
//
// The bytes are compared through the manifest when it has the file (its
// content hash, and the file's identity to be sure it is still that
// file), otherwise by reading the old file.
func (t *Tx) reuse(rel, full string, data []byte, key *[keyLen]byte) os.FileInfo {
	if t.prev == "" {
		return nil
	}
	old := filepath.Join(t.prev, filepath.FromSlash(rel))
	fi, err := os.Lstat(old)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(data)) {
		return nil
	}
	if key == nil || !t.cache.sameContent(rel, fi, *key) {
		cur, err := os.ReadFile(old)
		if err != nil || !bytes.Equal(cur, data) {
			return nil
		}
	}
	if !t.placing && inDir(full, func() error { return os.Link(old, full) }) != nil {
		return nil
	}
	return fi
}

func writeErr(rel string, err error) error {
	return fmt.Errorf("写入 %s 失败%s；原有网站文件未受影响：%w", rel, reason(err), err)
}

// reason names, in Chinese, the usual causes of a failed write ("" for
// others; the system's own message follows in every case).
func reason(err error) string {
	switch {
	case errors.Is(err, unix.ENOSPC), errors.Is(err, unix.EDQUOT):
		return "：磁盘空间不足"
	case errors.Is(err, unix.EFBIG):
		return "：文件超过系统允许的大小上限（ulimit -f）"
	case errors.Is(err, unix.EROFS):
		return "：文件系统是只读的"
	case errors.Is(err, fs.ErrPermission):
		return "：没有写权限"
	case errors.Is(err, unix.ENOTDIR):
		return "：路径中有一段是文件而不是文件夹"
	}
	return ""
}

// Commit swaps the new output in. The exchange is one atomic rename; the
// old version is then deleted. The group manifest (UseCache) is saved once
// the new output is in place; failing to save it costs only the next
// build's cache hits (a stale manifest is caught by the file identity
// check), so it does not fail the build.
func (t *Tx) Commit() error {
	if t.done {
		return errors.New("publish: 已提交或已放弃")
	}
	t.done = true
	t.closePrev()
	defer t.unlock()
	defer t.dropManifest() // unless saved below
	if t.placing {
		return t.commitInPlace()
	}
	if err := syncDir(t.tmp); err != nil {
		os.RemoveAll(t.tmp)
		return fmt.Errorf("无法写入输出目录%s；原有网站文件未受影响：%w", reason(err), err)
	}
	// The new tree carries its generation in with it.
	setGeneration(t.tmp, t.gen)
	if _, err := os.Lstat(t.out); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(t.tmp, t.out); err != nil {
			os.RemoveAll(t.tmp)
			return fmt.Errorf("无法发布到 %s：%w", t.out, err)
		}
		t.saveManifest()
		return nil
	}
	if err := unix.Renameat2(unix.AT_FDCWD, t.tmp, unix.AT_FDCWD, t.out, unix.RENAME_EXCHANGE); err != nil {
		// Filesystems without RENAME_EXCHANGE: two renames, with a window in
		// which the output is missing but never partial.
		old := t.tmp + ".old"
		if err2 := os.Rename(t.out, old); err2 != nil {
			os.RemoveAll(t.tmp)
			return fmt.Errorf("无法替换 %s：%w", t.out, err2)
		}
		if err2 := os.Rename(t.tmp, t.out); err2 != nil {
			os.Rename(old, t.out)
			os.RemoveAll(t.tmp)
			return fmt.Errorf("无法替换 %s：%w", t.out, err2)
		}
		t.saveManifest()
		return removeTree(old)
	}
	t.saveManifest()
	return removeTree(t.tmp) // now holds the previous version
}

// Abort discards the new output; the previous one stays.
func (t *Tx) Abort() {
	if !t.done {
		t.done = true
		t.closePrev()
		t.dropManifest()
		os.RemoveAll(t.tmp)
		t.unlock()
	}
}

// closePrev lets go of the previous output's directory.
func (t *Tx) closePrev() {
	if t.prevDir >= 0 {
		unix.Close(t.prevDir)
		t.prevDir = -1
	}
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// Out is the output directory the transaction publishes to.
func (t *Tx) Out() string { return t.out }

// removeTree deletes dir like os.RemoveAll, with the entries two levels
// down (c/<id>/, qr/<file>) spread over a few goroutines: deleting the
// previous output of a large site is hundreds of thousands of unlink calls.
func removeTree(dir string) error {
	jobs := make(chan string, 256)
	var wg sync.WaitGroup
	for i := 0; i < 2*runtime.GOMAXPROCS(0); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range jobs {
				os.RemoveAll(p)
			}
		}()
	}
	if top, err := os.ReadDir(dir); err == nil {
		for _, e := range top {
			p := filepath.Join(dir, e.Name())
			if !e.IsDir() {
				jobs <- p
				continue
			}
			if sub, err := os.ReadDir(p); err == nil {
				for _, s := range sub {
					jobs <- filepath.Join(p, s.Name())
				}
			}
		}
	}
	close(jobs)
	wg.Wait()
	return os.RemoveAll(dir) // what is left: the emptied directories
}

// InPlace reports whether this build updates the output in place (see
// UseCache) rather than swapping in a new tree.
func (t *Tx) InPlace() bool { return t.placing }
