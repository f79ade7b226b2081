package render

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"sort"
	"strings"

	"zfgs/generator/internal/model"
)

// sitemapLimit is the protocol's maximum number of URLs per sitemap file.
const sitemapLimit = 50000

// sitemap writes /sitemap.xml: one file, or an index of sitemap-N.xml files
// when there are more than sitemapLimit URLs. It lists the HTML pages and
// the listed (not tombstoned) case pages.
func (b *Build) sitemap(ix *caseIndex) error {
	base := b.r.info.BaseURL
	var urls []string
	for _, p := range b.pages {
		urls = append(urls, base+p)
	}
	for _, i := range ix.listed {
		urls = append(urls, base+casePath(string(ix.store.id(i))))
	}
	sort.Strings(urls)
	for name, data := range sitemapFiles(base, urls, sitemapLimit) {
		if err := b.w.WriteFile(name, data); err != nil {
			return err
		}
	}
	return nil
}

// sitemapFiles splits urls into files of at most limit URLs each.
func sitemapFiles(base string, urls []string, limit int) map[string][]byte {
	const head = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"
	const ns = `xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"`
	urlset := func(list []string) []byte {
		var b bytes.Buffer
		b.WriteString(head + "<urlset " + ns + ">\n")
		for _, u := range list {
			b.WriteString("<url><loc>")
			xml.EscapeText(&b, []byte(u))
			b.WriteString("</loc></url>\n")
		}
		b.WriteString("</urlset>\n")
		return b.Bytes()
	}
	if len(urls) <= limit {
		return map[string][]byte{"sitemap.xml": urlset(urls)}
	}
	out := map[string][]byte{}
	var index bytes.Buffer
	index.WriteString(head + "<sitemapindex " + ns + ">\n")
	for i, n := 0, 1; i < len(urls); i, n = i+limit, n+1 {
		name := fmt.Sprintf("sitemap-%d.xml", n)
		out[name] = urlset(urls[i:min(i+limit, len(urls))])
		index.WriteString("<sitemap><loc>")
		xml.EscapeText(&index, []byte(base+"/"+name))
		index.WriteString("</loc></sitemap>\n")
	}
	index.WriteString("</sitemapindex>\n")
	out["sitemap.xml"] = index.Bytes()
	return out
}

const feedSize = 50

// Atom feed types (RFC 4287); encoding/xml escapes every text.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Links   []atomLink  `xml:"link"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	Title   string   `xml:"title"`
	ID      string   `xml:"id"`
	Link    atomLink `xml:"link"`
	Updated string   `xml:"updated"`
	Summary string   `xml:"summary"`
}

// atomTime is a date at midnight China time: the content has dates only,
// and a build must not invent a clock time.
func atomTime(d model.Date) string { return d.String() + "T00:00:00+08:00" }

// feed writes /feed.xml, the newest decisions by publication date.
func (b *Build) feed(ix *caseIndex) error {
	base := b.r.info.BaseURL
	cfg := b.r.site.Config
	f := atomFeed{
		Title:  cfg.Title + "：最新行政执法决定",
		ID:     base + "/",
		Links:  []atomLink{{Href: base + "/feed.xml", Rel: "self"}, {Href: base + "/"}},
		Author: atomPerson{Name: firstNonEmpty(cfg.Footer.Sponsor, cfg.Title)},
	}
	updated := b.r.opt.Now
	newest := ix.store.gets(firstN(ix.newest, feedSize))
	if len(newest) > 0 {
		updated = newest[0].Published
	}
	f.Updated = atomTime(updated)
	for _, s := range newest {
		summary := strings.Join(nonEmpty(s.Number, s.AgencyName, s.Party, s.Category), " · ")
		f.Entries = append(f.Entries, atomEntry{
			Title: s.Title, ID: base + casePath(s.ID), Link: atomLink{Href: base + casePath(s.ID)},
			Updated: atomTime(s.Published), Summary: summary,
		})
	}
	data, err := xml.MarshalIndent(f, "", " ")
	if err != nil {
		return err
	}
	return b.w.WriteFile("feed.xml", append([]byte(xml.Header), append(data, '\n')...))
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

func nonEmpty(s ...string) []string {
	var out []string
	for _, x := range s {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

// CSP is the Content-Security-Policy of every page: the <meta> in the
// layouts carries it too, but frame-ancestors only works as a header.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// serverFiles writes robots.txt and _headers (Netlify / Cloudflare Pages
// syntax; web/DEPLOY.md has the same headers for nginx).
func (b *Build) serverFiles(*caseIndex) error {
	base := b.r.info.BaseURL
	robots := "User-agent: *\nAllow: /\n\nSitemap: " + base + "/sitemap.xml\n"
	if err := b.w.WriteFile("robots.txt", []byte(robots)); err != nil {
		return err
	}
	headers := "/*\n" +
		"  Content-Security-Policy: " + CSP + "\n" +
		"  X-Content-Type-Options: nosniff\n" +
		"  X-Frame-Options: DENY\n" +
		"  Referrer-Policy: same-origin\n" +
		"/assets/*\n" +
		"  Cache-Control: public, max-age=31536000, immutable\n"
	return b.w.WriteFile("_headers", []byte(headers))
}
