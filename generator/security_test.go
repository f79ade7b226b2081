package main

// Issue 8, "prove it safe": paths from content and flags, faults while
// writing, size limits and reproducibility. The XSS corpus is in
// xss_test.go, the privacy scan in privacy_test.go. README.md ("Security")
// lists every test and its figures.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"zfgs/generator/internal/browsertest"

	"golang.org/x/tools/txtar"
)

// snapshot records every path under root (files with their content hash,
// directories, links with their target), except the top-level names in
// skip.
func snapshot(t *testing.T, root string, skip ...string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		for _, s := range skip {
			if rel == s || strings.HasPrefix(rel, s+string(filepath.Separator)) {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			m[rel] = "link " + target
		case d.IsDir():
			m[rel] = "dir"
		default:
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(data)
			m[rel] = hex.EncodeToString(sum[:])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func sameSnapshot(t *testing.T, what string, a, b map[string]string) {
	t.Helper()
	var diffs []string
	for k, v := range a {
		if b[k] != v {
			diffs = append(diffs, fmt.Sprintf("%s: %.12s → %.12s", k, v, b[k]))
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			diffs = append(diffs, k+": added")
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 0 {
		t.Errorf("%s changed:\n  %s", what, strings.Join(diffs[:min(len(diffs), 20)], "\n  "))
	}
}

// The swap replaces --out whole, so --out may not be the site, a folder
// above it, anything in content/ or layouts/, or an existing file: each is
// refused before anything is written (exit 2), and the site is untouched.
func TestOutGuard(t *testing.T) {
	dir := writeSite(t, nil)
	link := filepath.Join(t.TempDir(), "site-link")
	if err := os.Symlink(dir, link); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	for _, c := range []struct{ name, out, want string }{
		{"the site root", dir, "站点根目录"},
		{"the site root, spelled with ..", filepath.Join(dir, "content", ".."), "站点根目录"},
		{"the site root through a link", link, "站点根目录"},
		{"the folder above the site", filepath.Dir(dir), "站点根目录"},
		{"the file system root", "/", "站点根目录"},
		{"content/", filepath.Join(dir, "content"), "content"},
		{"a folder in content/", filepath.Join(dir, "content", "agencies", "public"), "content"},
		{"a folder in layouts/", filepath.Join(dir, "layouts", "out"), "layouts"},
		{"an existing file", filepath.Join(dir, "config.toml"), "不是文件夹"},
		{"an existing file outside", filepath.Join(t.TempDir()), ""}, // a directory: allowed
	} {
		if c.want == "" {
			continue
		}
		code, out := runBuild(t, dir, "--out", c.out)
		if code != 2 || !strings.Contains(out, c.want) || !strings.Contains(out, "--out") {
			t.Errorf("--out %s (%s): exit %d, want 2 and a message naming %q:\n%s", c.out, c.name, code, c.want, out)
		}
	}
	sameSnapshot(t, "the site", before, snapshot(t, dir))

	// A link to a directory is followed: the site is published where it
	// points, and the link stays.
	real := filepath.Join(t.TempDir(), "www")
	os.Mkdir(real, 0o755)
	outLink := filepath.Join(t.TempDir(), "public")
	os.Symlink(real, outLink)
	if code, out := runBuild(t, dir, "--out", outLink); code != 0 {
		t.Fatalf("--out through a link: exit %d\n%s", code, out)
	}
	if fi, err := os.Lstat(outLink); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the --out link was replaced: %v", err)
	}
	if _, err := os.Stat(filepath.Join(real, "index.html")); err != nil {
		t.Errorf("not published through the link: %v", err)
	}
}

// A build writes its output, urls.lock and its cache (.cache/, git-ignored)
// and nothing else: everything
// beside --out (and the rest of the site) is byte-identical after a first
// build, a rebuild and a failed build, and no temporary folder is left.
func TestBuildWritesOnlyOut(t *testing.T) {
	ws := t.TempDir()
	dir := writeSite(t, nil)
	site := filepath.Join(ws, "site")
	if err := os.Rename(dir, site); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(ws, "keep.txt"), []byte("not ours"), 0o644)
	os.Mkdir(filepath.Join(ws, "public-old"), 0o755)
	os.WriteFile(filepath.Join(ws, "public-old", "index.html"), []byte("another site"), 0o644)
	os.WriteFile(filepath.Join(site, "urls.lock"), nil, 0o644)
	ignore := []string{"out", filepath.Join("site", "urls.lock"), filepath.Join("site", ".cache")}
	before := snapshot(t, ws, ignore...)
	out := filepath.Join(ws, "out")
	for i, extra := range []map[string]string{nil, {"content/_index.md": "新的介绍"}, {"content/calendar.toml": "years = ["}} {
		for name, data := range extra {
			before[filepath.Join("site", name)] = "" // expected to change
			os.WriteFile(filepath.Join(site, filepath.FromSlash(name)), []byte(data), 0o644)
		}
		code, msg := runBuild(t, site, "--out", out)
		if want := []int{0, 0, 1}[i]; code != want {
			t.Fatalf("build %d: exit %d, want %d\n%s", i, code, want, msg)
		}
	}
	after := snapshot(t, ws, ignore...)
	for k, v := range before {
		if v == "" {
			before[k] = after[k]
		}
	}
	sameSnapshot(t, "the workspace beside --out", before, after)
	if left, _ := filepath.Glob(filepath.Join(ws, ".out*")); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}

// Odd file and folder names in content are each one clear E_ID, printed on
// one line (a name holding a newline or bytes that are not UTF-8 is quoted,
// so it cannot forge a diagnostic line). Hidden files (".x.md") are skipped.
func TestOddFileNames(t *testing.T) {
	caseFile := "+++\n+++\n"
	cases := "content/agencies/cs-scjg/cases/2025/"
	bad := []string{
		cases + "案件一.md",
		cases + "CS-2025-0009.MD",
		cases + "CS 2025 0010.md",
		cases + "CS-2025-0011.md ",
		cases + "CS-2025-\x01.md",
		cases + "CS-2025-0012\n.md",
		cases + "CS-2025-0013\r.md",
		cases + "\xb0\xb8\xbc\xfe.md", // 案件 in GBK
		cases + strings.Repeat("A", 41) + ".md",
		cases + strings.Repeat("长", 80) + ".md",
		cases + "CS-2025-0014.md.bak",
		cases + "CS-2025-0015",
		cases + "CS:2025.md",
		cases + "CS-2025-0016.md/x", // a folder named like a case
		"content/agencies/cs-scjg/cases/二〇二五/CS-2025-0017.md",
		"content/agencies/cs-scjg/cases/2025 /CS-2025-0018.md",
		"content/agencies/JM-SCJG/agency.toml",
		"content/agencies/执法局/agency.toml",
		"content/agencies/a b/agency.toml",
		"content/agencies/a/agency.toml",
		"content/agencies/" + strings.Repeat("a", 33) + "/agency.toml",
		"content/agencies/a\x7f/agency.toml",
		"content/agencies/cs-scjg/plans/2025.TOML",
		"content/agencies/cs-scjg/stats/2025.toml.orig",
	}
	extra := map[string]string{cases + ".hidden.md": caseFile, cases + ".DS_Store": "x"}
	for _, name := range bad {
		extra[name] = caseFile
	}
	dir := writeSite(t, extra)
	var stdout, stderr bytes.Buffer
	code := run([]string{"check", "--source", dir, "--now", "2025-06-30"}, &stdout, &stderr)
	if code != 1 {
		t.Fatalf("exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	lines := strings.Split(strings.TrimRight(stdout.String(), "\n"), "\n")
	ids := 0
	for i, l := range lines {
		switch {
		case i == len(lines)-1 && summaryRE.MatchString(l), strings.HasPrefix(l, "    "):
		case diagRE.MatchString(l):
			if strings.Contains(l, "error[E_ID]") {
				ids++
			} else {
				t.Errorf("unexpected diagnostic %q", l)
			}
		default:
			t.Errorf("malformed output line %q", l)
		}
	}
	if ids != len(bad) {
		t.Errorf("%d E_ID diagnostics for %d bad names:\n%s", ids, len(bad), stdout.String())
	}
	for _, want := range []string{`"content/agencies/cs-scjg/cases/2025/CS-2025-0012\n.md":1:1: error[E_ID]`,
		`"content/agencies/cs-scjg/cases/2025/\xb0\xb8\xbc\xfe.md":1:1: error[E_ID]`} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("missing %s", want)
		}
	}
	t.Logf("%d odd names, each one E_ID", len(bad))
}

// A site's layouts are read like content: a symbolic link inside layouts/,
// or layouts/ itself being one, is refused with a message naming it.
func TestLayoutSymlinks(t *testing.T) {
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "404.html"), []byte(`{{define "main"}}外部模板{{end}}`), 0o644)
	for name, setup := range map[string]func(dir string) error{
		"file link": func(dir string) error {
			os.Mkdir(filepath.Join(dir, "layouts"), 0o755)
			return os.Symlink("/etc/passwd", filepath.Join(dir, "layouts", "case.html"))
		},
		"folder link": func(dir string) error { return os.Symlink(outside, filepath.Join(dir, "layouts")) },
	} {
		dir := writeSite(t, nil)
		if err := setup(dir); err != nil {
			t.Fatal(err)
		}
		code, out := runBuild(t, dir)
		if code != 1 || !strings.Contains(out, "layouts/") || !strings.Contains(out, "符号链接") {
			t.Errorf("%s: exit %d, want 1 naming the link\n%s", name, code, out)
		}
		if _, err := os.Stat(filepath.Join(dir, "public")); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s: output written", name)
		}
	}
}

