package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/tools/txtar"
)

// The rule tests are txtar archives under testdata/rules. Each one is laid
// over testdata/base.txtar (a valid site) and checked with the real CLI. The
// expected diagnostics are written on the offending line itself:
//
//	fine = 80000   # ERROR E_FINE_RANGE
//
// (or <!-- ERROR E_PII --> in a Markdown body); a quoted text after the
// code must be part of the message (# ERROR E_PARSE "改为 fine = 5000"),
// for advice that has to be exact. Findings that have
// no line of their own, in the archive's comment as
//
//	want content/agencies/x/cases/2025/bad name.md:1 error[E_ID]
//
// The comment may also say "now 2026-03-01", "strict", "exit 2" and
// "delete <file>" and "symlink <file> <target>". A file whose name ends in ".gbk" is written GBK-encoded
// under the name without the suffix. The test demands exactly the expected
// diagnostics: a missing one and an extra one both fail.

var markerRE = regexp.MustCompile(`(?:#|<!--)\s*(ERROR|WARNING|NOTE)\s+(E_[A-Z_]+)(?:\s+"([^"]+)")?`)
var diagRE = regexp.MustCompile(`^(\S.*?):(\d+):(\d+): (error|warning|note)\[(E_[A-Z_]+)\] (.+)$`)
var summaryRE = regexp.MustCompile(`^\d+ 个错误，\d+ 个警告$`)

type want struct {
	file string
	line int
	sev  string
	code string
	says string // part of the message, when the marker quotes one
}

func (w want) String() string { return fmt.Sprintf("%s:%d %s[%s]", w.file, w.line, w.sev, w.code) }

func TestRules(t *testing.T) {
	base, err := txtar.ParseFile("testdata/base.txtar")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("testdata/rules/*.txtar")
	if len(files) == 0 {
		t.Fatal("no rule tests")
	}
	for _, name := range files {
		t.Run(strings.TrimSuffix(filepath.Base(name), ".txtar"), func(t *testing.T) {
			t.Parallel()
			ar, err := txtar.ParseFile(name)
			if err != nil {
				t.Fatal(err)
			}
			runRuleCase(t, base, ar)
		})
	}
}

// TestBaseIsClean guards the premise of every rule test.
func TestBaseIsClean(t *testing.T) {
	base, err := txtar.ParseFile("testdata/base.txtar")
	if err != nil {
		t.Fatal(err)
	}
	runRuleCase(t, base, &txtar.Archive{})
}

func runRuleCase(t *testing.T, base, ar *txtar.Archive) {
	dir := t.TempDir()
	now, strict, exit := "2025-06-30", false, -1
	var wants []want
	deleted := map[string]bool{}
	links := map[string]string{}
	for _, l := range strings.Split(string(ar.Comment), "\n") {
		f := strings.Fields(l)
		if len(f) == 0 {
			continue
		}
		switch f[0] {
		case "now":
			now = f[1]
		case "strict":
			strict = true
		case "exit":
			exit, _ = strconv.Atoi(f[1])
		case "delete":
			deleted[f[1]] = true
		case "symlink":
			links[f[1]] = f[2]
			deleted[f[1]] = true
		case "want":
			// want FILE:LINE sev[CODE]; FILE may contain spaces.
			rest := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "want"))
			i := strings.LastIndex(rest, " ")
			loc, sc := rest[:i], rest[i+1:]
			j := strings.LastIndex(loc, ":")
			line, _ := strconv.Atoi(loc[j+1:])
			k := strings.Index(sc, "[")
			wants = append(wants, want{loc[:j], line, sc[:k], strings.Trim(sc[k:], "[]"), ""})
		}
	}
	overlay := map[string][]byte{}
	for _, f := range base.Files {
		overlay[f.Name] = f.Data
	}
	for _, f := range ar.Files {
		overlay[f.Name] = f.Data
		if n := strings.TrimSuffix(f.Name, ".gbk"); n != f.Name {
			delete(overlay, n)
		}
	}
	for name, data := range overlay {
		if deleted[name] {
			continue
		}
		for i, l := range strings.Split(string(data), "\n") {
			if m := markerRE.FindStringSubmatch(l); m != nil {
				wants = append(wants, want{strings.TrimSuffix(name, ".gbk"), i + 1, strings.ToLower(m[1]), m[2], m[3]})
			}
		}
		if strings.HasSuffix(name, ".gbk") {
			enc, err := simplifiedchinese.GBK.NewEncoder().Bytes(data)
			if err != nil {
				t.Fatal(err)
			}
			name, data = strings.TrimSuffix(name, ".gbk"), enc
		}
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, target := range links {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
	if exit < 0 {
		exit = 0
		for _, w := range wants {
			if w.sev == "error" {
				exit = 1
			}
		}
	}
	args := []string{"check", "--source", dir, "--now", now}
	if strict {
		args = append(args, "--strict")
	}
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	out := stdout.String()
	if code != exit {
		t.Errorf("exit status %d, want %d\n%s%s", code, exit, out, stderr.String())
	}
	var got []want
	messages := map[string][]string{} // want.String() → its messages
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "    ") { // a note
			continue
		}
		if i == len(lines)-1 {
			if !summaryRE.MatchString(l) {
				t.Errorf("last line %q is not the summary line", l)
			}
			continue
		}
		m := diagRE.FindStringSubmatch(l)
		if m == nil {
			t.Errorf("malformed diagnostic line %q", l)
			continue
		}
		line, _ := strconv.Atoi(m[2])
		w := want{m[1], line, m[4], m[5], ""}
		got = append(got, w)
		messages[w.String()] = append(messages[w.String()], m[6])
	}
	for _, w := range wants {
		if w.says != "" && !slices.ContainsFunc(messages[w.String()], func(m string) bool { return strings.Contains(m, w.says) }) {
			t.Errorf("%s: no message says %q: %q", w, w.says, messages[w.String()])
		}
	}
	gs, ws := strs(got), strs(wants)
	if strings.Join(gs, "\n") != strings.Join(ws, "\n") {
		t.Errorf("diagnostics differ\n got: %s\nwant: %s\n\nfull output:\n%s", strings.Join(gs, "\n      "), strings.Join(ws, "\n      "), out)
	}
}

func strs(ws []want) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.String()
	}
	sort.Strings(out)
	return out
}
