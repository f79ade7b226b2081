package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"zfgs/generator/internal/gendemo"
)

// The build benchmarks: a generated city of 2,000 decisions, built cold
// (no cache, empty output), and rebuilt after one edited decision, with a
// whole-tree swap and in place. They report time per decision (cold) or
// per rebuild; `generator bench` gives the same at city scale, with peak
// memory.
//
//	go test ./generator -run XXX -bench Build -benchmem

const benchCases = 2000

func benchSite(b *testing.B) string {
	b.Helper()
	src := filepath.Join(b.TempDir(), "site")
	if err := gendemo.Generate(src, gendemo.Options{Cases: benchCases, Agencies: 20, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	return src
}

func benchBuild(b *testing.B, args ...string) {
	b.Helper()
	var out strings.Builder
	if code := run(append([]string{"build", "--now", "2026-11-24"}, args...), &out, &out); code != 0 {
		b.Fatalf("build: exit %d\n%s", code, out.String())
	}
}

func BenchmarkBuildCold(b *testing.B) {
	src := benchSite(b)
	dir := b.TempDir()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		benchBuild(b, "--source", src, "--out", filepath.Join(dir, fmt.Sprint(i)), "--no-cache")
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*benchCases), "µs/decision")
}

func BenchmarkRebuildOneDecision(b *testing.B) {
	for _, mode := range []string{"swap", "in-place"} {
		b.Run(mode, func(b *testing.B) {
			src := benchSite(b)
			out := filepath.Join(b.TempDir(), "public")
			extra := []string{"--source", src, "--out", out}
			if mode == "in-place" {
				extra = append(extra, "--in-place")
			}
			benchBuild(b, extra...)
			cases, _ := filepath.Glob(filepath.Join(src, "content/agencies/*/cases/*/*.md"))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				data, _ := os.ReadFile(cases[0])
				os.WriteFile(cases[0], []byte(strings.Replace(string(data), "## 违法事实", fmt.Sprintf("## 违法事实（第 %d 次更正）", i), 1)), 0o644)
				b.StartTimer()
				benchBuild(b, extra...)
			}
		})
	}
}
