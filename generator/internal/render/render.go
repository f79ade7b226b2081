// Package render turns the checked site model into the portal: HTML pages
// from html/template layouts, open-data files (CSV, JSON), the sitemap,
// the Atom feed and the small files a web server needs.
//
// Cases are streamed: Build.Case renders one case page and keeps only a
// compact Summary (no body, the party's name already masked); Build.Finish
// renders every list page from the site's lists and those summaries. Build
// is safe for concurrent use, because site.Run calls it from several workers.
//
// Templates present; they do not decide. Every rule (masking, deadlines,
// totals, which conditions apply) is computed here in Go and handed to the
// templates as plain view values.
package render

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"strings"
	"sync"

	"zfgs/generator/internal/model"
	"zfgs/generator/internal/scope"
)

// Writer receives output files; rel is slash-separated and relative to the
// output root ("c/JM-1/index.html"). publish.Tx is one. It must be safe for
// concurrent use.
type Writer interface {
	WriteFile(rel string, data []byte) error
}

// Options configure a Renderer. The zero value of every field is usable
// except Deadline, which is required.
type Options struct {
	// Layouts is the site's own layouts/ folder (nil when it has none). Its
	// files replace the embedded default layouts of the same name.
	Layouts fs.FS
	// CSS and JS are the URL paths of the bundled assets (see package
	// assets), without the base path; "" leaves them out.
	CSS, JS string
	// Search is the URL path of the search page's script ("" leaves the
	// search page without one).
	Search string
	// Now is the build date: it decides the stop-publication rules and
	// whether owed statistics are overdue. It is the only clock.
	Now model.Date
	// Deadline returns the last day a case may be published on time
	// (rules.CaseChecker.Deadline).
	Deadline func(*model.Case) model.Date
	// QR, when set, returns where a case's QR code files are (CaseQR is
	// the published layout; the caller writes the files). The case page
	// then shows the code and links it for download, and the print views
	// (a label per case, a sheet per agency and year) are written. Nil
	// shows none.
	QR func(caseID string) QRImages
	// OfficerQR is QR for officers' credential pages (OfficerQR): shown on
	// the credential page, and the agency's card sheet is written.
	OfficerQR func(certNo string) QRImages
	// Cache, when set, lets Case take a case's page (and print view) over
	// from the previous output instead of rendering it, when nothing it is
	// made from has changed: its agency's Scope key and the case file's
	// bytes.
	Cache CaseCache
	// Scope sums up what each agency's case pages (and its decision lists)
	// are made from besides the case files: the generator, the site-wide
	// settings and layouts, the agency's lists and its ancestors' (package
	// scope). Required with Cache.
	Scope *scope.Keys
}

// CaseCache is the build cache of case pages (publish.Tx, adapted).
type CaseCache interface {
	// Reuse takes over the files made for group name with key by the
	// previous build, and reports whether it could.
	Reuse(name string, key [32]byte) bool
	// Group writes the files of group name, made with key; Done records
	// them once all are written.
	Group(name string, key [32]byte) GroupWriter
}

// GroupWriter is a Writer for the files of one cached group.
type GroupWriter interface {
	Writer
	Done()
}

// Publishes reports whether Build.Case writes a page for c (tombstones
// included): a minor's case, or one without a resolved agency, has none.
// Whatever accompanies a case page (its QR code) follows this.
func Publishes(c *model.Case) bool { return !c.Party.Minor && c.Agency != nil }

// Renderer holds the parsed templates and the site. Create it once per
// build with New.
type Renderer struct {
	site      *model.Site
	opt       Options
	base      string // path of base_url ("" or "/sub"), prefixed to every link
	info      *siteInfo
	pages     map[string]*template.Template // by layout file name
	fragments *fragmentCache
	markdown  *markdown
	agencies  map[*model.Agency]*agencyRef
}

// siteInfo is what the shell of every page shows.
type siteInfo struct {
	Title   string
	Footer  model.Footer
	CSS, JS string
	Search  string
	BaseURL string
	Nav     []navItem
}

// navItem is an entry of the main navigation; page.Nav names the current one.
type navItem struct{ Key, Label, Href string }

var mainNav = []navItem{
	{"home", "首页", "/"},
	{"agencies", "执法主体", "/agencies/"},
	{"catalogue", "事项目录", "/catalogue/"},
	{"benchmarks", "裁量基准", "/benchmarks/"},
	{"leniency", "四张清单", "/leniency/"},
	{"plans", "检查计划", "/plans/"},
	{"cases", "执法决定", "/cases/"},
	{"stats", "执法统计", "/stats/"},
	{"timeliness", "公示情况", "/timeliness/"},
	{"data", "开放数据", "/data/"},
}

