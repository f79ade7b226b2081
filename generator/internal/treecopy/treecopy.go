// Package treecopy replaces a folder by a copy of itself, as a CI cache
// restores one or a fresh checkout makes one: the same bytes under new
// inodes. The build cache's tests and `generator bench` use it.
package treecopy

import (
	"os"
	"path/filepath"
)

// Replace replaces dir by a copy of itself. With keepTimes the files keep
// their mtimes (a restored tar archive), else they get the time of the copy
// (a checkout). changed names files (slash-separated, relative to dir)
// whose bytes the copy replaces, keeping their size only if the new bytes
// have it.
func Replace(dir string, keepTimes bool, changed map[string]string) error {
	cp := dir + ".copy"
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		dst := filepath.Join(cp, rel)
		if fi.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if c, ok := changed[filepath.ToSlash(rel)]; ok {
			data = []byte(c)
		}
		if err := os.WriteFile(dst, data, fi.Mode()); err != nil {
			return err
		}
		if keepTimes {
			return os.Chtimes(dst, fi.ModTime(), fi.ModTime())
		}
		return nil
	})
	if err == nil {
		err = os.RemoveAll(dir)
	}
	if err == nil {
		err = os.Rename(cp, dir)
	}
	return err
}
