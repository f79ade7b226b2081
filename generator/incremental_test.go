package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"zfgs/generator/internal/gendemo"
	"zfgs/generator/internal/treecopy"
)

// TestRebuildEqualsColdBuild edits a decision, adds one and revokes one,
// rebuilds into the existing output with the build cache, and compares the
// result byte for byte with a cold build (--no-cache, empty directory) of
// the edited site. It then checks the two other ways a cached page can go
// stale: the build date expiring decisions (publish_months), and an edit
// of a list every case page draws on. The cache must really be used:
// untouched case pages and QR codes are the very same files (hard links
// keep the inode), edited ones are new.
//
// It runs twice: with the default whole-tree swap, and --in-place.
func TestRebuildEqualsColdBuild(t *testing.T) {
	for _, mode := range []string{"swap", "in-place"} {
		t.Run(mode, func(t *testing.T) {
			var extra []string
			if mode == "in-place" {
				requireXattr(t)
				extra = []string{"--in-place"}
			}
			testRebuildEqualsCold(t, extra)
		})
	}
}

func testRebuildEqualsCold(t *testing.T, mode []string) {
	src := filepath.Join(t.TempDir(), "site")
	if err := gendemo.Generate(src, gendemo.Options{Cases: 300, Agencies: 6, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	// Penalties stop being published 12 months after publication: a later
	// build date turns some into tombstones.
	appendFile(t, filepath.Join(src, "config.toml"), "[rules]\npublish_months = 12\n")
	out := filepath.Join(t.TempDir(), "public")
	build := func(out, now string, extra ...string) string {
		var stdout, stderr strings.Builder
		if len(extra) == 0 {
			extra = mode
		}
		args := append([]string{"build", "--source", src, "--out", out, "--now", now}, extra...)
		if code := run(args, &stdout, &stderr); code != 0 {
			t.Fatalf("build: exit %d\n%s%s", code, stdout.String(), stderr.String())
		}
		return stdout.String()
	}
	same := func(now string) {
		t.Helper()
		cold := filepath.Join(t.TempDir(), "public")
		build(cold, now, "--no-cache")
		if a, c := treeHash(t, out), treeHash(t, cold); a != c {
			t.Fatalf("incremental output differs from a cold build (now %s)", now)
		}
	}
	build(out, "2026-11-24")

	cases, _ := filepath.Glob(filepath.Join(src, "content/agencies/*/cases/*/*.md"))
	if len(cases) < 6 {
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
	page := func(file string) string {
		return filepath.Join(out, "c", strings.TrimSuffix(filepath.Base(file), ".md"), "index.html")
	}
	qrFile := func(file string) string {
		return filepath.Join(out, "qr", strings.TrimSuffix(filepath.Base(file), ".md")+".png")
	}
	untouchedPage, untouchedQR, editedPage := inode(t, page(cases[3])), inode(t, qrFile(cases[0])), inode(t, page(cases[0]))

	edit(cases[0], "## 违法事实", "## 违法事实（已更正）")    // an edit
	edit(cases[4], `title = "`, `title = "（更正）`) // an edit the lists show
	for _, f := range cases[5:] {                // an edit only the data files show
		if b, _ := os.ReadFile(f); strings.Contains(string(b), `kinds = ["罚款"]`) {
			edit(f, `kinds = ["罚款"]`, `kinds = ["警告", "罚款"]`)
			break
		}
	}
	edit(cases[1], `status = "生效"`, "status = \"已撤销\"\nstatus_reason = \"经行政复议撤销。\"") // a status change
	added := filepath.Join(filepath.Dir(cases[2]), "NEW-CASE-1.md")                   // an addition
	b, _ := os.ReadFile(cases[2])
	os.WriteFile(added, []byte(strings.Replace(string(b), "〔", "〔新", 1)), 0o644)

	msg := build(out, "2026-11-24")
	t.Log(strings.TrimSpace(msg))
	// The five changed files are read again; the others are taken over
	// from the case memo without parsing.
	if !strings.Contains(msg, "；5 个重新读取") {
		t.Errorf("the case memo was not used as expected: %s", msg)
	}
	// The search index is built on the previous one: at most the five
	// changed decisions are tokenised (fewer: some are past their
	// publication period, and the revoked one leaves the index).
	var kept, tokenised int
	if m := regexp.MustCompile(`搜索索引：(\d+) 个未改动的条目沿用上次的索引，(\d+) 个重新分词`).FindStringSubmatch(msg); m != nil {
		kept, _ = strconv.Atoi(m[1])
		tokenised, _ = strconv.Atoi(m[2])
	}
	if kept < 100 || tokenised > 5 {
		t.Errorf("the previous search index was not used as expected (%d kept, %d tokenised): %s", kept, tokenised, msg)
	}
	if inode(t, page(cases[3])) != untouchedPage || inode(t, qrFile(cases[0])) != untouchedQR {
		t.Errorf("an unchanged case page or QR code was written anew: the cache was not used")
	}
	if inode(t, page(cases[0])) == editedPage {
		t.Errorf("the edited case's page was not rewritten")
	}
	if len(mode) > 0 && !strings.Contains(msg, "就地更新") {
		t.Errorf("--in-place did not update in place: %s", msg)
	}
	same("2026-11-24")

	// A later build date: decisions published more than 12 months before
	// it become tombstones although no file changed.
	build(out, "2027-03-01")
	same("2027-03-01")

	// A benchmark's wording shows on every case page that applies it.
	benchmarks, _ := filepath.Glob(filepath.Join(src, "content/agencies/*/benchmarks.toml"))
	if len(benchmarks) == 0 {
		t.Fatal("no benchmarks")
	}
	edit(benchmarks[0], "conditions = [", "conditions = [\"（修订）\", ")
	build(out, "2027-03-01")
	same("2027-03-01")

	// Edits that change no list's length: a listed decision's title (its
	// list pages) and its kinds (its data files only).
	var recent string
	for _, f := range cases[6:] {
		if b, _ := os.ReadFile(f); strings.Contains(f, "/2026/") && strings.Contains(string(b), `kinds = ["罚款"]`) {
			recent = f
			break
		}
	}
	if recent == "" {
		t.Fatal("no 2026 penalty to edit")
	}
	edit(recent, `title = "`, `title = "（再更正）`)
	build(out, "2027-03-01")
	same("2027-03-01")
	edit(recent, `kinds = ["罚款"]`, `kinds = ["警告", "罚款"]`)
	build(out, "2027-03-01")
	same("2027-03-01")

	// Without the search index's state (lost, or damaged), the memo alone
	// cannot give a case its postings: every findable case is read again
	// (the others, past their publication period, are still taken over).
	state := filepath.Join(src, ".cache", "search.prev")
	raw, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	raw[len(raw)/2] ^= 1
	os.WriteFile(state, raw, 0o644)
	edit(recent, `title = "`, `title = "（三更正）`)
	if msg := build(out, "2027-03-01"); strings.Contains(msg, "搜索索引") || !strings.Contains(msg, "个重新读取") {
		t.Errorf("a damaged index state was used: %s", msg)
	}
	same("2027-03-01")
}

func inode(t *testing.T, p string) uint64 {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Sys().(*syscall.Stat_t).Ino
}

func appendFile(t *testing.T, p, s string) {
	t.Helper()
	f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

// requireXattr skips a test of --in-place where the temporary directory's
// file system has no user extended attributes: builds there always swap
// (the output generation is an xattr), which the other tests cover.
func requireXattr(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	if err := unix.Setxattr(dir, "user.zfgs.probe", []byte("1"), 0); err != nil {
		t.Skipf("%s has no user extended attributes (%v): --in-place always swaps there", dir, err)
	}
}

// TestRebuildReplaysUnchangedCases: a case taken over from the build
// cache without being read must still say everything it said when read
// (its warnings, promoted by --strict), and its one check that depends on
// another case file (superseded_by) must see that file deleted.
func TestRebuildReplaysUnchangedCases(t *testing.T) {
	src := filepath.Join(t.TempDir(), "site")
	if err := gendemo.Generate(src, gendemo.Options{Cases: 40, Agencies: 2, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	cases, _ := filepath.Glob(filepath.Join(src, "content/agencies/*/cases/*/*.md"))
	out := filepath.Join(t.TempDir(), "public")
	build := func(extra ...string) (int, string) {
		var stdout, stderr strings.Builder
		args := append([]string{"build", "--source", src, "--out", out, "--now", "2026-11-24"}, extra...)
		code := run(args, &stdout, &stderr)
		return code, stdout.String() + stderr.String()
	}
	// cases[0] gains an unknown key (a warning on its line 2) and is
	// superseded by cases[1].
	a, target := cases[0], strings.TrimSuffix(filepath.Base(cases[1]), ".md")
	body, _ := os.ReadFile(a)
	text := strings.Replace(string(body), "+++\n", "+++\nunknown_field = 1\n", 1)
	text = strings.Replace(text, `status = "生效"`, "status = \"已变更\"\nsuperseded_by = \""+target+"\"", 1)
	os.WriteFile(a, []byte(text), 0o644)
	relA, _ := filepath.Rel(src, a)
	warning := relA + ":2:17: warning[E_UNKNOWN_KEY]"

	code, msg := build()
	if code != 0 || !strings.Contains(msg, warning) {
		t.Fatalf("first build: exit %d, want 0 and %q:\n%s", code, warning, msg)
	}
	code, msg = build()
	if code != 0 || !strings.Contains(msg, warning) || !strings.Contains(msg, "案件缓存：40 个案件文件未改动") {
		t.Fatalf("rebuild: exit %d, want 0, the warning again and every case from the cache:\n%s", code, msg)
	}
	code, msg = build("--strict")
	if code != 1 || !strings.Contains(msg, relA+":2:17: error[E_UNKNOWN_KEY]") {
		t.Fatalf("--strict rebuild: exit %d, want 1 and the warning as an error:\n%s", code, msg)
	}

	// Delete the new decision: the superseded case, unchanged, must now
	// point at nothing.
	os.Remove(cases[1])
	line := strings.Count(text[:strings.Index(text, "superseded_by")], "\n") + 1
	code, msg = build()
	if want := fmt.Sprintf("%s:%d:17: error[E_REF]", relA, line); code != 1 || !strings.Contains(msg, want) {
		t.Fatalf("after deleting %s: exit %d, want 1 and %q:\n%s", target, code, want, msg)
	}
}

// TestCaseMemoIsBoundToItsSecret: a memo written under another secret
// (say, a .cache/ forged and committed to the content repository) is not
// used, and check uses a build's memo without writing anything.
func TestCaseMemoIsBoundToItsSecret(t *testing.T) {
	src := filepath.Join(t.TempDir(), "site")
	if err := gendemo.Generate(src, gendemo.Options{Cases: 30, Agencies: 2, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	cmd := func(name string) string {
		var stdout, stderr strings.Builder
		args := []string{name, "--source", src, "--now", "2026-11-24"}
		if name == "build" {
			args = append(args, "--out", out)
		}
		if code := run(args, &stdout, &stderr); code != 0 {
			t.Fatalf("%s: exit %d\n%s%s", name, code, stdout.String(), stderr.String())
		}
		return stdout.String()
	}
	t.Setenv("ZFGS_CACHE_SECRET", "first secret")
	cmd("build")
	if msg := cmd("build"); !strings.Contains(msg, "案件缓存：30 个") {
		t.Fatalf("the memo was not used under its own secret:\n%s", msg)
	}
	data := filepath.Join(src, ".cache", "cases", "data")
	before, err := os.Stat(data)
	if err != nil {
		t.Fatal(err)
	}
	if msg := cmd("check"); !strings.Contains(msg, "案件缓存：30 个") {
		t.Fatalf("check did not use the build's memo:\n%s", msg)
	}
	if after, _ := os.Stat(data); after.Size() != before.Size() || !after.ModTime().Equal(before.ModTime()) {
		t.Fatal("check wrote to the memo")
	}

	t.Setenv("ZFGS_CACHE_SECRET", "another secret")
	if msg := cmd("check"); strings.Contains(msg, "案件缓存") {
		t.Fatalf("check used a memo made under another secret:\n%s", msg)
	}
	if msg := cmd("build"); strings.Contains(msg, "案件缓存") {
		t.Fatalf("build used a memo made under another secret:\n%s", msg)
	}
}

// check writes nothing, not even the memo's secret in the user's cache
// folder (a build makes it).
func TestCheckCreatesNoSecret(t *testing.T) {
	home := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", home)
	t.Setenv("ZFGS_CACHE_SECRET", "")
	src := filepath.Join(t.TempDir(), "site")
	if err := gendemo.Generate(src, gendemo.Options{Cases: 5, Agencies: 1, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr strings.Builder
	if code := run([]string{"check", "--source", src, "--now", "2026-11-24"}, &stdout, &stderr); code != 0 {
		t.Fatalf("check: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	if left, _ := os.ReadDir(home); len(left) > 0 {
		t.Fatalf("check wrote to the user's cache folder: %v", left)
	}
	if _, err := os.Stat(filepath.Join(src, ".cache")); err == nil {
		t.Fatal("check created .cache/")
	}
}

// TestListEditsRetakeOnlyTheirCases: an edit outside the case files
// re-reads and re-renders exactly the cases that can show it (package
// scope), and the output still equals a cold build's.
//   - An agency publishing its annual statistics and inspection plan
//     touches no case.
//   - A county's supervision channels show on its own case pages and
//     nowhere else.
//   - A city's catalogue item, claimed by its county and town, shows on the
//     three agencies' case pages, not on the other city's.
func TestListEditsRetakeOnlyTheirCases(t *testing.T) {
	src := filepath.Join(t.TempDir(), "site")
	// Six agencies: two chains of city (a00, a03), county (a01, a04) and
	// town (a02, a05).
	if err := gendemo.Generate(src, gendemo.Options{Cases: 240, Agencies: 6, Seed: 11}); err != nil {
		t.Fatal(err)
	}
	agency := func(id string) string {
		m, _ := filepath.Glob(filepath.Join(src, "content/agencies", id+"-*"))
		if len(m) != 1 {
			t.Fatalf("no agency folder %s-*", id)
		}
		return m[0]
	}
	casesOf := func(ids ...string) int {
		n := 0
		for _, id := range ids {
			m, _ := filepath.Glob(filepath.Join(agency(id), "cases/*/*.md"))
			n += len(m)
		}
		return n
	}
	out := filepath.Join(t.TempDir(), "public")
	build := func(out string, extra ...string) string { t.Helper(); return mustBuild(t, src, out, extra...) }
	rebuild := func(what string, reread int) {
		t.Helper()
		msg := build(out)
		if want := fmt.Sprintf("）；%d 个重新读取", reread); !strings.Contains(msg, want) {
			t.Errorf("%s: want %d cases read again, %d taken over:\n%s", what, reread, casesOf("a00", "a01", "a02", "a03", "a04", "a05")-reread, msg)
		}
		cold := filepath.Join(t.TempDir(), "public")
		build(cold, "--no-cache")
		if treeHash(t, out) != treeHash(t, cold) {
			t.Fatalf("%s: the incremental output differs from a cold build", what)
		}
	}
	write := func(p, s string) {
		t.Helper()
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	edit := func(p, old, new string) {
		t.Helper()
		b, _ := os.ReadFile(p)
		if !strings.Contains(string(b), old) {
			t.Fatalf("%s has no %q", p, old)
		}
		write(p, strings.Replace(string(b), old, new, 1))
	}
	build(out)
	other, _ := filepath.Glob(filepath.Join(agency("a03"), "cases/*/*.md"))
	if len(other) == 0 {
		t.Fatal("a03 has no cases")
	}
	page := filepath.Join(out, "c", strings.TrimSuffix(filepath.Base(other[0]), ".md"), "index.html")
	untouched := inode(t, page)

	a00 := agency("a00")
	write(filepath.Join(a00, "stats", "2025.toml"), "year = 2025\npublished = 2026-01-20\n\n[[table]]\ntitle = \"行政处罚实施情况统计表\"\nunit = \"宗\"\n[table.values]\n\"罚款\" = 12\n")
	code := strings.TrimPrefix(filepath.Base(a00), "a00-")
	write(filepath.Join(a00, "plans", "2026.toml"), "year = 2026\napproved = 2026-02-12\npublished = 2026-02-14\n\n[[task]]\nid = \"A00-P2026-01\"\nname = \"2026年双随机抽查\"\nitem = \"4407-"+strings.ToUpper(code)+"-01\"\nkind = \"日常\"\nmethod = \"双随机\"\ntargets = \"辖区企业\"\nmonths = [4, 5]\nonsite = true\n")
	rebuild("annual statistics and an inspection plan", 0)

	edit(filepath.Join(agency("a01"), "agency.toml"), `complaint_phone = "12345"`, `complaint_phone = "0750-12345"`)
	rebuild("a county's complaint phone", casesOf("a01", "a02"))

	edit(filepath.Join(a00, "catalogue.toml"), `name = "对`, `name = "（修订）对`)
	rebuild("a city's catalogue item", casesOf("a00", "a01", "a02"))

	if inode(t, page) != untouched {
		t.Errorf("a case page of the other city was written anew")
	}
}

// TestRestoredCacheBuildIsWarm is a CI runner that keeps nothing: the
// sources come from a fresh checkout (new mtimes) and public/ and .cache/
// from the CI cache (the same bytes and mtimes under new inodes). With
// ZFGS_CACHE_SECRET set, the build takes the case pages and QR codes over
// after checking their content against the sealed manifest, instead of
// rendering them again, and its output is a cold build's.
func TestRestoredCacheBuildIsWarm(t *testing.T) {
	t.Setenv("ZFGS_CACHE_SECRET", "a CI secret variable")
	src := filepath.Join(t.TempDir(), "site")
	if err := gendemo.Generate(src, gendemo.Options{Cases: 200, Agencies: 5, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	build := func(extra ...string) string { t.Helper(); return mustBuild(t, src, out, extra...) }
	counts := func(msg string) (written, reused int) {
		t.Helper()
		m := regexp.MustCompile(`新写入 (\d+) 个文件，(\d+) 个未变的文件沿用上次输出`).FindStringSubmatch(msg)
		if m == nil {
			t.Fatalf("no counts in %q", msg)
		}
		written, _ = strconv.Atoi(m[1])
		reused, _ = strconv.Atoi(m[2])
		return
	}
	build()
	_, warm := counts(build()) // what a rebuild on a kept workspace takes over

	// A checkout (new inodes and mtimes; .cache/ with it), and public/
	// restored (new inodes, the same mtimes).
	if err := treecopy.Replace(src, false, nil); err != nil {
		t.Fatal(err)
	}
	if err := treecopy.Replace(out, true, nil); err != nil {
		t.Fatal(err)
	}
	cases, _ := filepath.Glob(filepath.Join(out, "c", "*", "index.html"))
	if len(cases) < 100 {
		t.Fatalf("%d case pages", len(cases))
	}
	restored := inode(t, cases[0])

	msg := build()
	t.Log(strings.TrimSpace(msg))
	written, reused := counts(msg)
	if reused < warm || written > 0 {
		t.Errorf("after a restore: %d files written, %d taken over; a kept workspace takes over %d", written, reused, warm)
	}
	// Taken over without being read or rendered again (a case whose page
	// cannot be taken over is read and rendered, even when the bytes it
	// renders are the same and are then kept).
	if !strings.Contains(msg, "；0 个重新读取") {
		t.Errorf("cases were rendered again after a restore: %s", msg)
	}
	if inode(t, cases[0]) != restored {
		t.Error("a restored case page was written anew")
	}
	cold := filepath.Join(t.TempDir(), "public")
	mustBuild(t, src, cold, "--no-cache")
	if treeHash(t, out) != treeHash(t, cold) {
		t.Error("the build after a restore differs from a cold build")
	}
}

// mustBuild builds src into out on 2026-11-24 and returns what it printed.
func mustBuild(t *testing.T, src, out string, extra ...string) string {
	t.Helper()
	var stdout, stderr strings.Builder
	args := append([]string{"build", "--source", src, "--out", out, "--now", "2026-11-24"}, extra...)
	if code := run(args, &stdout, &stderr); code != 0 {
		t.Fatalf("build: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	return stdout.String()
}
