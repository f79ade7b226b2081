package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"zfgs/generator/internal/gendemo"
	"zfgs/generator/internal/treecopy"
)

// procUsage is what a child process took: wall time, CPU time in user and
// kernel mode (their sum against the wall shows how parallel it was, and
// kernel time is mostly file creation), and peak RSS.
type procUsage struct {
	wall, user, sys time.Duration
	rss             int64
}

func (u procUsage) String() string {
	s := fmt.Sprintf("%8.2f s  CPU %6.1f s (user %.1f + sys %.1f)",
		u.wall.Seconds(), (u.user + u.sys).Seconds(), u.user.Seconds(), u.sys.Seconds())
	if u.rss > 0 {
		s += fmt.Sprintf("  peak RSS %6.0f MiB", mib(u.rss))
	}
	return s
}

// measure runs cmd and returns its usage and combined output.
func measure(cmd *exec.Cmd) (procUsage, string, error) {
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	t0 := time.Now()
	err := cmd.Run()
	u := procUsage{wall: time.Since(t0)}
	if cmd.ProcessState != nil {
		u.user, u.sys = cmd.ProcessState.UserTime(), cmd.ProcessState.SystemTime()
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			u.rss = ru.Maxrss * 1024
		}
	}
	return u, out.String(), err
}

