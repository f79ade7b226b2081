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
)

// cmdBench reproduces the scale figures: it generates an N-decision city,
// runs a cold check and build in child processes (so peak RSS is the
// build's alone), edits one decision, rebuilds, and prints pages/s, peak
// RSS, output size and the one-decision rebuild time.
func cmdBench(args []string, stdout, stderr io.Writer) int {
	fset := newFlagSet("bench", stderr)
	cases := fset.Int("cases", 10000, "执法决定数量")
	agencies := fset.Int("agencies", 60, "执法主体数量")
	dir := fset.String("dir", "", "工作目录（默认临时目录，结束后删除）")
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

	child := func(args ...string) (time.Duration, int64, string, error) {
		cmd := exec.Command(self, args...)
		var out strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &out
		t0 := time.Now()
		err := cmd.Run()
		d := time.Since(t0)
		var rss int64
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			rss = ru.Maxrss * 1024
		}
		return d, rss, out.String(), err
	}
	d, rss, out, err := child("check", "--source", src, "--now", "2026-11-24")
	if err != nil {
		fmt.Fprintf(stderr, "check failed: %v\n%s", err, tail(out))
		return 1
	}
	fmt.Fprintf(stdout, "check:   %8.2f s  peak RSS %6.0f MiB  %8.0f decisions/s\n", d.Seconds(), mib(rss), float64(*cases)/d.Seconds())

	pub := filepath.Join(work, "public")
	d, rss, out, err = child("build", "--source", src, "--out", pub, "--now", "2026-11-24")
	if err != nil {
		fmt.Fprintf(stderr, "build failed: %v\n%s", err, tail(out))
		return 1
	}
	files, bytes := treeSize(pub)
	fmt.Fprintf(stdout, "build:   %8.2f s  peak RSS %6.0f MiB  %8.0f files/s  output %d files, %.1f MiB\n", d.Seconds(), mib(rss), float64(files)/d.Seconds(), files, mib(bytes))

	// Edit one decision and rebuild.
	var one string
	filepath.WalkDir(filepath.Join(src, "content", "agencies"), func(p string, e fs.DirEntry, err error) error {
		if one == "" && err == nil && strings.HasSuffix(p, ".md") {
			one = p
		}
		return nil
	})
	b, _ := os.ReadFile(one)
	os.WriteFile(one, []byte(strings.Replace(string(b), "## 违法事实", "## 违法事实（更正）", 1)), 0o644)
	d, rss, out, err = child("build", "--source", src, "--out", pub, "--now", "2026-11-24")
	if err != nil {
		fmt.Fprintf(stderr, "rebuild failed: %v\n%s", err, tail(out))
		return 1
	}
	fmt.Fprintf(stdout, "rebuild after editing one decision: %.2f s  peak RSS %.0f MiB  (%s)\n", d.Seconds(), mib(rss), strings.TrimSpace(lastLine(out)))
	return 0
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }

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
