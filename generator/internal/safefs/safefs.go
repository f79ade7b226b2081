// Package safefs is the file system content is read through: a directory
// tree in which symbolic links and other special files are refused, so that
// nothing in an agency's content (a symlink to /etc/passwd, to another
// agency's folder or to the output) can make the generator read outside the
// site root. Paths are fs.ValidPath paths, so ".." cannot appear at all.
package safefs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sync"
)

// ErrSpecial is returned for a symlink, device, socket or pipe.
var ErrSpecial = errors.New("不是普通文件或目录（不允许符号链接等特殊文件）")

// FS is a read-only view of a directory.
type FS struct {
	root string
	ok   sync.Map // directories already verified to be real directories
}

// New returns the safe view of root.
func New(root string) *FS { return &FS{root: root} }

func (f *FS) check(name string) error {
	if !fs.ValidPath(name) {
		return &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if name == "." {
		return nil
	}
	// Verify every parent directory once, then the file itself.
	if dir := path.Dir(name); dir != "." {
		if _, ok := f.ok.Load(dir); !ok {
			if err := f.check(dir); err != nil {
				return err
			}
			fi, err := os.Lstat(filepath.Join(f.root, filepath.FromSlash(dir)))
			if err != nil {
				return err
			}
			if !fi.IsDir() {
				return &fs.PathError{Op: "open", Path: dir, Err: ErrSpecial}
			}
			f.ok.Store(dir, true)
		}
	}
	fi, err := os.Lstat(filepath.Join(f.root, filepath.FromSlash(name)))
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() && !fi.IsDir() {
		return &fs.PathError{Op: "open", Path: name, Err: ErrSpecial}
	}
	return nil
}

// Open implements fs.FS.
func (f *FS) Open(name string) (fs.File, error) {
	if err := f.check(name); err != nil {
		return nil, err
	}
	return os.Open(filepath.Join(f.root, filepath.FromSlash(name)))
}

// ReadFile implements fs.ReadFileFS. Files over maxFile are refused: no
// content file of this kind is legitimately that large, and reading it
// would exhaust memory.
func (f *FS) ReadFile(name string) ([]byte, error) {
	if err := f.check(name); err != nil {
		return nil, err
	}
	full := filepath.Join(f.root, filepath.FromSlash(name))
	fi, err := os.Stat(full)
	if err != nil {
		return nil, err
	}
	if fi.Size() > MaxFile {
		return nil, &fs.PathError{Op: "read", Path: name, Err: &TooLargeError{Size: fi.Size(), Limit: MaxFile}}
	}
	return os.ReadFile(full)
}

// MaxFile is the largest content file read (64 MiB).
const MaxFile = 64 << 20

// TooLargeError is the error of a file over MaxFile.
type TooLargeError struct{ Size, Limit int64 }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("文件过大（%d MB，上限 %d MB）", e.Size>>20, e.Limit>>20)
}

// ReadDir implements fs.ReadDirFS; entries are sorted by name.
func (f *FS) ReadDir(name string) ([]fs.DirEntry, error) {
	if err := f.check(name); err != nil {
		return nil, err
	}
	return os.ReadDir(filepath.Join(f.root, filepath.FromSlash(name)))
}