// --out under a regular file (ENOTDIR): a clear Chinese error, exit 1, and
// the file is untouched.
func TestFaultOutUnderFile(t *testing.T) {
	dir := writeSite(t, nil)
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, []byte("keep"), 0o644)
	code, out := runBuild(t, dir, "--out", filepath.Join(file, "public"))
	if code != 1 || !strings.Contains(out, "路径中有一段是文件而不是文件夹") {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if data, _ := os.ReadFile(file); string(data) != "keep" {
		t.Error("file changed")
	}
}

// buildBinary compiles the generator for tests that run it as a process.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "generator")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// bigCase is a valid case whose page is larger than size bytes.
func bigCase(size int) string {
	return `+++
number = "测市监处罚〔2025〕99号"
category = "行政处罚"
item = "CS-CF-0001"
title = "篇幅很长的案件"
decided = 2025-01-24
published = 2025-02-10
officers = ["44070010001", "44070010002"]
[party]
kind = "法人"
name = "测试市某某大公司"
credit_code = "91440700MA00000099"
[discretion]
benchmark = "CS-B001"
tier = "一般"
[decision]
kinds = ["罚款"]
fine = 30000
+++
` + strings.Repeat("当事人销售不符合食品安全标准的食品，货值金额一万二千元。\n\n", size/80+1)
}

