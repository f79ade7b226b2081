package urllock

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"zfgs/generator/internal/diag"
)

func read(data []byte) ([]Entry, *diag.List) {
	diags := diag.NewList(false)
	return Read(fstest.MapFS{File: &fstest.MapFile{Data: data}}, diags), diags
}

func ids(es []Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.CaseID)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// A line longer than any scanner buffer does not hide the entries after it
// (they would be lost from the record at the next build).
func TestReadLongLine(t *testing.T) {
	es, diags := read([]byte("/c/A-1/\n# " + strings.Repeat("x", 2<<20) + "\n/c/B-2/\n"))
	if got := ids(es); !slices.Equal(got, []string{"A-1", "B-2"}) || len(diags.Items()) != 0 {
		t.Errorf("ids %v, diagnostics %v", got, diags.Items())
	}
}

func TestReadWrite(t *testing.T) {
	es, diags := read([]byte("# c\n/c/A-1/\n\n/c/B-2/ # note\n/x/\n/c/a/b/\n"))
	if got := ids(es); !slices.Equal(got, []string{"A-1", "B-2"}) {
		t.Errorf("ids %v", got)
	}
	if n := len(diags.Items()); n != 2 {
		t.Errorf("%d diagnostics, want 2: %v", n, diags.Items())
	}
	dir := t.TempDir()
	if err := Write(dir, es, []string{"C-3", "A-1"}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, File))
	if !bytes.HasSuffix(data, []byte("\n/c/A-1/\n/c/B-2/\n/c/C-3/\n")) {
		t.Errorf("written %q", data)
	}
}

// FuzzRead: the lock file is committed by hand too. Whatever it holds, Read
// reports diagnostics inside the file and never panics; every entry is a
// non-empty id without "/", so no entry can name a path outside /c/; and
// writing the entries back and reading them again gives the same ids.
func FuzzRead(f *testing.F) {
	for _, s := range []string{
		header + "/c/JM-SCJG-2025-0001/\n/c/JM-SCJG-2025-0002/\n",
		"/c/../../etc/passwd/\n/c//\n/c/a b/ # x\n\r\n/c/x/\r\n", "/c/" + strings.Repeat("a", 70000) + "/\n",
		"#\n # \n/c/#/\n/c/x #/", "\xef\xbb\xbf/c/A/\n", "",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		es, diags := read(data)
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, d := range diags.Items() {
			if d.Pos.File != File || d.Pos.Line < 0 || d.Pos.Line > lines {
				t.Fatalf("diagnostic outside the file: %v", d)
			}
		}
		for _, e := range es {
			if e.CaseID == "" || strings.Contains(e.CaseID, "/") || e.Line < 1 || e.Line > lines {
				t.Fatalf("bad entry %+v", e)
			}
		}
		again, diags2 := read(encode(es, nil))
		if !slices.Equal(ids(again), ids(es)) || len(diags2.Items()) != 0 {
			t.Fatalf("round trip: %v → %v (%v)", ids(es), ids(again), diags2.Items())
		}
	})
}
