package casememo

import (
	"io/fs"
	"os"
	"syscall"
)

// times returns a file's mtime and ctime in Unix ns. The ctime changes
// with every write and rename, and cannot be set back by a tool that
// restores mtimes.
func times(fi fs.FileInfo) (mtime, ctime int64) {
	mtime = fi.ModTime().UnixNano()
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		ctime = st.Ctim.Nano()
	}
	return mtime, ctime
}

// lockFile takes an exclusive lock on the log for this run, without
// waiting: two builds of the same site at once must not append to one
// log. It is released when the file is closed.
func lockFile(f *os.File) bool {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil
}
