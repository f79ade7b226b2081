package publish

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

func write(t *testing.T, tx *Tx, files map[string]string) {
	t.Helper()
	for rel, data := range files {
		if err := tx.WriteFile(rel, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
}

func inode(t *testing.T, p string) uint64 {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Sys().(*syscall.Stat_t).Ino
}

// An unchanged file is taken over from the previous output (same inode, so
// sync tools skip it); a changed one is new; a dropped one is gone; the
// swap leaves no temporary directory behind.
func TestCommitReusesUnchangedFiles(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	tx, err := Begin(out)
	if err != nil {
		t.Fatal(err)
	}
	write(t, tx, map[string]string{"index.html": "首页", "c/A/index.html": "案件A", "c/B/index.html": "案件B"})
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	sameBefore := inode(t, filepath.Join(out, "c/A/index.html"))
	changedBefore := inode(t, filepath.Join(out, "index.html"))

	tx, err = Begin(out)
	if err != nil {
		t.Fatal(err)
	}
	write(t, tx, map[string]string{"index.html": "首页（新）", "c/A/index.html": "案件A"})
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if tx.Reused() != 1 || tx.Written() != 1 {
		t.Errorf("reused %d written %d, want 1 and 1", tx.Reused(), tx.Written())
	}
	if inode(t, filepath.Join(out, "c/A/index.html")) != sameBefore {
		t.Error("unchanged file was rewritten")
	}
	if inode(t, filepath.Join(out, "index.html")) == changedBefore {
		t.Error("changed file kept its old inode")
	}
	if b, _ := os.ReadFile(filepath.Join(out, "index.html")); string(b) != "首页（新）" {
		t.Errorf("index.html = %q", b)
	}
	if _, err := os.Stat(filepath.Join(out, "c/B/index.html")); !os.IsNotExist(err) {
		t.Error("a file the new build did not write survived")
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".public.tmp-*"))
	if len(left) != 0 {
		t.Errorf("temporary directories left: %v", left)
	}
}

// Abort leaves the previous output exactly as it was.
func TestAbortKeepsPreviousOutput(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	tx, _ := Begin(out)
	write(t, tx, map[string]string{"index.html": "旧"})
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	tx, _ = Begin(out)
	write(t, tx, map[string]string{"index.html": "新", "x.html": "x"})
	tx.Abort()
	if b, _ := os.ReadFile(filepath.Join(out, "index.html")); string(b) != "旧" {
		t.Errorf("index.html = %q after abort", b)
	}
	if _, err := os.Stat(filepath.Join(out, "x.html")); !os.IsNotExist(err) {
		t.Error("aborted file published")
	}
}

func TestWriteFileRejectsEscapingPaths(t *testing.T) {
	tx, err := Begin(filepath.Join(t.TempDir(), "public"))
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Abort()
	for _, rel := range []string{"../x", "/etc/passwd", "a/../../x", "", ".", `a\b`} {
		if err := tx.WriteFile(rel, []byte("x")); err == nil {
			t.Errorf("WriteFile(%q) succeeded", rel)
		}
	}
}

// A second build of the same output waits until the first has committed:
// it must not take the first one's temporary tree for a killed build's
// leftovers and delete it.
func TestSecondBuildWaitsForTheFirst(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	first, err := Begin(out)
	if err != nil {
		t.Fatal(err)
	}
	write(t, first, map[string]string{"index.html": "第一次"})
	began := make(chan *Tx)
	go func() {
		second, err := Begin(out)
		if err != nil {
			t.Error(err)
		}
		began <- second
	}()
	select {
	case <-began:
		t.Fatal("a second build began while the first was writing")
	case <-time.After(200 * time.Millisecond):
	}
	if _, err := os.Stat(first.Dir()); err != nil {
		t.Fatalf("the first build's tree is gone: %v", err)
	}
	if err := first.Commit(); err != nil {
		t.Fatal(err)
	}
	second := <-began
	write(t, second, map[string]string{"index.html": "第二次"})
	if err := second.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "index.html")); string(b) != "第二次" {
		t.Fatalf("index.html = %q", b)
	}
}
