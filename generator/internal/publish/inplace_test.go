package publish

import (
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// tree reads every file under dir (relative path → content).
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			m[filepath.ToSlash(rel)] = string(b)
		}
		return nil
	})
	return m
}

func sameTree(t *testing.T, got, want map[string]string) {
	t.Helper()
	var diff []string
	for k, v := range want {
		if got[k] != v {
			diff = append(diff, k+": "+got[k]+" ≠ "+v)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			diff = append(diff, k+": left behind")
		}
	}
	sort.Strings(diff)
	if len(diff) > 0 {
		t.Errorf("output differs: %v", diff)
	}
}

// publishOnce is one build: plain files and groups (each reused when its
// key matches, else written), with the cache at manifest.
func publishOnce(t *testing.T, out, manifest string, inPlace bool, files map[string]string, groups map[string]Key, groupFiles map[string]map[string]string) *Tx {
	t.Helper()
	tx, err := Begin(out)
	if err != nil {
		t.Fatal(err)
	}
	tx.UseCache(manifest, inPlace, nil)
	write(t, tx, files)
	for name, key := range groups {
		if tx.Reuse(name, key) {
			continue
		}
		g := tx.Group(name, key)
		for rel, data := range groupFiles[name] {
			if err := g.WriteFile(rel, []byte(data)); err != nil {
				t.Fatal(err)
			}
		}
		g.Done()
	}
	return tx
}