const bigCasePath = "content/agencies/cs-scjg/cases/2025/CS-2025-0099.md"

// A file size limit (RLIMIT_FSIZE, via prlimit) makes a write fail with
// EFBIG part way through a build: a clear Chinese error, exit 1, and the
// previous output byte-identical, with no temporary folder left. (Go
// ignores SIGXFSZ, so the write returns the error instead of the process
// being killed.) This works as root and needs no privilege.
func TestFaultFileSizeLimit(t *testing.T) {
	prlimit := browsertest.RequireTool(t, "prlimit")
	bin := buildBinary(t)
	dir := writeSite(t, nil)
	out := filepath.Join(t.TempDir(), "public")
	build := func(limit int) (int, string) {
		args := []string{bin, "build", "--source", dir, "--out", out, "--now", "2025-06-30"}
		if limit > 0 {
			args = append([]string{"--fsize=" + strconv.Itoa(limit)}, args...)
		}
		var buf bytes.Buffer
		cmd := exec.Command(map[bool]string{true: prlimit, false: bin}[limit > 0], args[map[bool]int{true: 0, false: 1}[limit > 0]:]...)
		cmd.Stdout, cmd.Stderr = &buf, &buf
		err := cmd.Run()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode(), buf.String()
		} else if err != nil {
			t.Fatal(err)
		}
		return 0, buf.String()
	}
	if code, msg := build(0); code != 0 {
		t.Fatalf("first build: exit %d\n%s", code, msg)
	}
	before := treeHash(t, out)
	os.WriteFile(filepath.Join(dir, bigCasePath), []byte(bigCase(2<<20)), 0o644)
	code, msg := build(1 << 20)
	if code != 1 || !strings.Contains(msg, "文件超过系统允许的大小上限") || !strings.Contains(msg, "原有网站文件未受影响") {
		t.Fatalf("exit %d, want 1 with the Chinese message\n%s", code, msg)
	}
	if treeHash(t, out) != before {
		t.Error("the previous output changed")
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".public.tmp-*")); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
	t.Logf("EFBIG injected: %s", strings.TrimSpace(finalLine(msg)))
}

