package main

import (
	"bytes"
	"compress/flate"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"zfgs/generator/internal/model"
	"zfgs/generator/internal/pii"
	"zfgs/generator/internal/safefs"
	"zfgs/generator/internal/search"
	"zfgs/generator/internal/site"
)

// TestPrivacyOfDemo builds the demo city and reads back every output file
// (HTML, CSV, JSON, XML, SVG, the search index, everything that is text):
//
//   - no resident ID, mobile or bank card number anywhere (pii.Find);
//   - no natural person's full name anywhere, while the masked forms are
//     there (so the scan does look at the right files);
//   - a minor's case leaves no trace: its id, number and party name are in
//     no file and no file name (no page, QR code, list, sitemap, feed, data
//     or search entry), and not in urls.lock;
//   - the search index (inflated, and queried for each of those strings
//     as the search page would) holds none of them.
func TestPrivacyOfDemo(t *testing.T) {
	src := filepath.Join(t.TempDir(), "site")
	copySite(t, "..", src)
	out := filepath.Join(t.TempDir(), "public")
	var stdout, stderr strings.Builder
	if code := run([]string{"build", "--source", src, "--out", out, "--now", "2026-11-24"}, &stdout, &stderr); code != 0 {
		t.Fatalf("build: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}

	// What the content says about its parties.
	var mu sync.Mutex
	names := map[string]string{} // full name → case id, natural persons
	codes := map[string]string{} // natural persons' credit codes → case id
	var minors []*model.Case
	res := site.Run(safefs.New(src), site.Options{Now: model.DateOf(2026, 11, 24)}, func(c *model.Case, _ model.CaseRef) []byte {
		mu.Lock()
		defer mu.Unlock()
		if c.Party.Kind == model.PartyNatural && strings.TrimSpace(c.Party.Name) != "" {
			names[strings.TrimSpace(c.Party.Name)] = c.ID
			if cc := strings.TrimSpace(c.Party.CreditCode); cc != "" {
				codes[cc] = c.ID
			}
		}
		if c.Party.Minor {
			minors = append(minors, c)
		}
		return nil
	})
	if res.Diags.HasErrors() {
		t.Fatal("the demo has content errors")
	}
	if len(names) == 0 || len(minors) == 0 {
		t.Fatalf("the demo should have natural persons (%d) and a minor's case (%d)", len(names), len(minors))
	}
	forbidden := map[string]string{} // string → why
	for n, id := range names {
		forbidden[n] = "natural person's full name (" + id + ")"
	}
	for cc, id := range codes {
		forbidden[cc] = "natural person's credit code (" + id + ")"
	}
	for _, c := range minors {
		forbidden[c.ID] = "minor's case id"
		forbidden[c.Number] = "minor's case number"
		forbidden[c.Party.Name] = "minor's name (" + c.ID + ")"
	}

	files, bytesRead, binary, indexFiles := 0, 0, 0, 0
	masked := map[string]bool{}
	maskedInIndex := false
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		for s, why := range forbidden {
			if strings.Contains(rel, s) {
				t.Errorf("file name %s contains the %s", rel, why)
			}
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files++
		bytesRead += len(data)
		if strings.HasPrefix(rel, "search"+string(filepath.Separator)) && strings.HasSuffix(rel, ".bin") {
			// The search index is raw DEFLATE of tokens and display
			// records: scan what it inflates to.
			data, err = io.ReadAll(flate.NewReader(bytes.NewReader(data)))
			if err != nil {
				t.Errorf("%s: %v", rel, err)
			}
			indexFiles++
		} else if !utf8.Valid(data) {
			binary++ // PNG QR codes: pixels, no text
			if !strings.HasSuffix(rel, ".png") {
				t.Errorf("%s is not UTF-8 text", rel)
			}
			return nil
		}
		text := string(data)
		for _, m := range pii.Find(text) {
			t.Errorf("%s: %s %q", rel, m.Kind, text[max(0, m.Start-30):min(len(text), m.End+30)])
		}
		for s, why := range forbidden {
			if i := strings.Index(text, s); i >= 0 {
				t.Errorf("%s contains the %s %q: …%s…", rel, why, s, text[max(0, i-60):min(len(text), i+len(s)+60)])
			}
		}
		for n := range names {
			if strings.Contains(text, pii.MaskName(n)) {
				masked[n] = true
				if strings.HasSuffix(rel, ".bin") {
					maskedInIndex = true
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for n, id := range names {
		if !masked[n] && !isMinor(minors, id) {
			t.Errorf("the masked name %s of case %s appears nowhere: is the scan reading the output?", pii.MaskName(n), id)
		}
	}
	if indexFiles > 0 && !maskedInIndex {
		t.Error("no masked name found in the inflated search index: is the scan reading it?")
	}
	// And ask the search index itself, as the search page would.
	queries := 0
	if _, err := os.Stat(filepath.Join(out, "search", "index.json")); err == nil {
		ix, err := search.Open(func(rel string) ([]byte, error) { return os.ReadFile(filepath.Join(out, filepath.FromSlash(rel))) })
		if err != nil {
			t.Fatal(err)
		}
		minorURL := map[string]string{}
		for _, c := range minors {
			minorURL["/c/"+c.ID+"/"] = c.ID
		}
		for s, why := range forbidden {
			res, err := ix.Search(search.Query{Q: s})
			if err != nil {
				t.Fatalf("search %q: %v", s, err)
			}
			queries++
			for _, h := range res.Hits {
				if h.Tier == 0 || strings.Contains(h.Title+h.Subtitle, s) {
					t.Errorf("searching the %s %q finds %s %q", why, s, h.URL, h.Title)
				}
				if id, ok := minorURL[h.URL]; ok {
					t.Errorf("searching %q finds the minor's case %s", s, id)
				}
			}
		}
	} else {
		t.Log("no search index in this build")
	}
	lock, err := os.ReadFile(filepath.Join(src, "urls.lock"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range minors {
		if bytes.Contains(lock, []byte(c.ID)) {
			t.Errorf("urls.lock records the minor's case %s", c.ID)
		}
	}
	t.Logf("%d files (%.1f MB; %d search index files inflated, %d PNG) scanned: 0 ID/mobile/card numbers; %d natural persons' names masked, %d of their credit codes absent; %d minors' cases absent; %d searches for them found nothing",
		files, float64(bytesRead)/(1<<20), indexFiles, binary, len(names), len(codes), len(minors), queries)
}

func isMinor(minors []*model.Case, id string) bool {
	for _, c := range minors {
		if c.ID == id {
			return true
		}
	}
	return false
}
