package render

import (
	"bytes"
	"html/template"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// markdown converts agency-written Markdown (intro, duties, notes, case
// bodies) to HTML. Raw HTML in the source is dropped and dangerous link
// schemes are neutralised, because html.WithUnsafe is NOT set: that is what
// makes it sound to mark the output template.HTML — the only place the
// package does so.
type markdown struct{ pool sync.Pool }

// headingKey carries the minimum heading level through the parser context.
var headingKey = parser.NewContextKey()

func newMarkdown() *markdown {
	m := &markdown{}
	m.pool.New = func() any {
		// goldmark does not document its instances as safe for concurrent
		// use; case pages are rendered in parallel, so each worker borrows
		// its own.
		return goldmark.New(
			// Table alignment as align="…", not style="text-align:…": the
			// pages' CSP (style-src 'self') refuses inline style attributes,
			// so a style would be dropped and reported as a violation.
			goldmark.WithExtensions(extension.Linkify, extension.Strikethrough, extension.TaskList,
				extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
				extension.CJK),
			goldmark.WithParserOptions(parser.WithASTTransformers(
				// priority: after the built-in transformers
				util.Prioritized(headingShift{}, 999),
			)),
		)
	}
	return m
}

// HTML converts src; headings are shifted so the first level used becomes
// at least minLevel (a body placed under an <h2> starts at <h3>), keeping
// the page's heading outline valid whatever level the author started at.
func (m *markdown) HTML(src string, minLevel int) (out template.HTML) {
	if src == "" {
		return ""
	}
	// Content is checked to be UTF-8, but goldmark must never see anything
	// else: its East Asian line-break rule panics on a text that opens with
	// a UTF-8 continuation byte (util.ToRune indexes source[-1:]; found by
	// FuzzMarkdown, testdata/fuzz/FuzzMarkdown/8c4c03418da71b97).
	src = strings.ToValidUTF8(src, "\uFFFD")
	md := m.pool.Get().(goldmark.Markdown)
	defer func() {
		// A goldmark panic on some other input must not take the whole
		// build down: the text is then shown escaped, as written.
		if recover() != nil {
			out = escaped(src)
			return
		}
		m.pool.Put(md)
	}()
	var b bytes.Buffer
	ctx := parser.NewContext()
	ctx.Set(headingKey, minLevel)
	if err := md.Convert([]byte(src), &b, parser.WithContext(ctx)); err != nil {
		// Convert only fails when the writer does; a bytes.Buffer does not.
		return escaped(src)
	}
	return template.HTML(b.String())
}

func escaped(src string) template.HTML {
	return template.HTML("<p>" + template.HTMLEscapeString(src) + "</p>\n")
}

// headingShift moves every heading down by the same amount so the topmost
// one is at the context's minimum level (capped at h6).
type headingShift struct{}

func (headingShift) Transform(doc *ast.Document, _ text.Reader, pc parser.Context) {
	minLevel, _ := pc.Get(headingKey).(int)
	if minLevel <= 1 {
		return
	}
	top := 7
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering && h.Level < top {
			top = h.Level
		}
		return ast.WalkContinue, nil
	})
	shift := minLevel - top
	if top == 7 || shift <= 0 {
		return
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			h.Level = min(h.Level+shift, 6)
		}
		return ast.WalkContinue, nil
	})
}
