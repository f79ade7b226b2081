package render

import (
	"io/fs"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"

	"zfgs/generator/internal/model"
	"zfgs/generator/internal/site"
)

// memWriter collects output files in memory.
type memWriter struct {
	mu    sync.Mutex
	files map[string][]byte
}

func newMemWriter() *memWriter { return &memWriter{files: map[string][]byte{}} }

func (m *memWriter) WriteFile(rel string, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, dup := m.files[rel]; dup {
		panic("render wrote " + rel + " twice")
	}
	m.files[rel] = append([]byte(nil), data...)
	return nil
}

func (m *memWriter) names() []string {
	var out []string
	for n := range m.files {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// loadArchive reads a txtar site into a MapFS.
func loadArchive(t *testing.T, name string) fstest.MapFS {
	t.Helper()
	ar, err := txtar.ParseFile(name)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, f := range ar.Files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data}
	}
	return fsys
}

const testNow = "2026-03-01"

// buildSite renders fsys the way `generator build` does (with fixed asset
// names, so the goldens do not change with the CSS) and fails the test on
// any content error.
func buildSite(t *testing.T, fsys fs.FS, layouts fs.FS, workers int) *memWriter {
	t.Helper()
	now, _ := model.ParseDate(testNow)
	w := newMemWriter()
	var b *Build
	opt := site.Options{Now: now, Workers: workers}
	opt.Ready = func(res *site.Result) {
		r, err := New(res.Site, Options{
			Layouts: layouts, CSS: "/assets/site-TEST.css", JS: "/assets/site-TEST.js",
			Now: now, Deadline: res.Checker.Deadline,
			QR: CaseQR, OfficerQR: OfficerQR,
		})
		if err != nil {
			t.Fatal(err)
		}
		b = r.Start(w)
	}
	res := site.Run(fsys, opt, func(c *model.Case, _ model.CaseRef) []byte { return b.Case(c) })
	if res.Diags.HasErrors() {
		var sb strings.Builder
		res.Diags.Print(&sb)
		t.Fatalf("test site has errors:\n%s", sb.String())
	}
	if err := b.Finish(); err != nil {
		t.Fatal(err)
	}
	return w
}

func buildTestSite(t *testing.T) *memWriter {
	t.Helper()
	return buildSite(t, loadArchive(t, "testdata/site.txtar"), nil, 0)
}
