// Package htmlcheck finds markup in generated HTML that could run script or
// restyle a page: script and style elements, event-handler and style
// attributes, javascript:/vbscript:/data: URLs, frames, objects, <base> and
// <meta http-equiv="refresh">. Tests run it on every page a build writes and
// on Markdown output (fuzzed); a browser test then checks what a real
// browser does with the same pages.
//
// The tokenizer follows the HTML tokenizer closely enough for markup that a
// browser would treat as a tag to be seen as one here: comments, <!…>,
// end tags, attribute names up to whitespace, "/", ">" or "=", quoted and
// unquoted values, and the raw-text elements (script, style, textarea,
// title, xmp, iframe, noembed, noframes, noscript, plaintext).
package htmlcheck

import (
	"fmt"
	"html"
	"strings"
)

// Options say what a page may legitimately contain.
type Options struct {
	// Script reports whether <script src=src> is one of the site's own
	// bundles; nil allows no script element at all.
	Script func(src string) bool
}

// Problem is one finding, with the byte offset of its tag.
type Problem struct {
	Offset int
	What   string
}

func (p Problem) String() string { return fmt.Sprintf("@%d: %s", p.Offset, p.What) }

// forbiddenTags may never appear.
var forbiddenTags = map[string]bool{
	"style": true, "iframe": true, "frame": true, "frameset": true, "object": true,
	"embed": true, "applet": true, "base": true, "portal": true, "xmp": true,
	"plaintext": true, "noembed": true, "noframes": true, "math": true,
}

// urlAttrs hold URLs a browser may navigate to or load.
var urlAttrs = map[string]bool{
	"href": true, "src": true, "action": true, "formaction": true, "xlink:href": true,
	"poster": true, "data": true, "background": true, "cite": true, "srcset": true,
	"ping": true, "longdesc": true, "lowsrc": true, "dynsrc": true, "manifest": true,
}

// rawText elements: their content is not markup.
var rawText = map[string]bool{
	"script": true, "style": true, "textarea": true, "title": true, "xmp": true,
	"iframe": true, "noembed": true, "noframes": true, "noscript": true,
}

// Check returns every problem in doc.
func Check(doc string, opt Options) []Problem {
	var out []Problem
	add := func(at int, format string, args ...any) {
		out = append(out, Problem{at, fmt.Sprintf(format, args...)})
	}
	for i := 0; i < len(doc); {
		lt := strings.IndexByte(doc[i:], '<')
		if lt < 0 {
			break
		}
		i += lt
		rest := doc[i:]
		switch {
		case strings.HasPrefix(rest, "<!--"):
			end := strings.Index(rest[4:], "-->")
			if end < 0 {
				add(i, "unterminated comment")
				return out
			}
			i += 4 + end + 3
			continue
		case strings.HasPrefix(rest, "<!") || strings.HasPrefix(rest, "<?"):
			end := strings.IndexByte(rest, '>')
			if end < 0 {
				return out
			}
			i += end + 1
			continue
		case strings.HasPrefix(rest, "</") && len(rest) > 2 && isLetter(rest[2]):
			end := strings.IndexByte(rest, '>')
			if end < 0 {
				return out
			}
			i += end + 1
			continue
		case len(rest) > 1 && isLetter(rest[1]):
		default:
			i++ // a literal "<"
			continue
		}
		start := i
		tag, attrs, next := parseTag(doc, i+1)
		i = next
		if forbiddenTags[tag] {
			add(start, "<%s> element", tag)
		}
		for _, a := range attrs {
			name, val := a[0], a[1]
			switch {
			case strings.HasPrefix(name, "on"):
				add(start, "<%s %s=…> event handler", tag, name)
			case name == "style":
				add(start, "<%s style=…> inline style", tag)
			case name == "srcdoc":
				add(start, "<%s srcdoc=…>", tag)
			case urlAttrs[name]:
				if why := badURL(tag, name, val); why != "" {
					add(start, "<%s %s=%q>: %s", tag, name, val, why)
				}
			}
		}
		switch tag {
		case "script":
			src, hasSrc := attr(attrs, "src")
			if !hasSrc || opt.Script == nil || !opt.Script(src) {
				add(start, "<script> element (src=%q)", src)
			}
		case "meta":
			if v, _ := attr(attrs, "http-equiv"); strings.EqualFold(strings.TrimSpace(v), "refresh") {
				add(start, `<meta http-equiv="refresh">`)
			}
		case "link":
			if v, _ := attr(attrs, "rel"); strings.Contains(strings.ToLower(v), "import") {
				add(start, `<link rel="import">`)
			}
		}
		if tag == "plaintext" {
			return out
		}
		if rawText[tag] {
			end := strings.Index(strings.ToLower(doc[i:]), "</"+tag)
			if end < 0 {
				add(start, "<%s> never closed", tag)
				return out
			}
			if tag == "script" && strings.TrimSpace(doc[i:i+end]) != "" {
				add(start, "inline script content")
			}
			i += end
		}
	}
	return out
}

