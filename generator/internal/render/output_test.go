package render

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"zfgs/generator/internal/model"
)

// A natural person's full name must not appear in any output file (pages,
// data, feed, sitemap), while the masked form does.
func TestNaturalPersonNameNeverPublished(t *testing.T) {
	w := buildTestSite(t)
	masked := 0
	for name, data := range w.files {
		for _, secret := range []string{"张三丰", "92440700MA00000002", "李四"} {
			if bytes.Contains(data, []byte(secret)) {
				t.Errorf("%s contains %q", name, secret)
			}
		}
		if bytes.Contains(data, []byte("张某某")) {
			masked++
		}
	}
	page := string(w.files["c/CS-2025-0002/index.html"])
	for _, want := range []string{"<h1>张某某销售不符合食品安全标准的食品案</h1>", "<dd>张某某</dd>", "对张某某给予警告", "告知张某某陈述申辩权利", "张某某在农贸市场"} {
		if !strings.Contains(page, want) {
			t.Errorf("case page lacks %q", want)
		}
	}
	// the case page, the year lists, home, agency page, feed, data files
	if masked < 6 {
		t.Errorf("masked name found in only %d files", masked)
	}
}

// A revoked case keeps a tombstone: number, agency, status and reason only.
func TestRevokedCaseIsTombstone(t *testing.T) {
	w := buildTestSite(t)
	page := string(w.files["c/CS-2025-0003/index.html"])
	for _, want := range []string{"测市监处罚〔2025〕3号", "测试市市场监督管理局", "已撤销", "经行政复议，本决定被撤销。"} {
		if !strings.Contains(page, want) {
			t.Errorf("tombstone lacks %q", want)
		}
	}
	for _, leak := range []string{"测试市某某商行", "92440700MA00000003", "25000", "25,000", "贰万伍仟", "某某商行销售", "货值"} {
		if strings.Contains(page, leak) {
			t.Errorf("tombstone shows %q", leak)
		}
	}
	// it leaves the lists, data and feed, but its URL stays (not in the sitemap)
	for name, data := range w.files {
		if name != "c/CS-2025-0003/index.html" && bytes.Contains(data, []byte("CS-2025-0003")) && !strings.HasPrefix(name, "timeliness/") && !strings.Contains(name, "/timeliness/") {
			t.Errorf("%s still lists the revoked case", name)
		}
	}
}

// A changed decision points at the one that replaced it.
func TestChangedCaseLinksSuccessor(t *testing.T) {
	w := buildTestSite(t)
	page := string(w.files["c/CS-2025-0004/index.html"])
	if !strings.Contains(page, `本决定已变更，变更后的决定见 <a href="/c/CS-2025-0005/">CS-2025-0005</a>`) {
		t.Error("changed case does not link its successor")
	}
}

var (
	inlineScript = regexp.MustCompile(`(?i)<script\b[^>]*>`)
	styleAttr    = regexp.MustCompile(`(?i)<[^>]*\sstyle\s*=`)
	styleElem    = regexp.MustCompile(`(?i)<style\b`)
	handlerAttr  = regexp.MustCompile(`(?i)<[a-z][^>]*\son[a-z]+\s*=`)
	externalRes  = regexp.MustCompile(`(?i)<(?:script|img|iframe|source|video|audio|object|embed)\b[^>]*src="(?:https?:)?//`)
	linkTag      = regexp.MustCompile(`(?i)<link\b[^>]*>`)
)

// The CSP forbids inline script and style; the output must not need them,
// and nothing may load from another host.
func TestNoInlineScriptOrStyle(t *testing.T) {
	w := buildTestSite(t)
	for name, data := range w.files {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		s := string(data)
		for _, tag := range inlineScript.FindAllString(s, -1) {
			if !strings.Contains(tag, " src=") {
				t.Errorf("%s: inline script %s", name, tag)
			}
		}
		for _, re := range []*regexp.Regexp{styleAttr, styleElem, handlerAttr, externalRes} {
			if m := re.FindString(s); m != "" {
				t.Errorf("%s: %s", name, m)
			}
		}
		for _, tag := range linkTag.FindAllString(s, -1) {
			// only the canonical URL and the feed may name the site's host
			if strings.Contains(tag, `href="http`) && !strings.Contains(tag, `rel="canonical"`) {
				t.Errorf("%s: external resource %s", name, tag)
			}
		}
		if !strings.Contains(s, `<html lang="zh-CN">`) || !strings.Contains(s, `http-equiv="Content-Security-Policy"`) {
			t.Errorf("%s: missing lang or CSP", name)
		}
	}
}