func finalLine(s string) string {
	s = strings.TrimSpace(s)
	return s[strings.LastIndexByte(s, '\n')+1:]
}

// A real full disk (ENOSPC) and a read-only file system (EROFS): the test
// runs itself again in a private mount namespace, mounts a small tmpfs
// there, builds the site into it, then builds a larger version that does
// not fit, then remounts it read-only and builds again. Each failure is a
// clear Chinese error and leaves the previous output byte-identical. The
// mount disappears with the child process. Where mount namespaces or tmpfs
// mounts are not permitted it skips (TestFaultFileSizeLimit still injects
// a write failure).
func TestFaultDiskFullAndReadOnly(t *testing.T) {
	if os.Getenv("ZFGS_FAULT_CHILD") == "1" {
		diskFullChild(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestFaultDiskFullAndReadOnly$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), "ZFGS_FAULT_CHILD=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWNS}
	out, err := cmd.CombinedOutput()
	if err != nil && !bytes.Contains(out, []byte("--- ")) {
		t.Skipf("cannot start a process in a new mount namespace (%v): ENOSPC not injected", err)
	}
	if m := regexp.MustCompile(`(?m)^\s+\S+\.go:\d+: SKIP: (.*)$`).FindSubmatch(out); m != nil {
		t.Skipf("%s", m[1])
	}
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, "INJECTED") {
			t.Log(strings.TrimSpace(l))
		}
	}
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
}

