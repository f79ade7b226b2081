package render

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the current output")

const goldenDir = "testdata/golden"

// TestGolden renders testdata/site.txtar and compares every output file,
// whole, with testdata/golden/<path>. Run `go test -update` after an
// intended change and review the diff. A golden file that the build no
// longer produces fails the test (esbuild does the same for snapshots), so
// stale goldens cannot hide a page that silently disappeared.
func TestGolden(t *testing.T) {
	w := buildTestSite(t)
	if *update {
		if err := os.RemoveAll(goldenDir); err != nil {
			t.Fatal(err)
		}
		for name, data := range w.files {
			p := filepath.Join(goldenDir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	for _, name := range w.names() {
		want, err := os.ReadFile(filepath.Join(goldenDir, filepath.FromSlash(name)))
		if err != nil {
			t.Errorf("%s: no golden file (run go test -update): %v", name, err)
			continue
		}
		if got := w.files[name]; !bytes.Equal(got, want) {
			t.Errorf("%s differs from its golden file (run go test -update and review the diff)\n%s", name, firstDiff(string(want), string(got)))
		}
	}
	err := filepath.WalkDir(goldenDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(p, goldenDir+string(filepath.Separator)))
		if _, ok := w.files[rel]; !ok {
			t.Errorf("golden file %s is not produced by the build any more: delete it or restore the page", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestGoldenCoversEveryPageKind guards the golden test's premise: the test
// site must exercise each page kind and data file.
func TestGoldenCoversEveryPageKind(t *testing.T) {
	w := buildTestSite(t)
	want := []string{
		"index.html", "404.html", "agencies/index.html", "agencies/cs-scjg/index.html",
		"officers/44070010001/index.html",
		"catalogue/index.html", "agencies/cs-xscjg/catalogue/index.html",
		"benchmarks/index.html", "agencies/cs-xscjg/benchmarks/index.html",
		"leniency/index.html", "leniency/buyu-chufa/index.html", "agencies/cs-scjg/leniency/jianqing/index.html",
		"agencies/cs-xscjg/leniency/buyu-qiangzhi/index.html",
		"plans/index.html", "plans/2025/index.html", "agencies/cs-scjg/plans/2025/index.html",
		"stats/index.html", "stats/2025/index.html", "agencies/cs-scjg/stats/2025/index.html",
		"cases/index.html", "cases/2025/index.html", "agencies/cs-scjg/cases/index.html", "agencies/cs-scjg/cases/2025/index.html",
		"c/CS-2025-0001/index.html", "c/CS-2025-0002/index.html", "c/CS-2025-0003/index.html", "c/CS-2025-0004/index.html",
		"timeliness/index.html", "agencies/cs-scjg/timeliness/index.html",
		"data/index.html", "data/catalogue.csv", "data/catalogue.json", "data/agencies/cs-scjg/benchmarks.csv",
		"data/leniency/buyu-chufa.json", "data/plans/2025.csv", "data/stats/2025.csv", "data/cases/2025.csv",
		"data/agencies/cs-scjg/cases/2025.json",
		"sitemap.xml", "feed.xml", "robots.txt", "_headers",
		"c/CS-2025-0001/print.html", "agencies/cs-scjg/qr/2025/index.html",
		"agencies/cs-scjg/officers/print/index.html",
	}
	for _, name := range want {
		if _, ok := w.files[name]; !ok {
			t.Errorf("the test site does not produce %s", name)
		}
	}
	if _, ok := w.files["c/CS-2025-0006/index.html"]; ok {
		t.Error("a minor's case was published")
	}
	if _, ok := w.files["c/CS-2025-0003/print.html"]; ok {
		t.Error("a tombstone got a print view")
	}
}

// firstDiff shows the first differing line, enough to see what changed.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var a, b string
		if i < len(wl) {
			a = wl[i]
		}
		if i < len(gl) {
			b = gl[i]
		}
		if a != b {
			return "line " + itoa(i+1) + ":\n  want: " + a + "\n  got:  " + b
		}
	}
	return ""
}
