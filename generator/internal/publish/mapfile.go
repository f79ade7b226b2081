package publish

import (
	"os"

	"golang.org/x/sys/unix"
)

// mapFile maps the file at p read-only: a manifest of a million-case
// output is a few hundred MB, and mapped it is page cache, not Go heap
// that the collector scans and the memory limit counts. release unmaps it
// (the bytes must not be used after). The manifests are replaced by
// rename, never rewritten in place, so a mapped one cannot change under
// the build. An empty file, or one that cannot be mapped, is read.
func mapFile(p string) (data []byte, release func(), err error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if size := fi.Size(); size > 0 && size == int64(int(size)) {
		if data, err := unix.Mmap(int(f.Fd()), 0, int(size), unix.PROT_READ, unix.MAP_SHARED); err == nil {
			return data, func() { unix.Munmap(data) }, nil
		}
	}
	data, err = os.ReadFile(p)
	return data, func() {}, err
}