// Raw HTML and javascript: links in Markdown are dropped.
func TestMarkdownDropsRawHTML(t *testing.T) {
	w := buildTestSite(t)
	for _, name := range []string{"c/CS-2025-0002/index.html", "index.html"} {
		s := string(w.files[name])
		for _, bad := range []string{"<b>raw</b>", "evil.example", "alert(1)", "javascript:"} {
			if strings.Contains(s, bad) {
				t.Errorf("%s contains %q", name, bad)
			}
		}
	}
}

// Parallel rendering must not change a byte.
func TestDeterministic(t *testing.T) {
	fsys := loadArchive(t, "testdata/site.txtar")
	a := buildSite(t, fsys, nil, 1)
	b := buildSite(t, fsys, nil, 8)
	if len(a.files) != len(b.files) {
		t.Fatalf("%d vs %d files", len(a.files), len(b.files))
	}
	for name, data := range a.files {
		if !bytes.Equal(data, b.files[name]) {
			t.Errorf("%s differs between a 1-worker and an 8-worker build", name)
		}
	}
}

// A site's own layout replaces the default of the same name; the others
// stay the embedded defaults.
func TestLayoutOverride(t *testing.T) {
	fsys := loadArchive(t, "testdata/site.txtar")
	own := fstest.MapFS{"home.html": {Data: []byte(`{{define "main"}}<p class="own">本市自定义首页</p>{{end}}`)}}
	w := buildSite(t, fsys, own, 0)
	if home := string(w.files["index.html"]); !strings.Contains(home, `<p class="own">本市自定义首页</p>`) || strings.Contains(home, "最新行政执法决定</h2>") {
		t.Error("the site's home.html did not replace the default")
	}
	if !strings.Contains(string(w.files["agencies/cs-scjg/index.html"]), "执法人员</h2>") {
		t.Error("pages without an override lost the default layout")
	}
}

func TestBrokenOverrideIsAnError(t *testing.T) {
	own := fstest.MapFS{"case.html": {Data: []byte(`{{define "main"}}{{.Nope`)}}
	_, err := New(&model.Site{}, Options{Layouts: own, Deadline: func(*model.Case) model.Date { return 0 }})
	if err == nil || !strings.Contains(err.Error(), "layouts/case.html") {
		t.Fatalf("want an error naming layouts/case.html, got %v", err)
	}
}

// A base_url with a path prefixes every internal link and asset.
func TestBasePath(t *testing.T) {
	fsys := loadArchive(t, "testdata/site.txtar")
	cfg := strings.Replace(string(fsys["config.toml"].Data), `base_url = "https://zfgs.example.gov.cn"`, `base_url = "https://www.example.gov.cn/zfgs/"`, 1)
	fsys["config.toml"] = &fstest.MapFile{Data: []byte(cfg)}
	w := buildSite(t, fsys, nil, 0)
	home := string(w.files["index.html"])
	for _, want := range []string{`href="/zfgs/assets/site-TEST.css"`, `href="/zfgs/agencies/cs-scjg/"`, `action="/zfgs/search/"`, `href="/zfgs/c/CS-2025-0001/"`, `<link rel="canonical" href="https://www.example.gov.cn/zfgs/">`} {
		if !strings.Contains(home, want) {
			t.Errorf("home lacks %s", want)
		}
	}
	bad := regexp.MustCompile(`(?:href|src|action)="/(?:[^z]|z[^f])`)
	for name, data := range w.files {
		if strings.HasSuffix(name, ".html") {
			if m := bad.FindString(string(data)); m != "" {
				t.Errorf("%s: unprefixed link %s", name, m)
			}
		}
	}
	if !strings.Contains(string(w.files["sitemap.xml"]), "<loc>https://www.example.gov.cn/zfgs/c/CS-2025-0001/</loc>") {
		t.Error("sitemap URLs lack the base path")
	}
}
