package safefs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// tree is a site root with a file, a folder, symbolic links pointing out of
// the root and inside it, and a named pipe.
func tree(t testing.TB) string {
	root := filepath.Join(t.TempDir(), "site")
	for _, d := range []string{"content/agencies/a", "content/x"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(root, "config.toml"), []byte("title = \"x\"\n"), 0o644)
	os.WriteFile(filepath.Join(root, "content/agencies/a/agency.toml"), []byte("name = \"a\"\n"), 0o644)
	outside := filepath.Join(filepath.Dir(root), "secret")
	os.WriteFile(outside, []byte("secret"), 0o644)
	for link, target := range map[string]string{
		"content/etc":                     "/etc",
		"content/secret":                  outside,
		"content/agencies/up":             "../..",
		"content/agencies/a/sibling.toml": "agency.toml",
		"content/x/dangling":              "/nonexistent",
	} {
		if err := os.Symlink(target, filepath.Join(root, link)); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(root, "content/fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

func TestRefusesSpecialFiles(t *testing.T) {
	root := tree(t)
	f := New(root)
	for _, name := range []string{"content/etc/passwd", "content/secret", "content/agencies/up/config.toml",
		"content/agencies/a/sibling.toml", "content/fifo", "content/etc", "content/x/dangling"} {
		if _, err := f.ReadFile(name); !errors.Is(err, ErrSpecial) {
			t.Errorf("ReadFile(%s): %v, want ErrSpecial", name, err)
		}
	}
	for _, name := range []string{"../secret", "/etc/passwd", "content/../config.toml", "content//x"} {
		if _, err := f.Open(name); !errors.Is(err, fs.ErrInvalid) {
			t.Errorf("Open(%q): %v, want ErrInvalid", name, err)
		}
	}
	if _, err := f.Open("content/\x00"); err == nil { // no file name holds NUL
		t.Error("Open of a name with NUL succeeded")
	}
	if data, err := f.ReadFile("content/agencies/a/agency.toml"); err != nil || string(data) != "name = \"a\"\n" {
		t.Errorf("a plain file: %q %v", data, err)
	}
}

// A file over MaxFile is refused before it is read, with its size.
func TestTooLarge(t *testing.T) {
	root := t.TempDir()
	p := filepath.Join(root, "big.md")
	if err := os.WriteFile(p, []byte("+++\n+++\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(p, 100<<20); err != nil { // sparse: no 100 MB written
		t.Fatal(err)
	}
	_, err := New(root).ReadFile("big.md")
	var big *TooLargeError
	if !errors.As(err, &big) || big.Size != 100<<20 || !strings.Contains(err.Error(), "文件过大（100 MB，上限 64 MB）") {
		t.Fatalf("got %v", err)
	}
}

// FuzzOpen: whatever name content asks for, what safefs opens lies inside
// the root and is reached without following any symbolic link.
func FuzzOpen(f *testing.F) {
	for _, s := range []string{"config.toml", "content/etc/passwd", "content/agencies/up/content", "../x", "/etc", ".",
		"content/agencies/a/sibling.toml", "content/./x", "content/x/dangling", "content/fifo", "content/agencies/a"} {
		f.Add(s)
	}
	root := tree(f)
	fsys := New(root)
	f.Fuzz(func(t *testing.T, name string) {
		full := filepath.Join(root, filepath.FromSlash(name))
		inside := func(op string) {
			real, err := filepath.EvalSymlinks(full)
			if err != nil || real != filepath.Clean(full) || !strings.HasPrefix(real+"/", root+"/") {
				t.Fatalf("%s(%q) succeeded on %s (resolves to %s, %v)", op, name, full, real, err)
			}
		}
		if fl, err := fsys.Open(name); err == nil {
			fl.Close()
			inside("Open")
		}
		if _, err := fsys.ReadFile(name); err == nil {
			inside("ReadFile")
		}
		if _, err := fsys.ReadDir(name); err == nil {
			inside("ReadDir")
		}
	})
}