// An in-place build changes only what changed, in the output directory
// itself: unchanged files and groups keep their inodes, a changed group
// loses a file it no longer has, a file no longer made is deleted, and the
// result is the same tree a swap gives. A build by anything else in
// between (here, one without the cache) makes the manifest stale, and the
// next build swaps again.
func TestInPlaceUpdatesOnlyWhatChanged(t *testing.T) {
	dir := t.TempDir()
	requireXattr(t, dir)
	out := filepath.Join(dir, "public")
	manifest := ManifestPath(filepath.Join(dir, ".cache"), out)
	k1, k2 := Key{1}, Key{2}
	v1 := map[string]map[string]string{
		"c/A/": {"c/A/index.html": "案件A", "c/A/print.html": "打印A"},
		"c/B/": {"c/B/index.html": "案件B", "c/B/print.html": "打印B"},
	}
	tx := publishOnce(t, out, manifest, true, map[string]string{"index.html": "首页", "a.html": "A", "gone/x.html": "G"},
		map[string]Key{"c/A/": k1, "c/B/": k1}, v1)
	if tx.placing {
		t.Fatal("first build placed in place: there was nothing to update")
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	outIno, homeIno, printIno := inode(t, out), inode(t, filepath.Join(out, "index.html")), inode(t, filepath.Join(out, "c/A/print.html"))

	v2 := map[string]map[string]string{"c/B/": {"c/B/index.html": "撤销B"}} // a tombstone: no print view
	tx = publishOnce(t, out, manifest, true, map[string]string{"index.html": "首页", "a.html": "A2", "new.html": "N"},
		map[string]Key{"c/A/": k1, "c/B/": k2}, v2)
	if !tx.placing {
		t.Fatal("second build did not go in place")
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	sameTree(t, tree(t, out), map[string]string{
		"index.html": "首页", "a.html": "A2", "new.html": "N",
		"c/A/index.html": "案件A", "c/A/print.html": "打印A", "c/B/index.html": "撤销B",
	})
	if inode(t, out) != outIno || inode(t, filepath.Join(out, "index.html")) != homeIno || inode(t, filepath.Join(out, "c/A/print.html")) != printIno {
		t.Error("an unchanged file (or the output directory) was replaced")
	}
	if _, err := os.Stat(filepath.Join(out, "gone")); err == nil {
		t.Error("the emptied directory gone/ is left")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".public*")); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}

	// Files that change record stay: c/A/'s files are now written on their
	// own and the home page joins a group, while c/B/ is taken over whole
	// (its record is not even decoded for the deletions).
	tx = publishOnce(t, out, manifest, true, map[string]string{"a.html": "A2", "new.html": "N", "c/A/index.html": "案件A"},
		map[string]Key{"c/B/": k2, "home": k1}, map[string]map[string]string{"home": {"index.html": "首页"}})
	if !tx.placing {
		t.Fatal("third build did not go in place")
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	sameTree(t, tree(t, out), map[string]string{
		"index.html": "首页", "a.html": "A2", "new.html": "N", "c/A/index.html": "案件A", "c/B/index.html": "撤销B",
	})

	// Without the cache (another source folder, --no-cache): a swap, and
	// a new generation the old manifest does not have.
	tx, _ = Begin(out)
	write(t, tx, map[string]string{"index.html": "别的站"})
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	tx = publishOnce(t, out, manifest, true, map[string]string{"index.html": "首页"}, nil, nil)
	if tx.placing {
		t.Error("went in place over an output its manifest does not describe")
	}
	tx.Abort()
}

// A build interrupted after its journal was written (the commit point) is
// finished by the next Begin on the output: every change applied, the
// staging directory and journal gone, and the manifest dropped so the
// build after that swaps. Before the commit point nothing has changed.
func TestInPlaceInterruptedIsFinishedByNextBuild(t *testing.T) {
	dir := t.TempDir()
	requireXattr(t, dir)
	out := filepath.Join(dir, "public")
	manifest := ManifestPath(filepath.Join(dir, ".cache"), out)
	files := map[string]string{"index.html": "首页", "a.html": "A", "b/old.html": "旧"}
	tx := publishOnce(t, out, manifest, true, files, nil, nil)
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	before := tree(t, out)

	tx = publishOnce(t, out, manifest, true, map[string]string{"index.html": "首页", "a.html": "A2", "c/new.html": "新"}, nil, nil)
	if !tx.placing {
		t.Fatal("not in place")
	}
	sameTree(t, tree(t, out), before) // staged, not yet committed
	if _, err := tx.prepareInPlace(); err != nil {
		t.Fatal(err)
	}
	sameTree(t, tree(t, out), before) // journal written; killed here
	tx.unlock()                       // as the kernel does for a killed process

	tx, err := Begin(out)
	if err != nil {
		t.Fatal(err)
	}
	sameTree(t, tree(t, out), map[string]string{"index.html": "首页", "a.html": "A2", "c/new.html": "新"})
	if _, err := os.Stat(journalPath(out)); err == nil {
		t.Error("journal left after recovery")
	}
	if _, err := os.Stat(manifest); err == nil {
		t.Error("manifest kept after recovery")
	}
	tx.UseCache(manifest, true, nil)
	if tx.placing {
		t.Error("in place right after a recovery")
	}
	tx.Abort()
	if left, _ := filepath.Glob(filepath.Join(dir, ".public.tmp-*")); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}

// requireXattr skips a test of in-place builds where the file system has
// no user extended attributes: there a build never goes in place (it
// swaps, which other tests cover), so there is nothing to test.
func requireXattr(t *testing.T, dir string) {
	t.Helper()
	setGeneration(dir, newGeneration())
	if readGeneration(dir) == "" {
		t.Skipf("%s has no user extended attributes: builds there always swap", dir)
	}
}

// A journal the output is not marked pending for (one committed into the
// folder beside the output, with a staging folder of its own) is never
// replayed: nothing is moved in or deleted, and it is removed.
func TestForgedJournalIgnored(t *testing.T) {
	dir := t.TempDir()
	requireXattr(t, dir)
	out := filepath.Join(dir, "public")
	tx := publishOnce(t, out, ManifestPath(filepath.Join(dir, ".cache"), out), true, map[string]string{"index.html": "首页"}, nil, nil)
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	stage := filepath.Join(dir, ".public.tmp-evil")
	os.MkdirAll(stage, 0o755)
	os.WriteFile(filepath.Join(stage, "evil.html"), []byte("<script>"), 0o644)
	j := &journal{gen: newGeneration(), tmp: stage, moves: []string{"evil.html"}, deletes: []string{"index.html"}}
	if err := writeJournal(journalPath(out), j); err != nil {
		t.Fatal(err)
	}
	tx, err := Begin(out)
	if err != nil {
		t.Fatal(err)
	}
	tx.Abort()
	sameTree(t, tree(t, out), map[string]string{"index.html": "首页"})
	if _, err := os.Stat(journalPath(out)); err == nil {
		t.Error("forged journal left in place")
	}
}
