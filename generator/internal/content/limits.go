package content

import (
	"errors"
	"strings"

	"zfgs/generator/internal/diag"
	"zfgs/generator/internal/safefs"
)

// MaxMarkdownDepth is the deepest nesting of Markdown block containers
// (block quotes and lists) accepted. Goldmark's time grows with the square
// of the depth (40,000 nested list markers on one line take seconds; a
// 64 MB body of them would take hours), and no published document nests
// more than a few levels.
const MaxMarkdownDepth = 100

// markdownDepth estimates the block nesting of src line by line: the
// container markers (">", "-", "*", "+", "1." or "1)") that open the line,
// plus its leading indentation in steps of two columns (how nested lists
// are written). It returns the deepest line's depth and its 0-based index.
func markdownDepth(src string) (depth, line int) {
	n := 0
	for len(src) > 0 {
		l := src
		if i := strings.IndexByte(src, '\n'); i >= 0 {
			l, src = src[:i], src[i+1:]
		} else {
			src = ""
		}
		if d := lineDepth(l); d > depth {
			depth, line = d, n
		}
		n++
	}
	return depth, line
}

func lineDepth(l string) int {
	cols := 0
	i := 0
	for ; i < len(l) && (l[i] == ' ' || l[i] == '\t'); i++ {
		if l[i] == '\t' {
			cols += 4
		} else {
			cols++
		}
	}
	d := cols / 2
	for i < len(l) {
		switch c := l[i]; {
		case c == '>':
			i++
		case (c == '-' || c == '*' || c == '+') && (i+1 == len(l) || l[i+1] == ' ' || l[i+1] == '\t'):
			i++
		case c >= '0' && c <= '9':
			j := i
			for j < len(l) && j-i < 9 && l[j] >= '0' && l[j] <= '9' {
				j++
			}
			if j < len(l) && (l[j] == '.' || l[j] == ')') && (j+1 == len(l) || l[j+1] == ' ' || l[j+1] == '\t') {
				i = j + 1
			} else {
				return d
			}
		default:
			return d
		}
		d++
		for i < len(l) && (l[i] == ' ' || l[i] == '\t') {
			i++
		}
	}
	return d
}

// checkMarkdownBody reports E_LIMIT for a Markdown body (first line
// bodyLine) nested deeper than MaxMarkdownDepth.
func checkMarkdownBody(diags *diag.List, file, body string, bodyLine int) {
	if d, line := markdownDepth(body); d > MaxMarkdownDepth {
		diags.Add(diag.Pos{File: file, Line: bodyLine + line, Col: 1}, diag.ELimit,
			"Markdown 的引用或列表嵌套了 %d 层，超过上限 %d 层：请减少“>”“-”“1.”的层数或缩进", d, MaxMarkdownDepth)
	}
}

// markdown reads a Markdown string field (duties, notes), checking its
// nesting like a body's.
func (t table) markdown(key string) string {
	s := t.str(key, false)
	if d, line := markdownDepth(s); d > MaxMarkdownDepth {
		t.f.diags.Add(t.pos(key), diag.ELimit,
			"%s 的 Markdown 第 %d 行的引用或列表嵌套了 %d 层，超过上限 %d 层：请减少“>”“-”“1.”的层数或缩进", key, line+1, d, MaxMarkdownDepth)
	}
	return s
}

// tooLarge reports a file refused by safefs for its size; it says whether
// err was that.
func tooLarge(diags *diag.List, name string, err error) bool {
	var big *safefs.TooLargeError
	if !errors.As(err, &big) {
		return false
	}
	diags.Add(diag.Pos{File: name}, diag.ELimit,
		"文件过大（%d MB），超过单个内容文件 %d MB 的上限：请删去嵌入的大段内容或拆分文件", big.Size>>20, big.Limit>>20)
	return true
}