// New parses the layouts (once) and prepares the renderer.
func New(s *model.Site, opt Options) (*Renderer, error) {
	if opt.Deadline == nil {
		return nil, fmt.Errorf("render: Options.Deadline is required")
	}
	if opt.Cache != nil && opt.Scope == nil {
		return nil, fmt.Errorf("render: Options.Scope is required with Cache")
	}
	r := &Renderer{site: s, opt: opt, markdown: newMarkdown(), agencies: agencyRefs(s)}
	if u, err := url.Parse(s.Config.BaseURL); err == nil {
		r.base = strings.TrimSuffix(u.Path, "/")
	}
	r.info = &siteInfo{
		Title:   s.Config.Title,
		Footer:  s.Config.Footer,
		BaseURL: strings.TrimSuffix(s.Config.BaseURL, "/"),
		Nav:     mainNav,
	}
	if opt.CSS != "" {
		r.info.CSS = r.base + opt.CSS
	}
	if opt.JS != "" {
		r.info.JS = r.base + opt.JS
	}
	if opt.Search != "" {
		r.info.Search = r.base + opt.Search
	}
	pages, shell, err := parseLayouts(overlay(opt.Layouts), r.funcs())
	if err != nil {
		return nil, err
	}
	r.pages = pages
	r.fragments = &fragmentCache{shell: shell, m: map[string]template.HTML{}}
	return r, nil
}

// page is the value every layout is executed with.
type page struct {
	Site   *siteInfo
	Title  string // the page's own title; the shell appends the site title
	Path   string // URL path without the base path, e.g. "/agencies/x/"
	Nav    string // which main navigation entry is current
	Crumbs []link
	Data   []link // open-data files of this page's list
	D      any    // the page's view
	// NoCanonical leaves out <link rel="canonical"> (404.html is served at
	// any URL).
	NoCanonical bool
	// Class is set on <body>: "print-sheet" makes a print view print
	// without the site's header and footer.
	Class string
}

// link is a labelled URL path (without the base path).
type link struct {
	Label string
	Href  string
}

// exec renders layout with p into a fresh buffer.
func (r *Renderer) exec(layout string, p *page) ([]byte, error) {
	t := r.pages[layout]
	if t == nil {
		return nil, fmt.Errorf("render: 缺少模板 %s", layout)
	}
	p.Site = r.info
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, "base", p); err != nil {
		return nil, fmt.Errorf("render: 模板 %s：%w", layout, err)
	}
	return b.Bytes(), nil
}

// Build is one build's rendering: case pages as they stream in, then the
// lists. Create it with Renderer.Start.
type Build struct {
	r *Renderer
	w Writer

	mu        sync.Mutex
	summaries summaryStore
	err       error
	pages     []string // URL paths of list pages written, for the sitemap
	unlisted  int      // print views written (not in the sitemap)
	data      []dataFile
	finished  bool
}

// Start begins writing a build to w.
func (r *Renderer) Start(w Writer) *Build { return &Build{r: r, w: w} }

// writePage renders and writes an HTML page at URL path p.Path and lists
// it in the sitemap.
func (b *Build) writePage(layout string, p *page) error { return b.write(layout, p, true) }

// writeUnlisted renders and writes a page that stays out of the sitemap
// (the print views: they repeat what the listed pages say).
func (b *Build) writeUnlisted(layout string, p *page) error { return b.write(layout, p, false) }

func (b *Build) write(layout string, p *page, listed bool) error {
	return b.writeTo(b.w, layout, p, listed)
}

func (b *Build) writeTo(w Writer, layout string, p *page, listed bool) error {
	html, err := b.r.exec(layout, p)
	if err != nil {
		return err
	}
	if err := w.WriteFile(pageFile(p.Path), html); err != nil {
		return err
	}
	b.mu.Lock()
	if listed {
		b.pages = append(b.pages, p.Path)
	} else {
		b.unlisted++
	}
	b.mu.Unlock()
	return nil
}

// pageFile maps a URL path ("/a/b/") to its file ("a/b/index.html").
func pageFile(p string) string {
	p = strings.TrimPrefix(p, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		return p + "index.html"
	}
	return p
}

func (b *Build) fail(err error) {
	b.mu.Lock()
	if b.err == nil {
		b.err = err
	}
	b.mu.Unlock()
}

// Err is the first error any Case call met.
func (b *Build) Err() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}
