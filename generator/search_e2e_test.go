package main

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"zfgs/generator/internal/browsertest"
)

// TestSearchOnDemoPortal opens /search/?q=… on the built demo in Debian
// Chromium and reads the rendered results: the index is the one build
// wrote, through the page and script build wrote.
func TestSearchOnDemoPortal(t *testing.T) {
	out := buildDemo(t)
	srv := browsertest.Serve(t, out)
	ctx := browsertest.New(t)
	search := func(query string) (status string, links []string) {
		t.Helper()
		var hrefs []string
		err := chromedp.Run(ctx,
			chromedp.Navigate(srv.URL+"/search/?"+query),
			chromedp.Poll(`(() => { const s = document.querySelector("#search-status").textContent; return s !== "" && !s.startsWith("正在"); })()`, nil, chromedp.WithPollingTimeout(20*time.Second)),
			chromedp.Text("#search-status", &status, chromedp.ByQuery),
			chromedp.Evaluate(`Array.from(document.querySelectorAll("#search-results .search-hit a")).map(a => a.getAttribute("href"))`, &hrefs),
		)
		if err != nil {
			t.Fatalf("search %q: %v", query, err)
		}
		return status, hrefs
	}
	has := func(links []string, want string) bool {
		for _, l := range links {
			if strings.HasSuffix(l, want) {
				return true
			}
		}
		return false
	}
	q := func(s string) string { return "q=" + url.QueryEscape(s) }

	// A company by a middle substring of its name.
	if st, links := search(q("好邻居便利")); !has(links, "/c/JM-SCJG-2025-0003/") {
		t.Errorf("middle substring: %s %v", st, links)
	}
	// A 文号 fragment, typed with ASCII brackets.
	if st, links := search(q("[2025]3号")); !has(links, "/c/JM-SCJG-2025-0003/") {
		t.Errorf("文号 fragment: %s %v", st, links)
	}
	// Traditional characters find Simplified text (便利店 → 便利店, 經營 → 经营).
	if st, links := search(q("好鄰居便利店經營")); !has(links, "/c/JM-SCJG-2025-0003/") {
		t.Errorf("traditional: %s %v", st, links)
	}
	// A filter: the same query limited to another agency finds nothing of jm-scjg.
	if _, links := search(q("食品") + "&agency=jm-jtys"); has(links, "/c/JM-SCJG-2025-0003/") {
		t.Errorf("agency filter let another agency's case through: %v", links)
	}
	// A revoked case is not in the index.
	if st, links := search(q("香满楼酒家")); has(links, "/c/JM-SCJG-2025-0024/") {
		t.Errorf("revoked case found: %s %v", st, links)
	}
	// A natural person is not findable by real name, but by the masked one.
	if st, links := search(q("张伟明")); len(links) != 0 {
		t.Errorf("natural person found by real name: %s %v", st, links)
	}
	if st, links := search(q("张某某")); !has(links, "/c/PJ-THZ-2025-0004/") {
		t.Errorf("masked name not found: %s %v", st, links)
	}
}
