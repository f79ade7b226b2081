package search

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/evanw/esbuild/pkg/api"

	"zfgs/generator/internal/browsertest"
	"zfgs/generator/internal/model"
)

// jsDir is web/js, where search.js lives.
func jsDir(t testing.TB) string {
	d, err := filepath.Abs("../../../web/js")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// bundle bundles search.js (or a harness importing it) the way the assets
// package does: minified, ES2017.
func bundle(t testing.TB, harness string) []byte {
	t.Helper()
	opt := api.BuildOptions{
		Bundle: true, Write: false, Outdir: "/out",
		MinifyWhitespace: true, MinifySyntax: true, MinifyIdentifiers: true,
		Target: api.ES2017, Charset: api.CharsetUTF8, LogLevel: api.LogLevelSilent,
	}
	if harness == "" {
		opt.EntryPoints = []string{filepath.Join(jsDir(t), "search.js")}
	} else {
		opt.Stdin = &api.StdinOptions{Contents: harness, ResolveDir: jsDir(t), Loader: api.LoaderJS}
	}
	res := api.Build(opt)
	if len(res.Errors) > 0 || len(res.OutputFiles) != 1 {
		t.Fatalf("esbuild: %+v", res.Errors)
	}
	return res.OutputFiles[0].Contents
}

// writeSite writes the index of docs, the bundled script and the reference
// page into a temporary site root.
func writeSite(t testing.TB, docs []Doc) string {
	t.Helper()
	dir := t.TempDir()
	b := NewBuilder()
	for _, d := range docs {
		b.Add(d)
	}
	if _, err := b.Write(diskWriter(dir)); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile("testdata/page.html")
	if err != nil {
		t.Fatal(err)
	}
	must(t, os.MkdirAll(filepath.Join(dir, "assets"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "assets/search.js"), bundle(t, ""), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, Dir, "index.html"), page, 0o644))
	harness := `import {normalize, planQuery, Index} from "./search-engine.js"; window.zfgsTest = {normalize, planQuery, Index};`
	must(t, os.WriteFile(filepath.Join(dir, "assets/harness.js"), bundle(t, harness), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "harness.html"), []byte(`<!DOCTYPE html><meta charset="utf-8"><title>harness</title><script src="/assets/harness.js"></script>`), 0o644))
	return dir
}

