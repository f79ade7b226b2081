package publish

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"zfgs/generator/internal/treecopy"
)

// buildGroups publishes one build in which each group in groups is either
// taken over (when Reuse succeeds) or written with the given files. It
// returns the names that were taken over.
func buildGroups(t *testing.T, out, manifest string, key Key, groups map[string]map[string]string, inPlace bool) map[string]bool {
	t.Helper()
	return buildSealed(t, out, manifest, key, groups, inPlace, nil)
}

// buildSealed is buildGroups with the manifest sealed with seal.
func buildSealed(t *testing.T, out, manifest string, key Key, groups map[string]map[string]string, inPlace bool, seal []byte) map[string]bool {
	t.Helper()
	tx, err := Begin(out)
	if err != nil {
		t.Fatal(err)
	}
	tx.UseCache(manifest, inPlace, seal)
	reused := map[string]bool{}
	for name, files := range groups {
		if tx.Reuse(name, key) {
			reused[name] = true
			continue
		}
		g := tx.Group(name, key)
		for rel, data := range files {
			if err := g.WriteFile(rel, []byte(data)); err != nil {
				t.Fatal(err)
			}
		}
		g.Done()
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return reused
}

// A group made with the same key is taken over without being written, and
// keeps its inode; a different key, or a file of the group changed in the
// output since (even with the same size), or a damaged manifest, makes the
// group be written again.
func TestGroupsReuseOnlyIntactFiles(t *testing.T) {
	for _, inPlace := range []bool{false, true} {
		t.Run(map[bool]string{false: "swap", true: "in place"}[inPlace], func(t *testing.T) { testGroupsReuse(t, inPlace) })
	}
}

func testGroupsReuse(t *testing.T, inPlace bool) {
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	manifest := ManifestPath(filepath.Join(dir, ".cache"), out)
	k1, k2 := Key{1}, Key{2}
	groups := map[string]map[string]string{
		"c/A/": {"c/A/index.html": "案件A", "c/A/print.html": "打印A"},
		"c/B/": {"c/B/index.html": "案件B"},
	}
	if r := buildGroups(t, out, manifest, k1, groups, inPlace); len(r) != 0 {
		t.Fatalf("first build took over %v", r)
	}
	ino := inode(t, filepath.Join(out, "c/A/print.html"))

	if r := buildGroups(t, out, manifest, k1, groups, inPlace); !r["c/A/"] || !r["c/B/"] {
		t.Fatalf("same key: taken over %v, want both", r)
	}
	if inode(t, filepath.Join(out, "c/A/print.html")) != ino {
		t.Error("a group taken over is not the same file")
	}

	// Edited by hand, same size, later mtime: not trusted any more.
	time.Sleep(10 * time.Millisecond)
	os.WriteFile(filepath.Join(out, "c/B/index.html"), []byte("案件X"), 0o644)
	r := buildGroups(t, out, manifest, k1, groups, inPlace)
	if !r["c/A/"] || r["c/B/"] {
		t.Fatalf("after a hand edit of B: taken over %v, want A only", r)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "c/B/index.html")); string(b) != "案件B" {
		t.Errorf("B is %q after the rebuild", b)
	}

	if r := buildGroups(t, out, manifest, k2, groups, inPlace); len(r) != 0 {
		t.Fatalf("new key: taken over %v", r)
	}

	// A damaged or hostile manifest is ignored as a whole.
	data, _ := os.ReadFile(manifest)
	for _, bad := range [][]byte{data[:len(data)-3], []byte("garbage"), append([]byte(manifestMagic+strings.Repeat("0", genLen)+"\n"), 0xff, 0xff, 0xff)} {
		os.WriteFile(manifest, bad, 0o644)
		if r := buildGroups(t, out, manifest, k2, groups, inPlace); len(r) != 0 {
			t.Fatalf("damaged manifest: taken over %v", r)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(out, "c/A/index.html")); string(b) != "案件A" {
		t.Errorf("A is %q", b)
	}
}

// FuzzReadManifest: whatever is in the cache file, reading it neither
// panics nor yields a path that leaves the output directory.
func FuzzReadManifest(f *testing.F) {
	dir := f.TempDir()
	out := filepath.Join(dir, "public")
	m := ManifestPath(dir, out)
	tx, _ := Begin(out)
	tx.UseCache(m, false, nil)
	g := tx.Group("c/A/", Key{7})
	g.WriteFile("c/A/index.html", []byte("x"))
	g.Done()
	tx.Commit()
	seed, _ := os.ReadFile(m)
	f.Add(seed)
	f.Add([]byte(manifestMagic))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "m")
		os.WriteFile(p, data, 0o644)
		m, _, err := readManifest(p)
		if err != nil {
			return
		}
		defer m.release()
		for _, i := range m.index {
			off := m.offs[i]
			_, g, err := decodeGroup(m.raw[off:])
			if err != nil {
				t.Fatalf("indexed record at %d does not decode: %v", off, err)
			}
			for _, f := range g.files {
				if !validRel(f.rel) {
					t.Fatalf("invalid path %q accepted", f.rel)
				}
			}
		}
	})
}