func diskFullChild(t *testing.T) {
	if err := syscall.Mount("", "/", "", syscall.MS_REC|syscall.MS_PRIVATE, ""); err != nil {
		t.Skipf("SKIP: cannot make mounts private: %v", err)
	}
	dir := writeSite(t, nil)
	mnt := t.TempDir()
	// Measure the first build, then mount a tmpfs it fits in with 256 KiB
	// to spare.
	probe := filepath.Join(t.TempDir(), "public")
	if code, out := runBuild(t, dir, "--out", probe); code != 0 {
		t.Fatalf("probe build: exit %d\n%s", code, out)
	}
	var size int64
	filepath.WalkDir(probe, func(p string, d fs.DirEntry, err error) error {
		if err == nil {
			size += 4096 // tmpfs allocates whole pages
			if fi, err := d.Info(); err == nil && !d.IsDir() {
				size += fi.Size()
			}
		}
		return nil
	})
	size += 256 << 10
	if err := syscall.Mount("tmpfs", mnt, "tmpfs", 0, fmt.Sprintf("size=%d", size)); err != nil {
		t.Skipf("SKIP: cannot mount tmpfs (%v)", err)
	}
	defer syscall.Unmount(mnt, syscall.MNT_DETACH)
	out := filepath.Join(mnt, "public")
	if code, msg := runBuild(t, dir, "--out", out); code != 0 {
		t.Fatalf("first build into a %d KiB tmpfs: exit %d\n%s", size>>10, code, msg)
	}
	before := treeHash(t, out)

	os.WriteFile(filepath.Join(dir, bigCasePath), []byte(bigCase(1<<20)), 0o644)
	code, msg := runBuild(t, dir, "--out", out)
	if code != 1 || !strings.Contains(msg, "磁盘空间不足") || !strings.Contains(msg, "原有网站文件未受影响") {
		t.Fatalf("disk full: exit %d, want 1 with the Chinese message\n%s", code, msg)
	}
	if treeHash(t, out) != before {
		t.Error("disk full: the previous output changed")
	}
	t.Logf("INJECTED ENOSPC (tmpfs of %d KiB): %s", size>>10, finalLine(msg))

	if err := syscall.Mount("", mnt, "", syscall.MS_REMOUNT|syscall.MS_RDONLY, ""); err != nil {
		t.Fatalf("remount read-only: %v", err)
	}
	os.Remove(filepath.Join(dir, bigCasePath))
	os.WriteFile(filepath.Join(dir, "content/_index.md"), []byte("改过的介绍"), 0o644)
	code, msg = runBuild(t, dir, "--out", out)
	if code != 1 || !strings.Contains(msg, "文件系统是只读的") || !strings.Contains(msg, "原有网站文件未受影响") {
		t.Fatalf("read-only: exit %d, want 1 with the Chinese message\n%s", code, msg)
	}
	if treeHash(t, out) != before {
		t.Error("read-only: the previous output changed")
	}
	if left, _ := filepath.Glob(filepath.Join(mnt, ".public.tmp-*")); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
	t.Logf("INJECTED EROFS: %s", finalLine(msg))
}

// A content file over 64 MiB (here a 100 MB case, _index.md and
// agency.toml, sparse so the test writes nothing) is refused before it is
// read: E_LIMIT naming the file and both sizes, at once.
func TestHugeContentFiles(t *testing.T) {
	dir := writeSite(t, nil)
	files := []string{"content/agencies/cs-scjg/cases/2025/CS-2025-0001.md", "content/_index.md", "content/agencies/cs-xscjg/agency.toml"}
	for _, name := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.Truncate(p, 100<<20); err != nil {
			os.WriteFile(p, nil, 0o644)
			if err := os.Truncate(p, 100<<20); err != nil {
				t.Fatal(err)
			}
		}
	}
	start := time.Now()
	var stdout, stderr bytes.Buffer
	code := run([]string{"check", "--source", dir, "--now", "2025-06-30"}, &stdout, &stderr)
	if code != 1 {
		t.Fatalf("exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	for _, name := range files {
		want := name + ":1:1: error[E_LIMIT] 文件过大（100 MB），超过单个内容文件 64 MB 的上限"
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("missing %q in\n%s", want, stdout.String())
		}
	}
	t.Logf("3 files of 100 MB refused in %v", time.Since(start).Round(time.Millisecond))
}

// Two builds of the demo city from copies at different absolute paths, one
// second apart, under different time zones and locales, give byte-identical
// trees, and no output file names either location.
func TestReproducibleBuild(t *testing.T) {
	bin := buildBinary(t)
	srcs := []string{filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "城市", "站点 b")}
	outs := []string{filepath.Join(t.TempDir(), "public"), filepath.Join(t.TempDir(), "x", "y", "out")}
	envs := [][]string{{"TZ=UTC", "LANG=C"}, {"TZ=Pacific/Kiritimati", "LANG=zh_CN.UTF-8", "LC_ALL=zh_CN.UTF-8"}}
	for i := range srcs {
		copySite(t, "..", srcs[i])
		if i > 0 {
			time.Sleep(time.Second)
		}
		cmd := exec.Command(bin, "build", "--source", srcs[i], "--out", outs[i], "--now", "2026-11-24")
		cmd.Env = append(os.Environ(), envs[i]...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("build %d: %v\n%s", i, err, out)
		}
	}
	a, b := snapshot(t, outs[0]), snapshot(t, outs[1])
	sameSnapshot(t, "the second build", a, b)
	files := 0
	filepath.WalkDir(outs[1], func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		data, _ := os.ReadFile(p)
		for _, leak := range append(append([]string{}, srcs...), append(outs, os.TempDir()+"/")...) {
			if bytes.Contains(data, []byte(leak)) {
				t.Errorf("%s contains the path %s", p, leak)
			}
		}
		return nil
	})
	t.Logf("%d files byte-identical across two locations, time zones and times", files)
}

