package render

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
	"sync"
)

// fragmentCache backs the layouts' {{cached "name" . key…}}: it executes the
// shell's template name once per distinct key and reuses the HTML, like
// Hugo's partialCached. The main navigation and the footer are the same on
// nearly every page but cost a case page about a third of its template
// calls (each link is several reflective calls: the link helper and
// html/template's escapers), so a million case pages render them twice
// each instead of two million times.
//
// The caller vouches that the output depends on nothing but the key. The
// template comes from the shell files (base.html, partials.html), never
// from a page layout's own definitions.
type fragmentCache struct {
	shell *template.Template

	mu sync.RWMutex
	m  map[string]template.HTML
}

// maxFragments bounds the cache: a key that varies per page (a layout
// author's mistake) renders every time instead of growing the cache.
const maxFragments = 256

func (c *fragmentCache) render(name string, data any, key ...any) (template.HTML, error) {
	var k strings.Builder
	k.WriteString(name)
	for _, v := range key {
		fmt.Fprintf(&k, "\x00%v", v)
	}
	c.mu.RLock()
	html, ok := c.m[k.String()]
	c.mu.RUnlock()
	if ok {
		return html, nil
	}
	var b bytes.Buffer
	if err := c.shell.ExecuteTemplate(&b, name, data); err != nil {
		return "", err
	}
	html = template.HTML(b.String())
	c.mu.Lock()
	if len(c.m) < maxFragments {
		c.m[k.String()] = html
	}
	c.mu.Unlock()
	return html, nil
}

// NavKey is what the main navigation of a page depends on besides the
// site: which entry is current, and the page's path if it is an entry's
// own (that entry is then aria-current="page", not "true").
func (p *page) NavKey() string {
	for _, n := range p.Site.Nav {
		if n.Href == p.Path {
			return p.Nav + "\x00" + p.Path
		}
	}
	return p.Nav
}
