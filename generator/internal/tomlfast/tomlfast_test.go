package tomlfast

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// frontMatter is the TOML between the +++ lines of a content file (the
// whole file for .toml).
func frontMatter(b []byte) []byte {
	if !bytes.HasPrefix(b, []byte("+++\n")) {
		return b
	}
	rest := b[4:]
	if i := bytes.Index(rest, []byte("\n+++")); i >= 0 {
		return rest[:i+1]
	}
	return rest
}

// seeds: every TOML front matter of the demo content and the rule cases.
func seeds(t testing.TB) [][]byte {
	var out [][]byte
	for _, root := range []string{"../../../content", "../../testdata"} {
		filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return nil
			}
			if b, err := os.ReadFile(p); err == nil && (strings.HasSuffix(p, ".md") || strings.HasSuffix(p, ".toml")) {
				out = append(out, frontMatter(b))
			}
			return nil
		})
	}
	if len(out) < 50 {
		t.Fatalf("only %d seed files", len(out))
	}
	return out
}

func burntSushi(src []byte) (map[string]any, error) {
	var m map[string]any
	_, err := toml.NewDecoder(bytes.NewReader(src)).Decode(&m)
	return m, err
}

// check: where the fast path decodes, BurntSushi agrees exactly.
func check(t *testing.T, src []byte) bool {
	t.Helper()
	fast, ok := Decode(src)
	if !ok {
		return false
	}
	want, err := burntSushi(src)
	if err != nil {
		t.Fatalf("fast path accepted what BurntSushi rejects (%v):\n%s", err, src)
	}
	if !reflect.DeepEqual(fast, want) {
		t.Fatalf("fast path decoded differently:\n%s\nfast: %#v\nwant: %#v", src, fast, want)
	}
	return true
}

// The demo's case files are all on the fast path, and decode as BurntSushi
// does; so do the hand-written cases below, and each unsupported or
// invalid construct is declined rather than guessed.
func TestMatchesBurntSushi(t *testing.T) {
	fastCases := 0
	for _, s := range seeds(t) {
		if check(t, s) && bytes.Contains(s, []byte("[[timeline]]")) {
			fastCases++
		}
	}
	if fastCases < 40 {
		t.Errorf("only %d demo case files took the fast path", fastCases)
	}
	accepted := []string{
		"a = 1\nb = -2\nc = 0\nd = 1.25\ne = -0.5\nf = true\ng = false\n",
		"s = \"中文\\t\\\"引号\\\"\\n\\u00e9\\U0001F600\"\n",
		"d = 2024-02-29 # leap\n[t]\nx = [1, \"a\", 2025-01-02, ]\n[[arr]]\nk = 1\n[[arr]]\nk = 2\n",
		"x = []\r\ny = [ ]\r\n",
		"  # comment only\n\n[ spaced ]\nk=1",
	}
	for _, s := range accepted {
		if !check(t, []byte(s)) {
			t.Errorf("declined:\n%s", s)
		}
	}
	declined := []string{
		"a = 1\na = 2\n",               // duplicate
		"[t]\n[t]\n",                   // table twice
		"t = 1\n[t]\n",                 // key then table
		"d = 2025-02-30\n",             // impossible date
		"d = 2025-01-02T10:00:00\n",    // date-time
		"n = 1_000\n",                  // underscore
		"n = 1e5\n",                    // exponent
		"n = 0x1F\n",                   // hex
		"n = 01\n",                     // leading zero
		"s = 'literal'\n",              // literal string
		"s = \"\"\"multi\"\"\"\n",      // multi-line string
		"s = \"bad \\q escape\"\n",     // unknown escape
		"s = \"unterminated\n",         //
		"a.b = 1\n",                    // dotted key
		"\"quoted\" = 1\n",             // quoted key
		"t = {a = 1}\n",                // inline table
		"x = [[1], [2]]\n",             // nested array
		"x = [\n1,\n2]\n",              // multi-line array
		"[a.b]\n",                      // dotted header
		"a = 1 b = 2\n",                // two on a line
		"a = \"x\\uD800\"\n",           // surrogate
		"a = \"ctl\x01\"\n",            // control character
		"a = 1\r",                      // lone CR
		"\xff = 1\n",                   // not UTF-8
		"n = 9223372036854775808\n",    // overflow
		"a = tru\n",                    //
		"a = true1\n",                  //
		"[[t]]\n[t]\n",                 // array then table
		"# ctl \x7f in comment\na = 1", //
	}
	for _, s := range declined {
		if _, ok := Decode([]byte(s)); ok {
			t.Errorf("accepted:\n%q", s)
		}
	}
}

// FuzzMatchesBurntSushi: any input the fast path decodes, BurntSushi
// decodes to the same value.
func FuzzMatchesBurntSushi(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src []byte) { check(t, src) })
}

func BenchmarkDecode(b *testing.B) {
	var cases [][]byte
	for _, s := range seeds(b) {
		if bytes.Contains(s, []byte("[[timeline]]")) {
			cases = append(cases, s)
		}
	}
	b.Run("tomlfast", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			Decode(cases[i%len(cases)])
		}
	})
	b.Run("BurntSushi", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			burntSushi(cases[i%len(cases)])
		}
	})
}
