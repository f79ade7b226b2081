// Package safefs is the file system content is read through: a directory
// tree in which symbolic links and other special files are refused, so that
// nothing in an agency's content (a symlink to /etc/passwd, to another
// agency's folder or to the output) can make the generator read outside the
// site root. Paths are fs.ValidPath paths, so ".." cannot appear at all.
package safefs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sync"

	"golang.org/x/sys/unix"
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
		if err := f.checkDir(dir); err != nil {
			return err
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

// checkDir verifies that dir and each directory above it is a real
// directory (not a link), once per directory.
func (f *FS) checkDir(dir string) error {
	if _, ok := f.ok.Load(dir); ok {
		return nil
	}
	if parent := path.Dir(dir); parent != "." {
		if err := f.checkDir(parent); err != nil {
			return err
		}
	}
	fi, err := os.Lstat(filepath.Join(f.root, filepath.FromSlash(dir)))
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return &fs.PathError{Op: "open", Path: dir, Err: ErrSpecial}
	}
	f.ok.Store(dir, true)
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
//
// The file is opened with O_NOFOLLOW (a symbolic link fails the open
// itself, with no window between a check and the open) and O_NONBLOCK (a
// named pipe cannot hang the build), then judged by fstat on the open
// descriptor: four system calls a file, which matters at a million files.
func (f *FS) ReadFile(name string) ([]byte, error) {
	if !fs.ValidPath(name) || name == "." {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if dir := path.Dir(name); dir != "." {
		if err := f.checkDir(dir); err != nil {
			return nil, err
		}
	}
	full := filepath.Join(f.root, filepath.FromSlash(name))
	fd, err := unix.Open(full, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		if errors.Is(err, unix.ELOOP) {
			err = ErrSpecial // the last component is a symbolic link
		}
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	file := os.NewFile(uintptr(fd), full)
	defer file.Close()
	fi, err := file.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "open", Path: name, Err: ErrSpecial}
	}
	if fi.Size() > MaxFile {
		return nil, &fs.PathError{Op: "read", Path: name, Err: &TooLargeError{Size: fi.Size(), Limit: MaxFile}}
	}
	data := make([]byte, 0, fi.Size()+1)
	for {
		n, err := file.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF || (err == nil && n == 0) {
			return data, nil
		}
		if err != nil {
			return nil, err
		}
		if len(data) == cap(data) {
			if int64(len(data)) > MaxFile {
				return nil, &fs.PathError{Op: "read", Path: name, Err: &TooLargeError{Size: int64(len(data)), Limit: MaxFile}}
			}
			data = append(data, 0)[:len(data)] // grew while read: keep going
		}
	}
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

// Lstat returns the stat of name without following a final symbolic link
// (which is then reported as what it is), after checking that no directory
// above it is one.
func (f *FS) Lstat(name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) || name == "." {
		return nil, &fs.PathError{Op: "lstat", Path: name, Err: fs.ErrInvalid}
	}
	if dir := path.Dir(name); dir != "." {
		if err := f.checkDir(dir); err != nil {
			return nil, err
		}
	}
	return os.Lstat(filepath.Join(f.root, filepath.FromSlash(name)))
}
