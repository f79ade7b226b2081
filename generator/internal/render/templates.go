package render

import (
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"zfgs/generator/internal/model"
	"zfgs/layouts"
)

// Layout files. shellFiles are parsed into every page; each page layout
// defines "main" (and may define "head"). A site's layouts/ may replace any
// of them.
var shellFiles = []string{"base.html", "partials.html"}

var pageLayouts = []string{
	"home.html", "agencies.html", "agency.html", "officer.html",
	"catalogue.html", "benchmarks.html", "leniency.html", "leniency-index.html",
	"plans.html", "plans-index.html", "stats.html", "stats-index.html",
	"cases.html", "cases-index.html", "case.html", "tombstone.html",
	"timeliness.html", "data-index.html", "404.html",
	"case-print.html", "qr-sheet.html", "officer-cards.html", "search.html",
}

// overlayFS serves a site's own layout file when it has one, else the
// embedded default: overrides work file by file.
type overlayFS struct{ upper, lower fs.FS }

func overlay(site fs.FS) fs.FS {
	if site == nil {
		return layouts.FS
	}
	return overlayFS{upper: site, lower: layouts.FS}
}

func (o overlayFS) Open(name string) (fs.File, error) {
	f, err := o.upper.Open(name)
	if err == nil {
		return f, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return o.lower.Open(name)
}

// parseLayouts parses the shell once and clones it for each page layout, so
// every page's "main" is its own while the shell is shared. It returns the
// shell too, for the fragments that {{cached}} renders.
func parseLayouts(fsys fs.FS, funcs template.FuncMap) (map[string]*template.Template, *template.Template, error) {
	shell := template.New("shell").Funcs(funcs)
	for _, name := range shellFiles {
		if err := parseFile(shell, fsys, name); err != nil {
			return nil, nil, err
		}
	}
	pages := make(map[string]*template.Template, len(pageLayouts))
	for _, name := range pageLayouts {
		t, err := shell.Clone()
		if err != nil {
			return nil, nil, err
		}
		if err := parseFile(t, fsys, name); err != nil {
			return nil, nil, err
		}
		if t.Lookup("main") == nil {
			return nil, nil, fmt.Errorf("layouts/%s：缺少 {{define \"main\"}}", name)
		}
		pages[name] = t
	}
	return pages, shell, nil
}

func parseFile(t *template.Template, fsys fs.FS, name string) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("读取模板 layouts/%s：%w", name, err)
	}
	if _, err := t.New(name).Parse(string(data)); err != nil {
		return fmt.Errorf("模板 layouts/%s：%w", name, err)
	}
	return nil
}

// funcs are the few helpers layouts may call; they format, never decide.
func (r *Renderer) funcs() template.FuncMap {
	return template.FuncMap{
		// u prefixes a site path with base_url's path, so a portal served
		// under a sub-path (https://host/zfgs/) links correctly.
		"u": func(p string) string {
			if strings.HasPrefix(p, "#") || strings.Contains(p, "://") {
				return p
			}
			return r.base + p
		},
		"date":       func(d model.Date) string { return d.String() },
		"cndate":     func(d model.Date) string { return d.Chinese() },
		"money":      formatMoney,
		"num":        formatNumber,
		"join":       strings.Join,
		"pct":        formatPercent,
		"add":        func(a, b int) int { return a + b },
		"caseHref":   casePath,
		"agencyHref": agencyPath,
		// cached renders a shell template once per key (fragments.go).
		"cached": func(name string, data any, key ...any) (template.HTML, error) {
			return r.fragments.render(name, data, key...)
		},
	}
}

// formatNumber prints a number without trailing zeros (12, 1753.79).
func formatNumber(v float64) string {
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// formatMoney prints yuan with thousands separators: 8000 → "8,000 元".
func formatMoney(v *float64) string {
	if v == nil {
		return ""
	}
	s := strconv.FormatFloat(*v, 'f', -1, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(intPart, "-")
	intPart = strings.TrimPrefix(intPart, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	b.WriteString(" 元")
	return b.String()
}

// formatPercent prints part/whole as "97.5%"; "—" when whole is 0.
func formatPercent(part, whole int) string {
	if whole == 0 {
		return "—"
	}
	return strconv.FormatFloat(float64(part)*100/float64(whole), 'f', 1, 64) + "%"
}

// sortedKeys returns a map's keys in order; used wherever a map feeds output.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// validSegment reports whether s can be one URL path segment and one file
// name as it is (cert numbers are free text in the contract).
func validSegment(s string) bool {
	return s != "" && s != "." && s != ".." && !strings.ContainsAny(s, "/\\?#%\x00") && path.Clean(s) == s
}
