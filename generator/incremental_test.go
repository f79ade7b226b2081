package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"zfgs/generator/internal/gendemo"
)

// TestRebuildEqualsColdBuild edits a decision, adds one and revokes one,
// rebuilds into the existing output, and compares the result byte for byte
// with a cold build of the edited site into an empty directory.
func TestRebuildEqualsColdBuild(t *testing.T) {
	src := filepath.Join(t.TempDir(), "site")
	if err := gendemo.Generate(src, gendemo.Options{Cases: 300, Agencies: 6, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	build := func(out string) string {
		var stdout, stderr strings.Builder
		if code := run([]string{"build", "--source", src, "--out", out, "--now", "2026-11-24"}, &stdout, &stderr); code != 0 {
			t.Fatalf("build: exit %d\n%s%s", code, stdout.String(), stderr.String())
		}
		return stdout.String()
	}
	build(out)

	cases, _ := filepath.Glob(filepath.Join(src, "content/agencies/*/cases/*/*.md"))
	if len(cases) < 3 {
		t.Fatal("too few cases")
	}
	edit := func(file, old, new string) {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), old) {
			t.Fatalf("%s has no %q", file, old)
		}
		os.WriteFile(file, []byte(strings.Replace(string(b), old, new, 1)), 0o644)
	}
	edit(cases[0], "## 违法事实", "## 违法事实（已更正）")                                         // an edit
	edit(cases[1], `status = "生效"`, "status = \"已撤销\"\nstatus_reason = \"经行政复议撤销。\"") // a status change
	added := filepath.Join(filepath.Dir(cases[2]), "NEW-CASE-1.md")                   // an addition
	b, _ := os.ReadFile(cases[2])
	os.WriteFile(added, []byte(strings.Replace(string(b), "〔", "〔新", 1)), 0o644)

	msg := build(out)
	cold := filepath.Join(t.TempDir(), "public")
	build(cold)
	if a, c := treeHash(t, out), treeHash(t, cold); a != c {
		t.Fatalf("incremental output differs from a cold build")
	}
	t.Log(strings.TrimSpace(msg))
}
