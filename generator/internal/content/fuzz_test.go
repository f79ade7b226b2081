package content

import (
	"bytes"
	"strings"
	"testing"
	"testing/fstest"

	"zfgs/generator/internal/diag"
	"zfgs/generator/internal/model"
)

// The loaders take untrusted input from agencies: whatever the bytes, they
// must report diagnostics, never panic, and every diagnostic must point
// inside the file.

func FuzzSplitFrontMatter(f *testing.F) {
	for _, s := range []string{"+++\na = 1\n+++\nbody", "+++\r\n+++\r\n", "+++", "no front matter", "+++\na=1", "\xef\xbb\xbf+++\n+++\n", "+++ \n+++\t\nx"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		front, body, fmLine, bodyLine, ok := splitFrontMatter(data)
		if !ok {
			return
		}
		if fmLine != 1 || bodyLine < 3 {
			t.Fatalf("lines %d %d", fmLine, bodyLine)
		}
		// The body's first line is bodyLine: count the lines before it.
		prefix := data[:len(data)-len(body)]
		if n := bytes.Count(prefix, []byte("\n")) + 1; len(body) > 0 && n != bodyLine {
			t.Fatalf("bodyLine %d, counted %d", bodyLine, n)
		}
		if !bytes.Contains(data, front) {
			t.Fatal("front not in data")
		}
	})
}

func checkPositions(t *testing.T, diags *diag.List, files map[string][]byte) {
	t.Helper()
	for _, d := range diags.Items() {
		data, ok := files[d.Pos.File]
		if !ok {
			continue // directory-level finding
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		if d.Pos.Line < 1 || d.Pos.Line > lines || d.Pos.Col < 1 {
			t.Fatalf("%s points outside the file (%d lines)", d, lines)
		}
	}
}

func FuzzParseCase(f *testing.F) {
	seeds := []string{
		"+++\nnumber = \"测〔2025〕1号\"\ncategory = \"行政处罚\"\nitem = \"X-1\"\ndecided = 2025-03-02\npublished = 2025-03-06\nofficers = [\"1\", \"2\"]\n[party]\nkind = \"自然人\"\nname = \"张三\"\n[discretion]\nbenchmark = \"B\"\ntier = \"一般\"\n[decision]\nkinds = [\"罚款\"]\nfine = 8000\nbase_amount = 1.5\n[[timeline]]\nstep = \"立案\"\ndate = 2025-01-10\n+++\n正文 13812345678\n",
		"+++\nfine = \"abc\"\n[decision]\nfine = -1\nkinds = [1, 2]\n+++\n",
		"+++\n[party]\nname = 5\n+++",
		"+++\n[[party]]\nname = \"x\"\n+++",
		"+++\n\"中文\" = 1\ntimeline = 3\n+++\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		diags := diag.NewList(false)
		ref := model.CaseRef{ID: "X-1", Agency: "a", Year: 2025, File: "content/agencies/a/cases/2025/X-1.md"}
		ParseCase(ref, data, diags)
		checkPositions(t, diags, map[string][]byte{ref.File: data})
	})
}

// FuzzLoadSite decodes each list file kind from the same fuzzed bytes.
func FuzzLoadSite(f *testing.F) {
	seeds := []string{
		"name = \"局\"\nlevel = \"市\"\n[[officer]]\nname = \"李\"\ncert_no = \"1\"\nvalid_from = 2020-01-01\n",
		"[[item]]\ncode = \"A\"\nname = \"n\"\ntype = \"行政处罚\"\nbasis = \"b\"\nlevel = [\"市\"]\n[[claim]]\ncode = \"B\"\n",
		"[[benchmark]]\nid = \"B\"\nitem = \"A\"\n[[benchmark.tier]]\nlevel = \"一般\"\npenalty = [\"x\"]\nfine_min = 1\nfine_max = 0.5\nmultiple_min = 2\n",
		"[conditions]\n\"不予处罚\" = \"x\"\n[[entry]]\nid = \"L\"\nlist = \"不予处罚\"\nviolation = \"v\"\nobservation_days = 3\n",
		"year = 2025\npublished = 2025-01-01\n[[task]]\nid = \"T\"\nmonths = [13, 1]\nwindow_from = 2025-03-01\n",
		"year = 2025\npublished = 2026-01-01\n[[table]]\ntitle = \"t\"\ntotal = \"合计\"\n[table.values]\n\"a\" = 1\n\"合计\" = 2\n",
		"holidays = [2025-01-01, \"x\"]\nworkdays = 3\nyears = [2025]\n",
		"title = \"t\"\nbase_url = \"ftp://x\"\n[rules]\nquiet_days = [0, 40]\nstats_due = \"13-45\"\nqr_ecc = \"Z\"\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		names := []string{ConfigFile, CalendarFile, StatsFile,
			"content/agencies/aa/agency.toml", "content/agencies/aa/catalogue.toml",
			"content/agencies/aa/benchmarks.toml", "content/agencies/aa/leniency.toml",
			"content/agencies/aa/plans/2025.toml", "content/agencies/aa/stats/2025.toml", IndexFile}
		fsys := fstest.MapFS{}
		files := map[string][]byte{}
		for _, n := range names {
			fsys[n] = &fstest.MapFile{Data: data}
			files[n] = data
		}
		diags := diag.NewList(false)
		s := LoadSite(fsys, diags)
		if s == nil {
			t.Fatal("nil site")
		}
		checkPositions(t, diags, files)
		for _, d := range diags.Items() {
			if !strings.HasPrefix(string(d.Code), "E_") {
				t.Fatalf("bad code %q", d.Code)
			}
		}
	})
}