// copySite copies config.toml, urls.lock and content/ of the site at src.
func copySite(t *testing.T, src, dst string) {
	t.Helper()
	for _, name := range []string{"config.toml", "urls.lock", "content"} {
		err := filepath.WalkDir(filepath.Join(src, name), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(src, p)
			target := filepath.Join(dst, rel)
			if d.IsDir() {
				return os.MkdirAll(target, 0o755)
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			os.MkdirAll(filepath.Dir(target), 0o755)
			return os.WriteFile(target, data, 0o644)
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
	}
}

// TestMillionRowCatalogue (ZFGS_BIG=1; a few minutes) checks a site whose
// catalogues hold 1,000,000 items, once as ten agencies of 100,000 items
// and once as one 58 MB catalogue.toml (just under the 64 MiB file limit),
// and reports the time and peak memory (max RSS) of `generator check`,
// which must stay under 2 GiB.
func TestMillionRowCatalogue(t *testing.T) {
	if os.Getenv("ZFGS_BIG") != "1" {
		t.Skip("set ZFGS_BIG=1 to check a 1,000,000-item catalogue")
	}
	bin := buildBinary(t)
	const rows = 1_000_000
	for _, agencies := range []int{10, 1} {
		dir := t.TempDir()
		w := func(name, data string) {
			p := filepath.Join(dir, filepath.FromSlash(name))
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		w("config.toml", "title = \"百万事项\"\nbase_url = \"https://zfgs.example.gov.cn\"\n")
		w("content/calendar.toml", "years = [2025]\n")
		var size int64
		for a := 0; a < agencies; a++ {
			id := fmt.Sprintf("big-%02d", a)
			w("content/agencies/"+id+"/agency.toml", "name = \"局"+id+"\"\nlevel = \"市\"\n")
			var b strings.Builder
			for i := a * rows / agencies; i < (a+1)*rows/agencies; i++ {
				fmt.Fprintf(&b, "[[item]]\ncode=\"C%07d\"\nname=\"n\"\ntype=\"其他\"\nbasis=\"b\"\n", i)
			}
			size += int64(b.Len())
			w("content/agencies/"+id+"/catalogue.toml", b.String())
		}
		start := time.Now()
		cmd := exec.Command(bin, "check", "--source", dir, "--now", "2025-06-30")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("check: %v\n%s", err, out)
		}
		rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10 // KiB on Linux
		t.Logf("%d items in %d catalogue.toml (%d MB): check %v, peak memory %d MB; %s",
			rows, agencies, size>>20, time.Since(start).Round(100*time.Millisecond), rss>>20, finalLine(string(out)))
		if rss > 2<<30 {
			t.Errorf("peak memory %d MB, want < 2048 MB", rss>>20)
		}
	}
}

// A case body of 40 MB nested 20,000,000 levels deep (which goldmark would
// take days over) is refused by check at once with E_LIMIT, before any
// rendering: the depth scan is linear.
func TestDeepMarkdownRefused(t *testing.T) {
	body := strings.Repeat("> ", 20_000_000) + "x\n"
	data, _ := os.ReadFile("testdata/base.txtar")
	ar := txtarFile(t, data, "content/agencies/cs-scjg/cases/2025/CS-2025-0001.md")
	dir := writeSite(t, map[string]string{"content/agencies/cs-scjg/cases/2025/CS-2025-0001.md": ar + "\n" + body})
	start := time.Now()
	code, out := runBuild(t, dir)
	d := time.Since(start)
	if code != 1 || !strings.Contains(out, "CS-2025-0001.md:") || !strings.Contains(out, "error[E_LIMIT] Markdown 的引用或列表嵌套了 20000000 层") {
		t.Fatalf("exit %d\n%.2000s", code, out)
	}
	if d > 10*time.Second {
		t.Errorf("took %v", d)
	}
	t.Logf("%d MB body, 20,000,000 levels: E_LIMIT in %v", len(body)>>20, d.Round(time.Millisecond))
}

// txtarFile is one file of a txtar archive.
func txtarFile(t *testing.T, archive []byte, name string) string {
	ar := txtar.Parse(archive)
	for _, f := range ar.Files {
		if f.Name == name {
			return string(f.Data)
		}
	}
	t.Fatalf("%s not in the archive", name)
	return ""
}

// Values from content that become parts of URLs and file names (officers'
// certificate numbers, item codes) cannot name a file outside the output:
// "/", "\\", "%", "?" and "#" are E_ID, and "." and ".." make no page of
// their own. The build writes nothing beside --out.
func TestPathsFromContent(t *testing.T) {
	officers := ""
	for _, cert := range []string{"..", ".", "..."} {
		officers += fmt.Sprintf("[[officer]]\nname = \"甲\"\ncert_no = %q\n", cert)
	}
	agency := "name = \"测试市某某区市场监督管理局\"\nlevel = \"县\"\nparent = \"cs-scjg\"\n[[officer]]\nname = \"陈刚\"\ncert_no = \"44070020001\"\n[[officer]]\nname = \"周敏\"\ncert_no = \"44070020002\"\n"
	dir := writeSite(t, map[string]string{"content/agencies/cs-xscjg/agency.toml": agency + officers})
	ws := t.TempDir()
	out := filepath.Join(ws, "deep", "public")
	before := snapshot(t, ws)
	code, msg := runBuild(t, dir, "--out", out)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, msg)
	}
	after := snapshot(t, ws, filepath.Join("deep", "public"))
	delete(after, "deep")
	sameSnapshot(t, "the folder around --out", before, after)
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.ContainsAny(filepath.Base(p), `\%?#`) {
			t.Errorf("odd output file %s", p)
		}
		return err
	})

	// "/", "\\", "%", "?" or "#" in a certificate number, "/" in an item code
	// is E_ID.
	odd := ""
	for _, cert := range []string{`..\..\x`, "%2e%2e", "a?b", "x#y"} {
		odd += fmt.Sprintf("[[officer]]\nname = \"丁\"\ncert_no = %q\n", cert)
	}
	bad := writeSite(t, map[string]string{
		"content/agencies/cs-xscjg/agency.toml":    agency + odd + "[[officer]]\nname = \"乙\"\ncert_no = \"../../../etc/passwd\"\n[[officer]]\nname = \"丙\"\ncert_no = \"/etc/passwd\"\n",
		"content/agencies/cs-xscjg/catalogue.toml": "[[claim]]\ncode = \"CS-CF-0001\"\n[[item]]\ncode = \"../../x\"\nname = \"n\"\ntype = \"其他\"\nbasis = \"b\"\n",
	})
	code, msg = runBuild(t, bad)
	if code != 1 || strings.Count(msg, "error[E_ID]") != 7 {
		t.Errorf("exit %d, want 1 with seven E_ID\n%s", code, msg)
	}
}

// A .cache that is a symbolic link (it could arrive in an agency's commit)
// is not followed: the build succeeds without the cache and writes nothing
// where the link points.
func TestCacheLinkNotFollowed(t *testing.T) {
	dir := writeSite(t, nil)
	target := t.TempDir()
	if err := os.Symlink(target, filepath.Join(dir, ".cache")); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if code, out := runBuild(t, dir); code != 0 {
			t.Fatalf("build %d: exit %d\n%s", i, code, out)
		}
	}
	if left, _ := os.ReadDir(target); len(left) > 0 {
		t.Errorf("the build wrote through the .cache link: %v", left)
	}
}