// A streamed file is written like any other, without its bytes in
// memory: a group's second build that streams the same bytes keeps the
// previous file (same inode, counted as reused, in the manifest so the
// third build takes the group over), different bytes replace it, and a
// fill that fails leaves nothing and fails the write.
func TestWriteStream(t *testing.T) {
	for _, inPlace := range []bool{false, true} {
		t.Run(map[bool]string{false: "swap", true: "in place"}[inPlace], func(t *testing.T) {
			dir := t.TempDir()
			if inPlace {
				requireXattr(t, dir)
			}
			out := filepath.Join(dir, "public")
			manifest := ManifestPath(filepath.Join(dir, ".cache"), out)
			stream := func(key Key, body string, fail bool) (*Tx, error) {
				tx, err := Begin(out)
				if err != nil {
					t.Fatal(err)
				}
				tx.UseCache(manifest, inPlace, nil)
				if tx.Reuse("data/", key) {
					return tx, nil
				}
				g := tx.Group("data/", key)
				err = g.WriteStream("data/big.json", func(w io.Writer) error {
					for i := 0; i < 3; i++ {
						io.WriteString(w, body)
					}
					if fail {
						return errors.New("磁盘已满")
					}
					return nil
				})
				if err == nil {
					g.Done()
				}
				return tx, err
			}
			commit := func(tx *Tx) {
				t.Helper()
				if err := tx.Commit(); err != nil {
					t.Fatal(err)
				}
			}
			big := filepath.Join(out, "data/big.json")

			tx, err := stream(Key{1}, "[行]", false)
			if err != nil {
				t.Fatal(err)
			}
			commit(tx)
			ino := inode(t, big)

			tx, err = stream(Key{2}, "[行]", false)
			if err != nil || tx.Reused() != 1 || tx.Written() != 0 {
				t.Fatalf("same bytes: err %v, reused %d, written %d", err, tx.Reused(), tx.Written())
			}
			commit(tx)
			if inode(t, big) != ino {
				t.Error("a file streamed with the same bytes was replaced")
			}
			if tx, _ = stream(Key{2}, "", false); tx.Reused() != 1 {
				t.Error("the group's record does not describe the file kept")
			}
			commit(tx)

			tx, err = stream(Key{3}, "[新行]", true)
			if err == nil || !strings.Contains(err.Error(), "data/big.json") {
				t.Fatalf("a failed fill: %v", err)
			}
			if _, serr := os.Stat(filepath.Join(tx.tmp, "data/big.json")); serr == nil {
				t.Error("a failed fill left its file")
			}
			tx.Abort()

			tx, err = stream(Key{3}, "[新行]", false)
			if err != nil || tx.Written() != 1 {
				t.Fatalf("new bytes: err %v, written %d", err, tx.Written())
			}
			commit(tx)
			if b, _ := os.ReadFile(big); string(b) != "[新行][新行][新行]" {
				t.Errorf("got %q", b)
			}
		})
	}
}

// An output restored from a CI cache has the same bytes and mtimes under new
// inodes. With the manifest sealed by the same secret, its groups are taken
// over after their content is checked; a file whose bytes changed (same
// size and mtime) is made again, and without the secret nothing is taken.
func TestRestoredOutputTakenOverBySeal(t *testing.T) {
	for _, inPlace := range []bool{false, true} {
		t.Run(map[bool]string{false: "swap", true: "in place"}[inPlace], func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "public")
			manifest := ManifestPath(filepath.Join(dir, ".cache"), out)
			seal, other := []byte("CI secret"), []byte("another secret")
			groups := map[string]map[string]string{
				"c/A/": {"c/A/index.html": "案件A", "c/A/print.html": "打印A"},
				"c/B/": {"c/B/index.html": "案件B"},
			}
			all := map[string]bool{"c/A/": true, "c/B/": true}
			buildSealed(t, out, manifest, Key{1}, groups, inPlace, seal)
			check := func(when string) {
				t.Helper()
				for _, files := range groups {
					for rel, want := range files {
						if got, _ := os.ReadFile(filepath.Join(out, rel)); string(got) != want {
							t.Errorf("%s: %s holds %q, want %q", when, rel, got, want)
						}
					}
				}
			}

			restore(t, out, nil)
			if got := buildSealed(t, out, manifest, Key{1}, groups, inPlace, seal); !equalSets(got, all) {
				t.Errorf("restored: took over %v, want %v", got, all)
			}
			check("restored")
			// Recorded under their new identities, they are taken over
			// again by identity alone, even without the secret.
			if got := buildSealed(t, out, manifest, Key{1}, groups, inPlace, nil); !equalSets(got, all) {
				t.Errorf("after the restore: took over %v, want %v", got, all)
			}
			check("after the restore")
			buildSealed(t, out, manifest, Key{1}, groups, inPlace, seal)

			restore(t, out, map[string]string{"c/B/index.html": "案件C"})
			if got := buildSealed(t, out, manifest, Key{1}, groups, inPlace, seal); !equalSets(got, map[string]bool{"c/A/": true}) {
				t.Errorf("restored with a changed file: took over %v, want only c/A/", got)
			}
			check("restored with a changed file")

			for name, key := range map[string][]byte{"another secret": other, "no secret": nil} {
				restore(t, out, nil)
				if got := buildSealed(t, out, manifest, Key{1}, groups, inPlace, key); len(got) != 0 {
					t.Errorf("restored, %s: took over %v", name, got)
				}
				check(name)
				buildSealed(t, out, manifest, Key{1}, groups, inPlace, seal) // sealed again for the next round
			}
		})
	}
}

// restore replaces dir by a copy of itself, as a CI cache restores it;
// changed names files whose bytes the copy changes.
func restore(t *testing.T, dir string, changed map[string]string) {
	t.Helper()
	if err := treecopy.Replace(dir, true, changed); err != nil {
		t.Fatal(err)
	}
}

func equalSets(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}
