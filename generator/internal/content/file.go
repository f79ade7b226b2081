// Package content reads the site's files (config.toml, calendar.toml, agency
// folders, case files) into the model, keeping the position of every value so
// that any later rule can point at it. It reads through an fs.FS so that tests
// run on in-memory sites.
package content

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"zfgs/generator/internal/diag"
	"zfgs/generator/internal/tomlfast"
	"zfgs/generator/internal/tomlpos"
)

// file is one parsed TOML document (a .toml file or a case's front matter).
type file struct {
	name       string // path relative to the site root
	src        string // the TOML text (front matter only, for a case)
	lineOffset int
	ix         *tomlpos.Index
	diags      *diag.List
}

// at returns the best position of path in the file.
func (f *file) at(path string) diag.Pos {
	p := f.ix.Nearest(path)
	return diag.Pos{File: f.name, Line: p.Line, Col: p.Col}
}

// where is model.Where for one table of a file.
type where struct {
	f    *file
	path string
}

func (w where) Field(name string) diag.Pos {
	return w.f.at(join(w.path, name))
}

func (w where) Written(name string) bool {
	_, ok := w.f.ix.Key(join(w.path, name))
	return ok
}

func join(base, name string) string {
	switch {
	case base == "":
		return name
	case name == "":
		return base
	}
	return base + "." + name
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// checkEncoding strips a UTF-8 BOM and reports E_ENCODING for anything that is
// not UTF-8, naming the likely encoding. It returns nil when the file is
// unusable.
func checkEncoding(name string, data []byte, diags *diag.List) []byte {
	data = bytes.TrimPrefix(data, utf8BOM)
	if utf8.Valid(data) {
		return data
	}
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += size
	}
	diags.Add(diag.Pos{File: name, Line: line, Col: col}, diag.EEncoding,
		"文件不是 UTF-8 编码（疑似 %s）：请用 WPS 或记事本“另存为”UTF-8 编码后重新提交", guessEncoding(data))
	return nil
}

// guessEncoding names the encoding a non-UTF-8 file most likely uses. Chinese
// offices mostly produce GBK/GB18030 (Windows 记事本, WPS, Excel "CSV") or
// UTF-16 (Excel "Unicode 文本").
func guessEncoding(data []byte) string {
	if len(data) >= 2 && (data[0] == 0xFF && data[1] == 0xFE || data[0] == 0xFE && data[1] == 0xFF) {
		return "UTF-16"
	}
	// GBK: lead byte 0x81–0xFE, trail byte 0x40–0xFE except 0x7F.
	pairs, bad := 0, 0
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c < 0x80 {
			continue
		}
		if c >= 0x81 && c <= 0xFE && i+1 < len(data) {
			t := data[i+1]
			if t >= 0x40 && t <= 0xFE && t != 0x7F {
				pairs++
				i++
				continue
			}
		}
		bad++
	}
	if pairs > 0 && bad == 0 {
		return "GBK/GB18030"
	}
	if bad > 0 && pairs == 0 {
		return "Latin-1/Windows-1252"
	}
	return "GBK/GB18030 或其他非 UTF-8 编码"
}

// parseTOML decodes src into a generic map and builds the position index.
// lineOffset is the line before src's first line in the real file (front
// matter starts after its "+++" line). It reports E_PARSE and returns nil on
// a syntax error.
func parseTOML(name string, src []byte, lineOffset int, diags *diag.List) (map[string]any, *file) {
	f := &file{name: name, src: string(src), lineOffset: lineOffset, ix: tomlpos.Build(src, lineOffset), diags: diags}
	// The plain TOML of nearly every content file takes the fast path;
	// anything else, errors included, goes to the full decoder, whose
	// message and position the diagnostic quotes.
	if m, ok := tomlfast.Decode(src); ok {
		return m, f
	}
	var m map[string]any
	if _, err := toml.NewDecoder(bytes.NewReader(src)).Decode(&m); err != nil {
		pos := diag.Pos{File: name, Line: lineOffset + 1, Col: 1}
		msg := err.Error()
		if pe, ok := err.(toml.ParseError); ok {
			pos.Line = lineOffset + pe.Position.Line
			pos.Col = runeCol(src, pe.Position.Start)
			msg = explainParseError(pe)
			if fixed, advice, ok := paperFix(f.line(pos.Line)); ok {
				msg = fmt.Sprintf("%s：请把这一行改为 %s（%s）", advice, fixed, pe.Message)
			}
		}
		diags.Add(pos, diag.EParse, "%s", msg)
		return nil, f
	}
	return m, f
}

// runeCol is the 1-based character column of byte offset off.
func runeCol(src []byte, off int) int {
	off = max(0, min(off, len(src)))
	start := bytes.LastIndexByte(src[:off], '\n') + 1
	return utf8.RuneCount(src[start:off]) + 1
}

// explainParseError turns the TOML library's English message into Chinese
// advice a clerk can act on; the original stays in brackets for support.
func explainParseError(pe toml.ParseError) string {
	m := pe.Message
	var zh string
	switch {
	case strings.Contains(m, "already been defined") || strings.Contains(m, "already been created") || strings.Contains(m, "was already created"):
		zh = "键或表重复定义：同一层级的字段只能写一次"
	case strings.Contains(m, "strings cannot contain newline"):
		zh = `字符串不能换行：多行文字请用三个英文双引号 """ 括起`
	case strings.Contains(m, "invalid datetime") || strings.Contains(m, "invalid date"):
		zh = "日期格式无效：应写作 2025-03-02（不加引号）"
	case strings.Contains(m, "expected '.' or '='") || strings.Contains(m, "bare keys cannot contain"):
		zh = `键名格式错误：字段名后应为英文等号“=”；中文键名须用英文双引号括起，如 "罚款" = 1`
	case strings.Contains(m, "expected value"):
		zh = "缺少取值：等号后须填写值，文字须用英文双引号括起"
	case strings.Contains(m, "unexpected EOF") || strings.Contains(m, "unterminated"):
		zh = "引号或括号未闭合"
	case strings.Contains(m, "newlines not allowed within inline tables"):
		zh = "行内表 { } 不能换行"
	default:
		zh = "TOML 语法错误：请检查该位置附近的引号、括号和等号"
	}
	return fmt.Sprintf("%s（%s）", zh, m)
}

// splitFrontMatter splits a case file into its TOML front matter (between the
// first two "+++" lines) and the Markdown body. fmLine is the line of the
// front matter's first line minus one; bodyLine is the line of the body's
// first line. ok is false when the file does not start with "+++" or the
// closing "+++" is missing.
func splitFrontMatter(data []byte) (front, body []byte, fmLine, bodyLine int, ok bool) {
	first, rest, found := cutLine(data)
	if !found && len(rest) == 0 && !isFence(first) {
		return nil, data, 0, 1, false
	}
	if !isFence(first) {
		return nil, data, 0, 1, false
	}
	line := 1
	start := len(data) - len(rest)
	off := start
	for len(rest) > 0 {
		l, r, _ := cutLine(rest)
		line++
		if isFence(l) {
			return data[start:off], r, 1, line + 1, true
		}
		off += len(rest) - len(r)
		rest = r
	}
	return data[start:], nil, 1, line + 1, false
}

func cutLine(b []byte) (line, rest []byte, found bool) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return b, nil, false
	}
	return b[:i], b[i+1:], true
}

func isFence(l []byte) bool {
	return string(bytes.TrimRight(l, " \t\r")) == "+++"
}