func diskWriter(dir string) func(string, []byte) error {
	made := map[string]bool{}
	return func(rel string, data []byte) error {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if d := filepath.Dir(p); !made[d] {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
			made[d] = true
		}
		return os.WriteFile(p, data, 0o644)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// pageResult is what the search page shows once it has settled.
type pageResult struct {
	Status string   `json:"status"`
	URLs   []string `json:"urls"`
	Titles []string `json:"titles"`
	Marks  []string `json:"marks"`
	Kinds  []string `json:"kinds"`
	Pages  []string `json:"pages"`
}

const settled = `(() => {
  const s = document.getElementById('search-status').textContent;
  const out = document.getElementById('search-results');
  if (!s || s === '正在搜索…' || out.hasAttribute('aria-busy')) return false;
  const q = (sel) => Array.from(out.querySelectorAll(sel));
  return {
    status: s,
    urls: q('.search-hit a').map(a => a.getAttribute('href')),
    titles: q('.search-hit a').map(a => a.textContent),
    marks: q('.search-hit mark').map(m => m.textContent),
    kinds: Array.from(document.querySelectorAll('select[name=kind] option')).map(o => o.textContent),
    pages: q('.search-pages a, .search-pages span').map(a => a.textContent),
  };
})()`

// open navigates to the search page with query string qs and waits for
// its results.
func openPage(t testing.TB, c context.Context, srv *browsertest.Server, qs string) pageResult {
	t.Helper()
	var r pageResult
	if err := chromedp.Run(c, chromedp.Navigate(srv.URL+"/search/"+qs), chromedp.Poll(settled, &r, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("search page %s: %v", qs, err)
	}
	return r
}

// modelDocs goes through CaseDoc: a revoked case and a minor's case are
// refused; a natural person's case is indexed with the name masked.
func modelDocs(t testing.TB) []Doc {
	ag := &model.Agency{ID: "jm-scjg", Name: "江门市市场监督管理局"}
	active := &model.Case{ID: "JM-SCJG-2025-0200", Agency: ag, Number: "江市监处罚〔2025〕200号", Category: "行政处罚",
		Title: "王小明无证经营食品案", Decided: model.DateOf(2025, 5, 6), Status: model.StatusActive,
		Party:    model.Party{Kind: model.PartyNatural, Name: "王小明"},
		Decision: model.Decision{Kinds: []string{"罚款"}, Text: "对王小明罚款人民币伍仟元"},
		Body:     "经查，當事人王小明在未取得食品经营许可的情况下从事食品经营活动。王小明对违法事实无异议。"}
	revoked := &model.Case{ID: "JM-SCJG-2025-0300", Agency: ag, Number: "江市监处罚〔2025〕300号", Category: "行政处罚",
		Title: "江门市撤销测试贸易有限公司虚假宣传案", Decided: model.DateOf(2025, 6, 1), Status: model.StatusRevoked, StatusReason: "复议撤销",
		Party: model.Party{Kind: "法人", Name: "江门市撤销测试贸易有限公司", CreditCode: "91440700MA0REVOKED"}}
	minor := &model.Case{ID: "JM-SCJG-2025-0400", Agency: ag, Number: "江市监处罚〔2025〕400号", Category: "行政处罚",
		Title: "李未成无证经营案", Decided: model.DateOf(2025, 6, 2), Status: model.StatusActive,
		Party: model.Party{Kind: model.PartyNatural, Name: "李未成", Minor: true}}
	var docs []Doc
	for _, c := range []*model.Case{active, revoked, minor} {
		d, ok := CaseDoc(c, "/c/"+c.ID+"/")
		if want := c == active; ok != want {
			t.Fatalf("CaseDoc(%s) ok = %v, want %v", c.ID, ok, want)
		}
		if ok {
			docs = append(docs, d)
		}
	}
	return docs
}

func TestBrowserSearchPage(t *testing.T) {
	ctx := browsertest.New(t)
	docs := append(testDocs(), modelDocs(t)...)
	for i := 0; i < 25; i++ { // enough for three pages
		docs = append(docs, Doc{Kind: KindDecision, URL: fmt.Sprintf("/c/P-%02d/", i), Title: fmt.Sprintf("鹤山市翻页测试%02d号商行违法案", i),
			Year: 2025, Date: fmt.Sprintf("2025-01-%02d", i+1), Agency: "hs", AgencyName: "鹤山市市场监督管理局"})
	}
	srv := browsertest.Serve(t, writeSite(t, docs))
	c := ctx

	for _, tc := range []struct {
		qs     string
		want   []string
		status string // substring of the status line
	}{
		{"?q=" + urlq("某某食品"), []string{"/c/JM-SCJG-2025-0012/"}, "找到 1 条"}, // a middle substring of a company name
		{"?q=" + urlq("[2025]12号"), []string{"/c/JM-SCJG-2025-0012/"}, "找到 1 条"},
		{"?q=" + urlq("(2025)12号"), []string{"/c/JM-SCJG-2025-0012/"}, "找到 1 条"},
		{"?q=" + urlq("江市监处罚〔2025〕112号"), []string{"/c/JM-SCJG-2025-0112/"}, "找到 1 条"},
		{"?q=" + urlq("蓬江區宏達五金"), []string{"/c/JM-SCJG-2025-0112/"}, "找到 1 条"}, // Traditional
		{"?q=" + urlq("ＭＡ４ＵＡＢＣＤ"), []string{"/c/JM-SCJG-2025-0012/"}, "找到 1 条"},
		{"?q=" + urlq("李明"), []string{"/officers/44070012345/", "/officers/44070012346/"}, "找到 2 条"},
		// filters
		{"?q=" + urlq("食品") + "&kind=decision", []string{"/c/JM-SCJG-2025-0200/", "/c/JM-SCJG-2025-0012/", "/c/JM-SCJG-2025-0112/"}, "找到 3 条"}, // shorter title first
		{"?q=" + urlq("案") + "&agency=jm-sthj", []string{"/c/JM-STHJ-2024-0003/"}, "找到 1 条"},
		{"?q=" + urlq("案") + "&year=2024", []string{"/c/JM-STHJ-2024-0003/"}, "找到 1 条"},
		// a revoked case is not in the index; neither is a minor's
		{"?q=" + urlq("撤销测试贸易"), nil, "没有找到"},
		{"?q=" + urlq("MA0REVOKED"), nil, "没有找到"},
		{"?q=" + urlq("李未成"), nil, "没有找到"},
		// a natural person is not findable by the real name (in any script), only masked
		{"?q=" + urlq("王小明"), nil, "没有找到"},
		{"?q=" + urlq("王小"), nil, "没有找到"},
		{"?q=" + urlq("小明"), nil, "没有找到"},
		{"?q=" + urlq("王某某无证"), []string{"/c/JM-SCJG-2025-0200/"}, "找到 1 条"},
		{"", nil, "请输入关键词"},
	} {
		r := openPage(t, c, srv, tc.qs)
		if !slices.Equal(r.URLs, tc.want) || !strings.Contains(r.Status, tc.status) {
			t.Errorf("%s: got %q %q, want %q %q", tc.qs, r.URLs, r.Status, tc.want, tc.status)
		}
	}

	// Highlighting and the kind select's counts.
	r := openPage(t, c, srv, "?q="+urlq("宏達"))
	if !slices.Equal(r.Marks, []string{"宏达"}) {
		t.Errorf("marks %q", r.Marks)
	}
	// Paging: 25 results, 10 a page; page 3 has 5 and links back.
	r = openPage(t, c, srv, "?q="+urlq("翻页测试")+"&page=3")
	if len(r.URLs) != 5 || !strings.Contains(r.Status, "第 3/3 页") || !slices.Contains(r.Pages, "上一页") || r.URLs[0] != "/c/P-04/" {
		t.Errorf("page 3: %+v", r)
	}
	if !slices.Contains(r.Kinds, "执法决定（25）") {
		t.Errorf("kind options %q", r.Kinds)
	}

	// Typing a query and submitting with the keyboard updates the URL and
	// the results without reloading the page; clicking 下一页 pages.
	var href string
	err := chromedp.Run(c,
		chromedp.Navigate(srv.URL+"/search/"),
		chromedp.WaitVisible("#search-q", chromedp.ByQuery),
		chromedp.SendKeys("#search-q", "翻页测试\r", chromedp.ByQuery),
		chromedp.Poll(settled, &r, chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Location(&href),
	)
	if err != nil {
		t.Fatal(err)
	}
	if u, err := url.Parse(href); err != nil || u.Path != "/search/" || u.Query().Get("q") != "翻页测试" || len(r.URLs) != 10 {
		t.Fatalf("after submit: %s %+v", href, r)
	}
	err = chromedp.Run(c,
		chromedp.Click(`.search-pages a[rel=next]`, chromedp.ByQuery),
		chromedp.Poll(`document.activeElement && document.activeElement.classList.contains('search-hits') && `+settled, &r, chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Location(&href),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(href, "page=2") || len(r.URLs) != 10 || r.URLs[0] != "/c/P-14/" {
		t.Fatalf("after 下一页: %s %+v", href, r)
	}
}

func awaitPromise(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }

func urlq(s string) string {
	return strings.NewReplacer("%", "%25", "&", "%26", "#", "%23", "+", "%2B", " ", "+").Replace(s)
}

// The JavaScript folds, plans and ranks exactly like the Go code.
func TestBrowserMatchesGo(t *testing.T) {
	ctx := browsertest.New(t)
	docs := append(testDocs(), modelDocs(t)...)
	dir := writeSite(t, docs)
	srv := browsertest.Serve(t, dir)
	c := ctx
	must(t, chromedp.Run(c, chromedp.Navigate(srv.URL+"/harness.html"),
		chromedp.Poll(`window.zfgsTest && (window.ix = new zfgsTest.Index(new URL('/search/', location.href))) && true`, nil)))
	var ok bool
	must(t, chromedp.Run(c, chromedp.Evaluate(`ix.open().then(i => i.loadT2S()).then(() => true)`, &ok, awaitPromise)))

	// Normalisation over whole Unicode blocks, the table, and odd inputs.
	var inputs []string
	for lo := rune(0); lo < 0x10000; lo += 0x400 {
		var b strings.Builder
		for r := lo; r < lo+0x400; r++ {
			if r < 0xD800 || r > 0xDFFF {
				b.WriteRune(r)
			}
		}
		inputs = append(inputs, b.String())
	}
	var keys strings.Builder
	for k := range t2s {
		keys.WriteRune(k)
	}
	inputs = append(inputs, keys.String(), "𠀀𪚥𣊫 ＡＢＣ")
	inputs = append(inputs, queryCorpus()...)
	var got []string
	js, _ := json.Marshal(inputs)
	must(t, chromedp.Run(c, chromedp.Evaluate(`(`+string(js)+`).map(s => zfgsTest.normalize(s))`, &got)))
	for i, in := range inputs {
		if want := Normalize(in); got[i] != want {
			gr, wr := []rune(got[i]), []rune(want)
			for k := range min(len(gr), len(wr)) {
				if gr[k] != wr[k] {
					t.Errorf("normalize: JS %U, Go %U (input block %d)", gr[k], wr[k], i)
					break
				}
			}
			if len(gr) != len(wr) {
				t.Errorf("normalize: JS %d runes, Go %d (input %d)", len(gr), len(wr), i)
			}
		}
	}

	// Query plans.
	queries := queryCorpus()
	js, _ = json.Marshal(queries)
	var plans []struct {
		Tokens []string `json:"tokens"`
		Units  int      `json:"units"`
		Exact  bool     `json:"exact"`
		Groups []string `json:"groups"`
	}
	must(t, chromedp.Run(c, chromedp.Evaluate(`(`+string(js)+`).map(s => zfgsTest.planQuery(s))`, &plans)))
	for i, q := range queries {
		p := PlanQuery(q)
		jp := plans[i]
		if !slices.Equal(p.Tokens, jp.Tokens) && !(len(p.Tokens) == 0 && len(jp.Tokens) == 0) || p.Units != jp.Units || p.Exact != jp.Exact || !slices.Equal(p.Groups, jp.Groups) && len(p.Groups)+len(jp.Groups) > 0 {
			t.Errorf("plan %q: Go %q/%d/%v/%q, JS %q/%d/%v/%q", q, p.Tokens, p.Units, p.Exact, p.Groups, jp.Tokens, jp.Units, jp.Exact, jp.Groups)
		}
	}

	// Searches: same totals, facets and hits in the same order.
	ix := openDir(t, dir)
	for _, q := range append(queries, "食品", "案", "江门市", "李明", "销售不符合食品安全标准的食品") {
		for _, kind := range []string{"", KindDecision} {
			want, err := ix.Search(Query{Q: q, Kind: kind})
			if err != nil {
				t.Fatal(err)
			}
			var jr struct {
				Total int            `json:"total"`
				Kinds map[string]int `json:"kinds"`
				Hits  []struct {
					URL  string `json:"url"`
					Tier int    `json:"tier"`
				} `json:"hits"`
			}
			qj, _ := json.Marshal(map[string]string{"q": q, "kind": kind})
			must(t, chromedp.Run(c, chromedp.Evaluate(`ix.search(`+string(qj)+`)`, &jr, awaitPromise)))
			var ju []string
			for _, h := range jr.Hits {
				ju = append(ju, h.URL)
			}
			if jr.Total != want.Total || !slices.Equal(ju, urls(want.Hits)) || len(jr.Kinds) != len(want.Kinds) {
				t.Errorf("search %q kind %q: JS %d %q %v, Go %d %q %v", q, kind, jr.Total, ju, jr.Kinds, want.Total, urls(want.Hits), want.Kinds)
			}
		}
	}
}

// openDir opens the index of a site root on disk.
func openDir(t testing.TB, dir string) *Index {
	t.Helper()
	ix, err := Open(func(rel string) ([]byte, error) { return os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel))) })
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

// queryCorpus is a set of queries worth comparing between Go and JS.
func queryCorpus() []string {
	return []string{
		"执法", "執法", "食", "某某食品有限公司", "江门市新会区食品经营有限公司", "[2025]12号", "(2025)12号", "〔2025〕12号",
		"江市监处罚〔2025〕12号", "2025年", "23有限公司", "MA0000", "ＭＡ００００", "ab", "SCJG-CF-0001", "(SCJG-CF-0001)",
		"江门 食品", "，。", "", "   ", "a-b-c", "--x--", "4407-scjg-cf-0001 对销售", "王某某 2024", "李明 44070012345",
		"Ünïcode ÀB", "\u200b执\u200b法", "ｘｙ－ＺＺ（１）", "𠀀𪚥", "一 二 三 四 五 六", "abcdefghijklmnopqrstuvwxyz0123456789abcdefghij",
		"食品安全标准的食品的处罚对销售不符合食品安全标准的食品的处罚",
	}
}
