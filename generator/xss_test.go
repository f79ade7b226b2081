package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"golang.org/x/tools/txtar"

	"zfgs/generator/internal/browsertest"
	"zfgs/generator/internal/htmlcheck"
)

// TestXSS builds a site in which every text field an agency writes carries
// payloads from testdata/xss/payloads.txt (site title and footer, intro,
// agency, officers, supervision, catalogue, benchmarks and tiers, the four
// lists, plans, statistics titles and labels, case numbers, titles,
// parties, decisions, timelines, reasons, Markdown bodies), then:
//
//  1. statically, every HTML, SVG and XML file has no script but the site's
//     bundle, no event handler, no inline style, no javascript:/data: URL
//     (htmlcheck); every JSON, CSV and XML file still parses; no CSV cell
//     would be run as a spreadsheet formula;
//  2. in Chromium, with the page's CSP switched off (so escaping alone must
//     hold), it opens every HTML, SVG and XML file, the 404 page and the
//     search page with each payload as ?q=, and proves that nothing ran: no
//     dialog opened (alert/confirm/prompt), window.__xss is unset, nothing
//     requested /xss-hit, and the DOM holds no handler, script, frame or
//     script URL;
//  3. with the CSP on, an inline <script> and an inline handler injected
//     into a copy of a page do not run (and do run once CSP is bypassed, so
//     the probe is sound).
//
// Each occurrence of a payload is prefixed with a marker ⓧNNN.M, so the
// test counts which payloads each page shows and demands that every payload
// is shown on some page.
func TestXSS(t *testing.T) {
	payloads := readPayloads(t)
	if len(payloads) < 100 {
		t.Fatalf("%d payloads, want at least 100", len(payloads))
	}
	dir, slots := writeXSSSite(t, payloads)
	out := filepath.Join(t.TempDir(), "public")
	var stdout, stderr strings.Builder
	if code := run([]string{"build", "--source", dir, "--out", out, "--now", "2025-06-30"}, &stdout, &stderr); code != 0 {
		t.Fatalf("build: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	t.Logf("%d payloads in %d fields; %s", len(payloads), slots, lastLine(stdout.String()))

	pages := staticChecks(t, out)

	// Which payloads each page shows.
	marker := regexp.MustCompile(`ⓧ(\d{3})\.`)
	shown := map[int]bool{}
	occurrences := 0
	for _, p := range pages {
		data, _ := os.ReadFile(filepath.Join(out, filepath.FromSlash(strings.TrimPrefix(p.file, "/"))))
		seen := map[int]bool{}
		for _, m := range marker.FindAllSubmatch(data, -1) {
			n, _ := strconv.Atoi(string(m[1]))
			seen[n] = true
			shown[n] = true
		}
		occurrences += len(seen)
	}
	for i, p := range payloads {
		if !shown[i] {
			t.Errorf("payload %03d %q is shown on no page", i, p)
		}
	}
	for _, want := range []string{"/", "/agencies/", "/agencies/cs-scjg/", "/catalogue/", "/agencies/cs-scjg/catalogue/",
		"/benchmarks/", "/agencies/cs-scjg/benchmarks/", "/leniency/", "/leniency/buyu-chufa/", "/plans/", "/plans/2025/",
		"/stats/", "/stats/2024/", "/agencies/cs-scjg/stats/2024/", "/cases/", "/cases/2025/", "/c/CS-2025-1000/",
		"/c/" + xssTombstone + "/", "/officers/44070010001/", "/timeliness/", "/data/", "/404.html"} {
		if !hasPage(pages, want) {
			t.Errorf("page %s not built", want)
		}
	}

	if os.Getenv("ZFGS_XSS_STATIC_ONLY") == "1" {
		t.Logf("%d pages checked statically; %d (payload, page) pairs", len(pages), occurrences)
		return
	}
	srv := browsertest.Serve(t, out)
	ctx := browsertest.New(t)
	var dialogs atomic.Int32
	chromedp.ListenTarget(ctx, func(ev any) {
		if e, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			dialogs.Add(1)
			t.Logf("dialog opened: %q", e.Message)
			go chromedp.Run(ctx, page.HandleJavaScriptDialog(false))
		}
	})

	cspProbe(t, ctx, srv, out, &dialogs)

	// From here on the CSP is bypassed: escaping alone must hold.
	if err := chromedp.Run(ctx, chromedp.ActionFunc(func(ctx context.Context) error { return page.SetBypassCSP(true).Do(ctx) })); err != nil {
		t.Fatal(err)
	}
	visit := func(u string, wait string) {
		srv.Reset()
		before := dialogs.Load()
		var res string
		err := chromedp.Run(ctx,
			chromedp.Navigate(srv.URL+u),
			chromedp.Sleep(20*time.Millisecond), // timers, autofocus, toggle events
			chromedp.Evaluate(wait, nil, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
			chromedp.Evaluate(domCheckJS, &res),
		)
		if err != nil {
			t.Errorf("%s: %v", u, err)
			return
		}
		var r struct {
			XSS bool
			Bad []string
		}
		json.Unmarshal([]byte(res), &r)
		if r.XSS {
			t.Errorf("%s: window.__xss was set", u)
		}
		for _, b := range r.Bad {
			t.Errorf("%s: DOM holds %s", u, b)
		}
		if n := dialogs.Load() - before; n > 0 {
			t.Errorf("%s: %d dialogs opened", u, n)
		}
		for _, p := range srv.Paths() {
			if strings.Contains(p, "xss-hit") {
				t.Errorf("%s: the page requested %s", u, p)
			}
		}
	}
	start := time.Now()
	for _, p := range pages {
		visit(p.url, "0")
	}
	visit("/no-such-page/", "0")
	visited := len(pages) + 1
	queries, found := 0, 0
	if _, err := os.Stat(filepath.Join(out, "search", "index.html")); err == nil {
		for _, p := range payloads {
			// The results render once the index is fetched: wait for the
			// status line, then for the results' own markup.
			var status string
			visit("/search/?q="+url.QueryEscape(p), searchDoneJS)
			chromedp.Run(ctx, chromedp.Evaluate(`document.getElementById("search-status").textContent`, &status))
			if strings.HasPrefix(status, "找到") {
				found++
			} else if !strings.HasPrefix(status, "没有找到") {
				t.Errorf("search for %q: status %q", p, status)
			}
			queries++
		}
		visited += queries
		if found < len(payloads)/2 {
			t.Errorf("only %d of %d payload searches found results: the results' rendering is hardly tried", found, len(payloads))
		}
	} else {
		t.Log("no search page in this build: ?q= payloads not tried")
	}
	t.Logf("Chromium: %d page loads in %v (%d files, 404, %d search queries of which %d listed results); %d payloads × %d pages: %d (payload, page) pairs shown, 0 ran",
		visited, time.Since(start).Round(time.Second), len(pages), queries, found, len(payloads), len(pages), occurrences+found)
}

// searchDoneJS waits (up to 5 s) until the search page has said what it
// found.
const searchDoneJS = `new Promise(done => {
  const t0 = Date.now();
  (function poll() {
    const s = document.getElementById("search-status");
    const text = s ? s.textContent : "";
    if ((text && text !== "正在搜索…") || Date.now() - t0 > 5000) { setTimeout(() => done(text), 20); return; }
    setTimeout(poll, 20);
  })();
})`

// domCheckJS reports whether a payload ran (window.__xss) and what in the
// DOM could run script.
const domCheckJS = `(() => {
  const bad = [];
  const urlAttrs = ["href", "src", "action", "formaction", "xlink:href", "data", "background", "poster", "srcdoc"];
  // Chromium shows a feed or sitemap with its own XML viewer, which adds a
  // <style> of its own.
  const viewer = /^(text|application)\/(atom\+)?xml$/.test(document.contentType);
  for (const el of document.querySelectorAll("*")) {
    const tag = el.localName;
    if (["iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"].includes(tag) || (tag === "style" && !viewer)) bad.push("<" + tag + ">");
    if (tag === "script" && !/^\/assets\/[^\/]+\.js$/.test(el.getAttribute("src") || "")) bad.push("<script src=" + el.getAttribute("src") + ">");
    if (tag === "meta" && /refresh/i.test(el.getAttribute("http-equiv") || "")) bad.push("<meta http-equiv=refresh>");
    for (const a of el.attributes) {
      const n = a.name.toLowerCase();
      const v = a.value.replace(/[\t\n\r]/g, "").replace(/^[\x00-\x20]+/, "").toLowerCase();
      if (n.startsWith("on")) bad.push("<" + tag + " " + n + "=" + a.value + ">");
      if (n === "style") bad.push("<" + tag + " style=" + a.value + ">");
      if (urlAttrs.includes(n) && /^(javascript|vbscript|data):/.test(v) && !/^data:image\/(png|gif|jpeg|webp)/.test(v))
        bad.push("<" + tag + " " + n + "=" + a.value + ">");
    }
  }
  return JSON.stringify({xss: window.__xss !== undefined, bad: bad});
})()`

// cspProbe injects an inline script and an inline handler into a copy of
// the home page: with the page's CSP they must not run; with the CSP
// bypassed they must (else the probe proves nothing).
func cspProbe(t *testing.T, ctx context.Context, srv *browsertest.Server, out string, dialogs *atomic.Int32) {
	home, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(home, []byte(`http-equiv="Content-Security-Policy"`)) {
		t.Fatal("the home page has no CSP meta")
	}
	inject := `<script>window.__inline=1;alert("inline")</script><img src="/xss-hit-probe.png" onerror="window.__handler=1">`
	probe := bytes.Replace(home, []byte("<body>"), []byte("<body>"+inject), 1)
	if bytes.Equal(probe, home) {
		t.Fatal("no <body> to inject into")
	}
	if err := os.WriteFile(filepath.Join(out, "csp-probe.html"), probe, 0o644); err != nil {
		t.Fatal(err)
	}
	defer os.Remove(filepath.Join(out, "csp-probe.html"))
	check := func(bypass bool) (string, int32) {
		before := dialogs.Load()
		var res string
		err := chromedp.Run(ctx,
			chromedp.ActionFunc(func(ctx context.Context) error { return page.SetBypassCSP(bypass).Do(ctx) }),
			chromedp.Navigate(srv.URL+"/csp-probe.html"),
			chromedp.Sleep(100*time.Millisecond),
			chromedp.Evaluate(`String(window.__inline) + "," + String(window.__handler)`, &res),
		)
		if err != nil {
			t.Fatal(err)
		}
		return res, dialogs.Load() - before
	}
	if got, d := check(false); got != "undefined,undefined" || d != 0 {
		t.Errorf("with the page's CSP, injected inline script ran: %s, %d dialogs", got, d)
	}
	srv.Reset()
	if got, d := check(true); got != "1,1" || d != 1 {
		t.Errorf("with the CSP bypassed the probe should run: %s, %d dialogs", got, d)
	}
	// The sweep's other two detectors see the probe too.
	if !slices.ContainsFunc(srv.Paths(), func(p string) bool { return strings.Contains(p, "xss-hit") }) {
		t.Error("the server log did not see the probe's request")
	}
	var res string
	if err := chromedp.Run(ctx, chromedp.Evaluate(domCheckJS, &res)); err != nil || !strings.Contains(res, "onerror") || !strings.Contains(res, "script src=null") {
		t.Errorf("the DOM check missed the probe: %s %v", res, err)
	}
	t.Log("CSP: an injected inline <script> and onerror handler are blocked by the page's CSP (and run without it)")
}

type builtPage struct{ file, url string }

func hasPage(ps []builtPage, u string) bool {
	for _, p := range ps {
		if p.url == u {
			return true
		}
	}
	return false
}

// staticChecks checks every output file and returns the pages to open in
// the browser (HTML, SVG, XML).
func staticChecks(t *testing.T, out string) []builtPage {
	t.Helper()
	var pages []builtPage
	own := htmlcheck.Options{Script: func(src string) bool { return regexp.MustCompile(`^/assets/[^/]+\.js$`).MatchString(src) }}
	counts := map[string]int{}
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(p, out))
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		ext := filepath.Ext(p)
		counts[ext]++
		switch ext {
		case ".html", ".svg":
			for _, pr := range htmlcheck.Check(string(data), own) {
				t.Errorf("%s %s: …%s…", rel, pr, excerpt(data, pr.Offset))
			}
		case ".json":
			if !json.Valid(data) {
				t.Errorf("%s is not valid JSON", rel)
			}
		case ".csv":
			recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))).ReadAll()
			if err != nil {
				t.Errorf("%s: %v", rel, err)
			}
			for _, rec := range recs {
				for _, cell := range rec {
					if cell != "" && strings.IndexByte("=+-@\t\r", cell[0]) >= 0 {
						t.Errorf("%s: cell %q would run as a spreadsheet formula", rel, cell)
					}
				}
			}
		}
		if ext == ".xml" || ext == ".svg" {
			dec := xml.NewDecoder(bytes.NewReader(data))
			for {
				if _, err := dec.Token(); err != nil {
					if !errors.Is(err, io.EOF) {
						t.Errorf("%s is not well-formed XML: %v", rel, err)
					}
					break
				}
			}
		}
		switch ext {
		case ".html", ".svg", ".xml":
			u := rel
			if strings.HasSuffix(u, "/index.html") {
				u = strings.TrimSuffix(u, "index.html")
			}
			pages = append(pages, builtPage{file: rel, url: u})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].url < pages[j].url })
	t.Logf("static checks: %v files by extension", counts)
	return pages
}