// parseTag reads a start tag whose name begins at doc[i]; it returns the
// lower-cased name, the attributes (lower-cased names, entity-decoded
// values) and the offset after the tag.
func parseTag(doc string, i int) (string, [][2]string, int) {
	n := i
	for n < len(doc) && !isSpace(doc[n]) && doc[n] != '/' && doc[n] != '>' {
		n++
	}
	tag := strings.ToLower(doc[i:n])
	var attrs [][2]string
	i = n
	for i < len(doc) {
		for i < len(doc) && (isSpace(doc[i]) || doc[i] == '/') {
			i++
		}
		if i >= len(doc) {
			break
		}
		if doc[i] == '>' {
			return tag, attrs, i + 1
		}
		// An attribute name: its first character may be "=".
		ns := i
		i++
		for i < len(doc) && !isSpace(doc[i]) && doc[i] != '/' && doc[i] != '>' && doc[i] != '=' {
			i++
		}
		name := strings.ToLower(doc[ns:i])
		for i < len(doc) && isSpace(doc[i]) {
			i++
		}
		val := ""
		if i < len(doc) && doc[i] == '=' {
			i++
			for i < len(doc) && isSpace(doc[i]) {
				i++
			}
			if i < len(doc) && (doc[i] == '"' || doc[i] == '\'') {
				q := doc[i]
				end := strings.IndexByte(doc[i+1:], q)
				if end < 0 {
					end = len(doc) - i - 1
				}
				val = doc[i+1 : i+1+end]
				i += end + 2
			} else {
				vs := i
				for i < len(doc) && !isSpace(doc[i]) && doc[i] != '>' {
					i++
				}
				val = doc[vs:i]
			}
		}
		attrs = append(attrs, [2]string{name, html.UnescapeString(val)})
	}
	return tag, attrs, len(doc)
}

// badURL says why a URL attribute could run script, or "".
func badURL(_, name, v string) string {
	// Browsers drop ASCII tab and newline anywhere and trim C0 controls and
	// spaces at both ends before reading the scheme.
	v = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, v)
	v = strings.TrimLeft(v, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
	l := strings.ToLower(v)
	if name == "srcset" {
		return ""
	}
	switch {
	case strings.HasPrefix(l, "javascript:"), strings.HasPrefix(l, "vbscript:"):
		return "script URL"
	case strings.HasPrefix(l, "data:"):
		// Raster images cannot run script, wherever they are linked from
		// (goldmark allows them in images and links alike).
		for _, ok := range []string{"data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"} {
			if strings.HasPrefix(l, ok) {
				return ""
			}
		}
		return "data: URL"
	}
	return ""
}

func attr(attrs [][2]string, name string) (string, bool) {
	for _, a := range attrs {
		if a[0] == name {
			return a[1], true
		}
	}
	return "", false
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }
