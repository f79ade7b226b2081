package render

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"zfgs/generator/internal/htmlcheck"
)

// Markdown bodies are written by agencies and shown as HTML: whatever the
// source, the output must carry no script, no event handler, no inline
// style and no javascript:/vbscript:/data: link (htmlcheck), because it is
// the one place the renderer marks text as safe HTML.

var markdownSeeds = []string{
	"# 标题\n\n正文 **粗体** _斜体_ `code`\n\n> 引用\n\n- 列表\n- [x] 任务\n\n1. 一\n2. 二\n",
	"<script>alert(1)</script>\n\ntext <img src=x onerror=alert(1)> <b onclick=alert(1)>b</b>",
	"[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) [z](&#106;avascript:alert(1)) [w](<java\tscript:alert(1)>)",
	"![x](data:image/svg+xml,<svg/onload=alert(1)>) ![p](data:image/png;base64,AAAA) ![t](data:text/html,x)",
	"<javascript:alert(1)> <vbscript:msgbox(1)> <data:text/html;base64,PHNjcmlwdD4=> www.example.com/\"onmouseover=alert(1)",
	"[a]: javascript:alert(1) \"t\"\n\n[ref][a] ![img][a]",
	"| a | b |\n|:--|--:|\n| <script> | \" onmouseover=alert(1) |\n",
	"```js\"><script>alert(1)</script>\ncode\n```\n",
	"<div style=\"x\">\n\n*md*\n\n</div>\n<!-- comment --><?php x ?><![CDATA[x]]>",
	"[link](https://example.gov.cn \"title\\\" onmouseover=alert(1)\")",
	"<a href=\"javascript:alert(1)\">x</a> &lt;script&gt; &#60;script&#62;",
	strings.Repeat("> ", 200) + "deep",
	strings.Repeat("[", 100) + "x" + strings.Repeat("](javascript:alert(1))", 100),
}

func FuzzMarkdown(f *testing.F) {
	for _, s := range markdownSeeds {
		f.Add(s)
	}
	md := newMarkdown()
	f.Fuzz(func(t *testing.T, src string) {
		out := string(md.HTML(src, 3))
		if ps := htmlcheck.Check(out, htmlcheck.Options{}); len(ps) > 0 {
			t.Fatalf("unsafe output %v\nsource %q\noutput %q", ps, src, out)
		}
		for _, tag := range []string{"<h1", "<h2"} {
			if strings.Contains(out, tag) {
				t.Fatalf("heading above the minimum level: %q", out)
			}
		}
	})
}

// Deeply nested Markdown renders in bounded time and memory. Inline
// nesting (emphasis, brackets, parentheses, tags) is linear at 10,000
// levels. Block containers (quotes, lists) cost goldmark time in the square
// of the depth, so content refuses bodies nested deeper than 100 levels
// (E_LIMIT, content.MaxMarkdownDepth); here they are measured at 10,000
// levels (quotes, list markers on one line) and 300 (indented lists, whose
// source itself grows with the square of the depth).
func TestMarkdownDeepNesting(t *testing.T) {
	const depth = 10000
	indented := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString(strings.Repeat("  ", i) + "- x\n")
		}
		return b.String()
	}
	inputs := []struct {
		name, src string
		limit     time.Duration
	}{
		{"emphasis", strings.Repeat("*", depth) + "x" + strings.Repeat("*", depth) + "\n", 2 * time.Second},
		{"brackets", strings.Repeat("[", depth) + "x" + strings.Repeat("](/)", depth) + "\n", 2 * time.Second},
		{"link-parens", "[x](" + strings.Repeat("(", depth) + strings.Repeat(")", depth) + ")\n", 2 * time.Second},
		{"html-ish", strings.Repeat("<a>", depth) + "\n", 2 * time.Second},
		{"quotes-100", strings.Repeat("> ", 100) + "x\n", time.Second},
		{"lists-100", strings.Repeat("- ", 100) + "x\n", time.Second},
		{"quotes", strings.Repeat(">", depth) + " x\n", 20 * time.Second},
		{"quotes-spaced", strings.Repeat("> ", depth) + "x\n", 20 * time.Second},
		{"list-markers", strings.Repeat("- ", depth) + "x\n", 20 * time.Second},
		{"lists-indented", indented(300), 20 * time.Second},
	}
	md := newMarkdown()
	for _, in := range inputs {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		start := time.Now()
		out := md.HTML(in.src, 3)
		d := time.Since(start)
		runtime.ReadMemStats(&after)
		alloc := after.TotalAlloc - before.TotalAlloc
		t.Logf("%-15s %7d bytes in → %7d bytes out, %v, %d MB allocated", in.name, len(in.src), len(out), d.Round(time.Millisecond), alloc>>20)
		if d > in.limit || alloc > 256<<20 {
			t.Errorf("%s: %v and %d MB for %d bytes of input", in.name, d, alloc>>20, len(in.src))
		}
		if ps := htmlcheck.Check(string(out), htmlcheck.Options{}); len(ps) > 0 {
			t.Errorf("%s: %v", in.name, ps[0])
		}
	}
}
