package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// writeSite writes testdata/base.txtar (a valid site without layouts/) into
// a temporary directory, plus extra files.
func writeSite(t *testing.T, extra map[string]string) string {
	t.Helper()
	ar, err := txtar.ParseFile("testdata/base.txtar")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files := map[string][]byte{}
	for _, f := range ar.Files {
		files[f.Name] = f.Data
	}
	for name, data := range extra {
		files[name] = []byte(data)
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runBuild(t *testing.T, dir string, extra ...string) (int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	args := append([]string{"build", "--source", dir, "--now", "2025-06-30"}, extra...)
	code := run(args, &stdout, &stderr)
	return code, stdout.String() + stderr.String()
}

func readOut(t *testing.T, dir, rel string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "public", filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// A content-only repository (no layouts/) builds with the embedded layouts
// and bundled assets, and records the published case URLs.
func TestBuildContentOnlySite(t *testing.T) {
	dir := writeSite(t, nil)
	code, out := runBuild(t, dir)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if !regexp.MustCompile(`已生成 \d+ 个页面（其中执法决定 1 件）`).MatchString(out) {
		t.Errorf("summary line missing:\n%s", out)
	}
	home := readOut(t, dir, "index.html")
	m := regexp.MustCompile(`<link rel="stylesheet" href="(/assets/site-[A-Z0-9]+\.css)">`).FindStringSubmatch(home)
	if m == nil {
		t.Fatalf("home does not link a hashed stylesheet:\n%s", home[:min(len(home), 800)])
	}
	if css := readOut(t, dir, m[1]); !strings.Contains(css, "@media print") {
		t.Error("bundled stylesheet lacks the print styles")
	}
	readOut(t, dir, "c/CS-2025-0001/index.html")
	lock, err := os.ReadFile(filepath.Join(dir, "urls.lock"))
	if err != nil || !strings.Contains(string(lock), "/c/CS-2025-0001/\n") {
		t.Errorf("urls.lock not written: %v %q", err, lock)
	}
}

// A site's layouts/ overrides the default layout of the same name only.
func TestBuildLayoutOverride(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"layouts/404.html": `{{define "main"}}<h1>找不到页面（本市版）</h1>{{end}}`,
	})
	if code, out := runBuild(t, dir); code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if s := readOut(t, dir, "404.html"); !strings.Contains(s, "找不到页面（本市版）") {
		t.Error("override of 404.html not used")
	}
	if s := readOut(t, dir, "index.html"); !strings.Contains(s, "最新行政执法决定") {
		t.Error("home lost its default layout")
	}
}

// Content errors: exit 1, nothing written, the previous output untouched.
func TestBuildErrorKeepsPreviousOutput(t *testing.T) {
	dir := writeSite(t, nil)
	if code, out := runBuild(t, dir); code != 0 {
		t.Fatalf("first build: exit %d\n%s", code, out)
	}
	before := readOut(t, dir, "index.html")
	bad := filepath.Join(dir, "content/agencies/cs-scjg/cases/2025/CS-2025-0009.md")
	if err := os.WriteFile(bad, []byte("+++\nnumber = \n+++\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out := runBuild(t, dir)
	if code != 1 || !strings.Contains(out, "error[E_PARSE]") {
		t.Fatalf("want exit 1 with E_PARSE, got %d\n%s", code, out)
	}
	if after := readOut(t, dir, "index.html"); after != before {
		t.Error("a failed build changed the previous output")
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".public.tmp-*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary output left behind: %v", leftovers)
	}
}

// A broken override is reported and the previous output stays.
func TestBuildBrokenLayout(t *testing.T) {
	dir := writeSite(t, map[string]string{"layouts/case.html": `{{define "main"}}{{.D.Nope`})
	code, out := runBuild(t, dir)
	if code != 1 || !strings.Contains(out, "layouts/case.html") {
		t.Fatalf("want exit 1 naming layouts/case.html, got %d\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); !os.IsNotExist(err) {
		t.Errorf("output written despite the broken layout: %v", err)
	}
}

func TestBuildUsage(t *testing.T) {
	if code, _ := runBuild(t, t.TempDir(), "extra"); code != 2 {
		t.Errorf("extra argument: exit %d, want 2", code)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"build", "--source", "/nonexistent-zfgs"}, &stdout, &stderr); code != 2 {
		t.Errorf("missing source: exit %d, want 2", code)
	}
}
