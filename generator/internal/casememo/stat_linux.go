package casememo

import (
	"io/fs"
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