func excerpt(data []byte, at int) string {
	return string(data[max(0, at-40):min(len(data), at+120)])
}

// readPayloads reads testdata/xss/payloads.txt.
func readPayloads(t *testing.T) []string {
	f, err := os.Open("testdata/xss/payloads.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if q, ok := strings.CutPrefix(l, "q:"); ok {
			s, err := strconv.Unquote(q)
			if err != nil {
				t.Fatalf("payloads.txt:%d: %v", n, err)
			}
			l = s
		}
		out = append(out, l)
	}
	return out
}

// tomlString quotes s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// payloadSource hands out payloads in turn, each occurrence marked.
type payloadSource struct {
	list []string
	next int
	uses []int
	n    int
}

// text is the next payload with its marker, for a text field.
func (p *payloadSource) text() string {
	i := p.next % len(p.list)
	p.next++
	p.uses[i]++
	p.n++
	return fmt.Sprintf("ⓧ%03d.%d %s", i, p.uses[i], p.list[i])
}

// q is text() as a TOML string.
func (p *payloadSource) q() string { return tomlString(p.text()) }

// md is the next k payloads as Markdown: each as a block of its own after
// its marker, so block-level payloads are parsed as blocks.
func (p *payloadSource) md(k int) string {
	var b strings.Builder
	for j := 0; j < k; j++ {
		s := p.text()
		marker, body, _ := strings.Cut(s, " ")
		b.WriteString(marker + "\n\n" + body + "\n\n")
	}
	return b.String()
}