// cmdBench reproduces the scale figures: it generates an N-decision city,
// runs a cold check and build in child processes (so peak RSS is the
// build's alone), edits one decision, rebuilds, and prints pages/s, peak
// RSS, output size and the one-decision rebuild time.
func cmdBench(args []string, stdout, stderr io.Writer) int {
	fset := newFlagSet("bench", stderr)
	cases := fset.Int("cases", 10000, "执法决定数量")
	agencies := fset.Int("agencies", 60, "执法主体数量")
	dir := fset.String("dir", "", "工作目录（默认临时目录，结束后删除）")
	hugo := fset.String("hugo", "", "同时用此 hugo 程序渲染同一批案件文件（简单模板）作对照，如 /usr/bin/hugo")
	if err := fset.Parse(args); err != nil {
		return 2
	}
	work := *dir
	if work == "" {
		tmp, err := os.MkdirTemp("", "zfgs-bench-")
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		defer os.RemoveAll(tmp)
		work = tmp
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	src := filepath.Join(work, "site")
	start := time.Now()
	if err := gendemo.Generate(src, gendemo.Options{Cases: *cases, Agencies: *agencies, Seed: 1}); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	fmt.Fprintf(stdout, "generated %d decisions, %d agencies in %v\n", *cases, *agencies, time.Since(start).Round(time.Millisecond))

	child := func(args ...string) (procUsage, string, error) {
		return measure(exec.Command(self, args...))
	}
	u, out, err := child("check", "--source", src, "--now", "2026-11-24")
	if err != nil {
		fmt.Fprintf(stderr, "check failed: %v\n%s", err, tail(out))
		return 1
	}
	fmt.Fprintf(stdout, "check:   %s  %8.0f decisions/s\n", u, float64(*cases)/u.wall.Seconds())

	var hugoWall time.Duration
	if *hugo != "" {
		hsite := filepath.Join(work, "hugo")
		if err := hugoSite(src, hsite); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		u, hout, err := measure(exec.Command(*hugo, "--quiet", "--buildFuture", "--source", hsite, "--destination", filepath.Join(work, "hugo-public")))
		if err != nil {
			fmt.Fprintf(stderr, "hugo failed: %v\n%s", err, tail(hout))
			return 1
		}
		hugoWall = u.wall
		files, bytes := treeSize(filepath.Join(work, "hugo-public"))
		fmt.Fprintf(stdout, "hugo:    %s  %8.0f files/s  output %d files, %.1f MiB (case pages with a plain template only)\n", u, float64(files)/u.wall.Seconds(), files, mib(bytes))
	}

	pub := filepath.Join(work, "public")
	u, out, err = child("build", "--source", src, "--out", pub, "--now", "2026-11-24")
	if err != nil {
		fmt.Fprintf(stderr, "build failed: %v\n%s", err, tail(out))
		return 1
	}
	files, bytes := treeSize(pub)
	fmt.Fprintf(stdout, "build:   %s  %8.0f files/s  output %d files, %.1f MiB\n", u, float64(files)/u.wall.Seconds(), files, mib(bytes))

	// What writing that output costs before any rendering: the floor no
	// generator producing these files on this file system can go under.
	floor := filepath.Join(work, "floor")
	fu, err := fileSystemFloor(pub, floor, floorWriters)
	os.RemoveAll(floor)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	fmt.Fprintf(stdout, "floor:   %s  (the same %d files written with zero bytes by %d writers: no rendering)\n", fu, files, floorWriters)
	if hugoWall > 0 {
		fmt.Fprintf(stdout, "3x hugo would be %.2f s; the floor alone is %.1fx hugo's time/3\n", hugoWall.Seconds()/3, fu.wall.Seconds()/(hugoWall.Seconds()/3))
	}

	// Edit one decision and rebuild: with the default whole-tree swap, then
	// in place (the edit made twice, so each rebuild has one change).
	var one string
	filepath.WalkDir(filepath.Join(src, "content", "agencies"), func(p string, e fs.DirEntry, err error) error {
		if one == "" && err == nil && strings.HasSuffix(p, ".md") {
			one = p
		}
		return nil
	})
	for _, mode := range []string{"", "--in-place"} {
		b, _ := os.ReadFile(one)
		os.WriteFile(one, []byte(strings.Replace(string(b), "## 违法事实", "## 违法事实（更正）", 1)), 0o644)
		args := []string{"build", "--source", src, "--out", pub, "--now", "2026-11-24"}
		if mode != "" {
			args = append(args, mode)
		}
		u, out, err = child(args...)
		if err != nil {
			fmt.Fprintf(stderr, "rebuild failed: %v\n%s", err, tail(out))
			return 1
		}
		what := "whole-tree swap"
		if mode != "" {
			what = "in place"
		}
		fmt.Fprintf(stdout, "rebuild after editing one decision (%s): %s  (%s)\n", what, u, strings.TrimSpace(lastLine(out)))
	}

	// Add one decision (a copy of that one under a new id and 文号) and
	// rebuild in place: the costliest small change, since every later
	// search document is renumbered and the year's list pages shift.
	if b, _ := os.ReadFile(one); strings.Contains(string(b), "〔") {
		added := filepath.Join(filepath.Dir(one), "BENCH-ADDED-1.md")
		os.WriteFile(added, []byte(strings.Replace(string(b), "〔", "〔增", 1)), 0o644)
		u, out, err = child("build", "--source", src, "--out", pub, "--now", "2026-11-24", "--in-place")
		if err != nil {
			fmt.Fprintf(stderr, "rebuild failed: %v\n%s", err, tail(out))
			return 1
		}
		fmt.Fprintf(stdout, "rebuild after adding one decision (in place):  %s  (%s)\n", u, strings.TrimSpace(lastLine(out)))
	}

	// A CI runner that keeps nothing: public/ and .cache/ come back from
	// the CI cache (the same bytes and mtimes under new inodes), the
	// sources from a fresh checkout (new mtimes). Nothing changed, so the
	// build should render nothing again.
	for _, d := range []struct {
		dir       string
		keepTimes bool
	}{{pub, true}, {filepath.Join(src, ".cache"), true}, {filepath.Join(src, "content"), false}} {
		if err := treecopy.Replace(d.dir, d.keepTimes, nil); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
	}
	u, out, err = child("build", "--source", src, "--out", pub, "--now", "2026-11-24")
	if err != nil {
		fmt.Fprintf(stderr, "rebuild failed: %v\n%s", err, tail(out))
		return 1
	}
	fmt.Fprintf(stdout, "rebuild after a CI cache restore (new inodes, fresh checkout): %s  (%s)\n", u, strings.TrimSpace(firstLineWith(out, "案件缓存")))
	return 0
}

// firstLineWith is the first line of s that contains sub ("" if none).
func firstLineWith(s, sub string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			return l
		}
	}
	return ""
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }

// floorWriters is how many goroutines write the floor's files: as many as
// the build writes with at most, on two cores (file creation is kernel
// time, so more writers only queue).
const floorWriters = 4

