//go:build !linux

package casememo

import (
	"io/fs"
	"os"
)

// times returns a file's mtime in Unix ns; ctime is not portable, so it is
// left at zero here and the mtime and size decide alone.
func times(fi fs.FileInfo) (mtime, ctime int64) {
	return fi.ModTime().UnixNano(), 0
}

// lockFile: no advisory lock here; concurrent builds of one site are the
// caller's to avoid.
func lockFile(f *os.File) bool { return true }