const xssTombstone = "CS-2025-1901"

// writeXSSSite writes testdata/base.txtar with every text field replaced
// by payloads, and returns its folder and the number of fields filled.
func writeXSSSite(t *testing.T, payloads []string) (string, int) {
	p := &payloadSource{list: payloads, uses: make([]int, len(payloads))}
	files := map[string]string{}
	ar, err := txtar.ParseFile("testdata/base.txtar")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range ar.Files {
		files[f.Name] = string(f.Data)
	}
	delete(files, "content/agencies/cs-scjg/cases/2025/CS-2025-0001.md")
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	w("title = %s\nbase_url = \"https://zfgs.example.gov.cn\"\n[footer]\nsponsor = %s\nsite_code = %s\nicp = %s\npolice = %s\n",
		p.q(), p.q(), p.q(), p.q(), p.q())
	files["config.toml"] = b.String()
	b.Reset()

	files["content/_index.md"] = "+++\ntitle = " + p.q() + "\n+++\n" + p.md(3)

	w("name = %s\nshort_name = %s\nlevel = \"市\"\nregion = %s\naddress = %s\nphone = %s\nduties = %s\n",
		p.q(), p.q(), p.q(), p.q(), p.q(), tomlString(p.md(3)))
	w("[supervision]\ncomplaint_phone = %s\ncomplaint_url = %s\nreconsideration = %s\ncourt = %s\n", p.q(), "\"javascript:alert(1)\"", p.q(), p.q())
	for i, cert := range []string{"44070010001", "44070010002", "44070010003"} {
		w("[[officer]]\nname = %s\ncert_no = %q\nfield = %s\nstatus = \"在岗\"\n", p.q(), cert, p.q())
		if i == 0 {
			w("valid_from = 2020-01-01\nvalid_until = 2030-12-31\n")
		}
	}
	files["content/agencies/cs-scjg/agency.toml"] = b.String()
	b.Reset()

	w("name = %s\nlevel = \"县\"\nparent = \"cs-scjg\"\n[[officer]]\nname = %s\ncert_no = \"44070020001\"\n[[officer]]\nname = %s\ncert_no = \"44070020002\"\n",
		p.q(), p.q(), p.q())
	files["content/agencies/cs-xscjg/agency.toml"] = b.String()
	b.Reset()

	for _, it := range []struct{ code, typ, extra string }{
		{"CS-CF-0001", "行政处罚", ""}, {"CS-JC-0001", "行政检查", ""}, {"CS-QZ-0001", "行政强制", ""},
		{"CS-CF-0099", "行政处罚", "status = \"取消\"\nupdated = 2025-03-01\n"},
		{"CS-XK-0001", "行政许可", ""}, {"CS-QR-0001", "行政确认", ""}, {"CS-JL-0001", "行政奖励", ""},
		{`CS-"onmouseover=alert(1)`, "其他", ""}, {"CS-<script>alert(1)<", "其他", ""}, {"CS-javascript:alert(1)", "其他", ""},
	} {
		w("[[item]]\ncode = %s\nname = %s\ntype = %q\nbasis = %s\ndepartment = %s\n%s", tomlString(it.code), p.q(), it.typ, p.q(), p.q(), it.extra)
	}
	files["content/agencies/cs-scjg/catalogue.toml"] = b.String()
	b.Reset()

	w("[[benchmark]]\nid = \"CS-B001\"\nitem = \"CS-CF-0001\"\nviolation = %s\nviolation_basis = %s\npenalty_basis = %s\ngroup = %s\nnotes = %s\n",
		p.q(), p.q(), p.q(), p.q(), tomlString(p.md(2)))
	for _, tier := range []struct{ level, bounds string }{
		{"轻微", "fine_min = 5000\nfine_max = 20000\n"}, {"一般", "fine_min = 20000\nfine_max = 50000\n"},
		{"严重", "multiple_min = 10\nmultiple_max = 20\nmultiple_of = \"货值金额\"\n"},
	} {
		w("[[benchmark.tier]]\nlevel = %q\nconditions = [%s, %s]\npenalty = %s\n%s", tier.level, p.q(), p.q(), p.q(), tier.bounds)
	}
	w("[[benchmark]]\nid = \"CS-B002\"\nitem = \"CS-CF-0001\"\nviolation = %s\n", p.q())
	for i := 0; i < 3; i++ {
		w("[[benchmark.tier]]\nlevel = %s\nconditions = %s\npenalty = [%s, %s]\n", p.q(), p.q(), p.q(), p.q())
	}
	files["content/agencies/cs-scjg/benchmarks.toml"] = b.String()
	b.Reset()

	w("[conditions]\n\"不予处罚\" = %s\n\"从轻处罚\" = %s\n", p.q(), p.q())
	for i, e := range []struct{ list, item string }{
		{"不予处罚", "CS-CF-0001"}, {"减轻处罚", "CS-CF-0001"}, {"不予强制", "CS-QZ-0001"},
		{"从轻处罚", "CS-CF-0001"}, {"可以不予处罚", "CS-CF-0001"}, {"不予处罚", "CS-CF-0001"},
	} {
		w("[[entry]]\nid = \"CS-L%03d\"\nlist = %q\nitem = %q\ngroup = %s\nviolation = %s\nviolation_basis = %s\nbasis = %s\nconditions = %s\nhandling = %s\n",
			i+1, e.list, e.item, p.q(), p.q(), p.q(), p.q(), p.q(), p.q())
	}
	files["content/agencies/cs-scjg/leniency.toml"] = b.String()
	b.Reset()

	w("year = 2025\npublished = 2025-01-15\n")
	for i := 1; i <= 4; i++ {
		w("[[task]]\nid = \"CS-P2025-%02d\"\nname = %s\nitem = \"CS-JC-0001\"\nkind = \"专项\"\nmethod = %s\ntargets = %s\npopulation = %s\nratio = %s\nmax_frequency = %s\nbasis = %s\nmonths = [11]\njoint_with = [\"cs-xscjg\"]\n",
			i, p.q(), p.q(), p.q(), p.q(), p.q(), p.q(), p.q())
	}
	files["content/agencies/cs-scjg/plans/2025.toml"] = b.String()
	b.Reset()

	w("year = 2024\npublished = 2025-01-20\n")
	for i := 0; i < 3; i++ {
		total := p.text()
		w("[[table]]\ntitle = %s\nunit = %s\ntotal = %s\n[table.values]\n%s = 1\n%s = 2\n%s = 3\n", p.q(), p.q(), tomlString(total), p.q(), p.q(), tomlString(total))
	}
	files["content/agencies/cs-scjg/stats/2024.toml"] = b.String()
	b.Reset()

	kinds := []string{"法人", "个体工商户", "其他组织", "自然人"}
	n := (2*len(payloads) - p.n + 8) / 9
	for i := 0; i < max(n, 4); i++ {
		id := fmt.Sprintf("CS-2025-1%03d", i)
		w("+++\nnumber = %s\ncategory = \"行政处罚\"\nitem = \"CS-CF-0001\"\ntitle = %s\ndecided = 2025-01-24\npublished = 2025-02-10\nofficers = [\"44070010001\", \"44070010002\"]\n", p.q(), p.q())
		w("[party]\nkind = %q\nname = %s\n", kinds[i%len(kinds)], p.q())
		if kinds[i%len(kinds)] != "自然人" {
			w("credit_code = \"91440700MA%08d\"\n", i)
		}
		w("[discretion]\nbenchmark = \"CS-B001\"\ntier = \"一般\"\n[decision]\nkinds = [\"罚款\"]\nfine = 30000\ntext = %s\n", p.q())
		w("[[timeline]]\nstep = %s\ndate = 2025-01-02\n[[timeline]]\nstep = %s\ndate = 2025-01-24\n+++\n%s", p.q(), p.q(), p.md(2))
		files["content/agencies/cs-scjg/cases/2025/"+id+".md"] = b.String()
		b.Reset()
	}
	// A revoked case (its tombstone shows number and reason), a changed one,
	// a 行政强制 case (free-text kinds) and one of the 县 agency.
	w("+++\nnumber = %s\ncategory = \"行政处罚\"\nitem = \"CS-CF-0001\"\ntitle = %s\ndecided = 2025-01-24\npublished = 2025-02-10\nstatus = \"已撤销\"\nstatus_reason = %s\nofficers = [\"44070010001\", \"44070010002\"]\n[party]\nkind = \"法人\"\nname = %s\n[discretion]\nbenchmark = \"CS-B001\"\ntier = \"一般\"\n[decision]\nkinds = [\"罚款\"]\nfine = 30000\n+++\n%s",
		p.q(), p.q(), p.q(), p.q(), p.md(1))
	files["content/agencies/cs-scjg/cases/2025/"+xssTombstone+".md"] = b.String()
	b.Reset()
	w("+++\nnumber = %s\ncategory = \"行政处罚\"\nitem = \"CS-CF-0001\"\ntitle = %s\ndecided = 2025-01-24\npublished = 2025-02-10\nstatus = \"已变更\"\nsuperseded_by = \"CS-2025-1000\"\nofficers = [\"44070010001\", \"44070010002\"]\n[party]\nkind = \"法人\"\nname = %s\n[discretion]\nbenchmark = \"CS-B001\"\ntier = \"一般\"\n[decision]\nkinds = [\"罚款\"]\nfine = 30000\n+++\n%s",
		p.q(), p.q(), p.q(), p.md(1))
	files["content/agencies/cs-scjg/cases/2025/CS-2025-1902.md"] = b.String()
	b.Reset()
	w("+++\nnumber = %s\ncategory = \"行政强制\"\nitem = \"CS-QZ-0001\"\ntitle = %s\ndecided = 2025-01-24\npublished = 2025-02-10\nofficers = [\"44070010001\", \"44070010002\"]\n[party]\nkind = \"法人\"\nname = %s\n[decision]\nkinds = [%s, %s]\ntext = %s\n+++\n%s",
		p.q(), p.q(), p.q(), p.q(), p.q(), p.q(), p.md(1))
	files["content/agencies/cs-scjg/cases/2025/CS-2025-1903.md"] = b.String()
	b.Reset()
	w("+++\nnumber = %s\ncategory = \"行政处罚\"\nitem = \"CS-CF-0001\"\ntitle = %s\ndecided = 2025-01-24\npublished = 2025-02-10\nofficers = [\"44070020001\", \"44070020002\"]\n[party]\nkind = \"自然人\"\nname = %s\n[discretion]\nbenchmark = \"CS-X-B001\"\ntier = \"一般\"\n[decision]\nkinds = [\"罚款\"]\nfine = 25000\n+++\n%s",
		p.q(), p.q(), p.q(), p.md(1))
	files["content/agencies/cs-xscjg/cases/2025/CS-X-2025-1904.md"] = b.String()
	b.Reset()

	dir := t.TempDir()
	for name, data := range files {
		fp := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(fp), 0o755)
		if err := os.WriteFile(fp, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, p.n
}
