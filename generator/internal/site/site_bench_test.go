package site

import (
	"os"
	"testing"

	"zfgs/generator/internal/gendemo"
	"zfgs/generator/internal/model"
)

// BenchmarkCheck validates a generated 10,000-decision site (60 agencies):
// the whole `generator check` minus printing. Report ns and bytes per
// decision by dividing by 10,000.
func BenchmarkCheck(b *testing.B) {
	dir := b.TempDir()
	const n = 10000
	if err := gendemo.Generate(dir, gendemo.Options{Cases: n, Agencies: 60, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	fsys := os.DirFS(dir)
	now := model.DateOf(2026, 11, 24)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res := Run(fsys, Options{Now: now}, nil)
		if res.Diags.HasErrors() {
			res.Diags.Print(os.Stderr)
			b.Fatal("generated site has errors")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/decision")
}
