package main

import (
	"os"
	"path/filepath"
	"testing"
)

// The floor `bench` prints is only a floor if it writes what the build
// wrote: every directory, every file at its size, and nothing else.
func TestFileSystemFloorCopiesTheTreeShape(t *testing.T) {
	tree, dst := t.TempDir(), filepath.Join(t.TempDir(), "floor")
	files := map[string]int{
		"index.html":                 7,
		"c/JM-1/index.html":          70000, // more than one write
		"c/JM-1/print.html":          0,
		"qr/JM-1.png":                1234,
		"agencies/a/cases/2025/x.js": 1,
	}
	for rel, size := range files {
		p := filepath.Join(tree, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, make([]byte, size), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.MkdirAll(filepath.Join(tree, "empty", "dir"), 0o755)

	u, err := fileSystemFloor(tree, dst, 3)
	if err != nil {
		t.Fatal(err)
	}
	if u.wall <= 0 {
		t.Errorf("wall time %v", u.wall)
	}
	got := map[string]int{}
	filepath.WalkDir(dst, func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			fi, _ := e.Info()
			rel, _ := filepath.Rel(dst, p)
			got[filepath.ToSlash(rel)] = int(fi.Size())
		}
		return nil
	})
	if len(got) != len(files) {
		t.Errorf("floor has %d files, want %d: %v", len(got), len(files), got)
	}
	for rel, size := range files {
		if got[rel] != size {
			t.Errorf("%s: %d bytes, want %d", rel, got[rel], size)
		}
	}
	if fi, err := os.Stat(filepath.Join(dst, "empty", "dir")); err != nil || !fi.IsDir() {
		t.Errorf("empty directory not made: %v", err)
	}
	// A second run into the same place fails rather than overwrite.
	if _, err := fileSystemFloor(tree, dst, 3); err == nil {
		t.Error("writing the floor over an existing one succeeded")
	}
}