// fileSystemFloor copies the shape of tree into dst: every directory, and
// every regular file at its size, filled with zeros, the files written by
// writers goroutines. It returns the wall and CPU time that took (the
// process's own usage, which nothing else adds to meanwhile; peak RSS is
// not measured). That is what the kernel charges for creating the
// output, whatever renders it.
func fileSystemFloor(tree, dst string, writers int) (procUsage, error) {
	type file struct {
		rel  string
		size int64
	}
	var dirs []string
	var files []file
	err := filepath.WalkDir(tree, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(tree, p)
		switch {
		case e.IsDir():
			dirs = append(dirs, rel)
		case e.Type().IsRegular():
			fi, err := e.Info()
			if err != nil {
				return err
			}
			files = append(files, file{rel, fi.Size()})
		}
		return nil
	})
	if err != nil {
		return procUsage{}, err
	}
	var before, after syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	t0 := time.Now()
	for _, d := range dirs { // parents first: WalkDir's order
		if err := os.Mkdir(filepath.Join(dst, d), 0o755); err != nil {
			return procUsage{}, err
		}
	}
	errs := make(chan error, writers)
	for w := range writers {
		go func() {
			zeros := make([]byte, 1<<16)
			var first error
			for i := w; i < len(files); i += writers {
				f, err := os.OpenFile(filepath.Join(dst, files[i].rel), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
				if err == nil {
					for n := files[i].size; n > 0 && err == nil; n -= int64(len(zeros)) {
						_, err = f.Write(zeros[:min(n, int64(len(zeros)))])
					}
					if cerr := f.Close(); err == nil {
						err = cerr
					}
				}
				if err != nil && first == nil {
					first = err
				}
			}
			errs <- first
		}()
	}
	for range writers {
		if e := <-errs; e != nil && err == nil {
			err = e
		}
	}
	u := procUsage{wall: time.Since(t0)}
	syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	u.user = time.Duration(after.Utime.Nano() - before.Utime.Nano())
	u.sys = time.Duration(after.Stime.Nano() - before.Stime.Nano())
	return u, err
}

func treeSize(dir string) (files int, size int64) {
	filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err == nil && e.Type().IsRegular() {
			if fi, err := e.Info(); err == nil {
				files++
				size += fi.Size()
			}
		}
		return nil
	})
	return
}

func tail(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > 20 {
		lines = lines[len(lines)-20:]
	}
	return strings.Join(lines, "\n") + "\n"
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// hugoSite lays the generated case files out as a Hugo site (hard links
// into content/c/, so each is published at /c/<id>/ as ours is) with a
// plain template: the anchor the scale figures are compared with.
func hugoSite(src, dst string) error {
	cdir := filepath.Join(dst, "content", "c")
	if err := os.MkdirAll(cdir, 0o755); err != nil {
		return err
	}
	err := filepath.WalkDir(filepath.Join(src, "content", "agencies"), func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(p, ".md") || !strings.Contains(p, string(filepath.Separator)+"cases"+string(filepath.Separator)) {
			return err
		}
		return os.Link(p, filepath.Join(cdir, e.Name()))
	})
	if err != nil {
		return err
	}
	files := map[string]string{
		"config.toml": "baseURL = \"https://zfgs.example.gov.cn/\"\nlanguageCode = \"zh-CN\"\ntitle = \"行政执法公示\"\n" +
			"disableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\", \"robotsTXT\"]\n",
		"layouts/_default/baseof.html": "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title></head><body>{{ block \"main\" . }}{{ end }}</body></html>\n",
		"layouts/_default/single.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1><p>{{ .Params.number }}</p><dl><dt>当事人</dt><dd>{{ .Params.party.name }}</dd>" +
			"<dt>决定日期</dt><dd>{{ .Params.decided }}</dd><dt>处罚决定</dt><dd>{{ .Params.decision.text }}</dd></dl>{{ .Content }}{{ end }}\n",
		"layouts/_default/list.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ range first 50 .Pages }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}{{ end }}\n",
	}
	for name, data := range files {
		p := filepath.Join(dst, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			return err
		}
	}
	return nil
}
