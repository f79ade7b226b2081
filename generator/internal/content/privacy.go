package content

import (
	"strings"

	"zfgs/generator/internal/diag"
	"zfgs/generator/internal/pii"
)

// piiExempt are the string fields that are codes, not free text: the privacy
// rule does not apply to them (credit codes and certificate numbers are
// public, ids are ASCII codes).
var piiExempt = map[string]bool{
	"credit_code": true, "cert_no": true, "id": true, "code": true, "item": true,
	"refines": true, "parent": true, "benchmark": true, "leniency": true,
	"superseded_by": true, "base_url": true, "site_code": true,
}

// scanPII reports E_PII for personal data in the string value of key.
func (t table) scanPII(key, value string, path string) {
	if piiExempt[key] {
		return
	}
	ms := pii.Find(value)
	if len(ms) == 0 {
		return
	}
	vp := t.f.at(path)
	skip := 0
	if t.f.multilineStartsWithNewline(vp) {
		skip = 1 // TOML drops the newline right after an opening """
	}
	for _, m := range ms {
		nl := strings.Count(value[:m.Start], "\n")
		pos := vp
		if nl+skip > 0 {
			pos.Line += nl + skip
			pos.Col = 1 + runeCount(value[strings.LastIndexByte(value[:m.Start], '\n')+1:m.Start])
		} else {
			pos.Col += 1 + runeCount(value[:m.Start]) // after the opening quote
		}
		reportPII(t.f.diags, pos, m.Kind)
	}
}

func reportPII(diags *diag.List, pos diag.Pos, k pii.Kind) {
	diags.Add(pos, diag.EPII, "公示文本中出现疑似%s：请在源文件中删除或遮蔽（如只保留前 3 位和后 4 位，中间用 * 代替）", k)
}

// scanBodyPII reports E_PII in a Markdown body whose first line is bodyLine.
func scanBodyPII(diags *diag.List, file, body string, bodyLine int) {
	for _, m := range pii.Find(body) {
		ls := strings.LastIndexByte(body[:m.Start], '\n') + 1
		reportPII(diags, diag.Pos{File: file, Line: bodyLine + strings.Count(body[:m.Start], "\n"), Col: 1 + runeCount(body[ls:m.Start])}, m.Kind)
	}
}

func runeCount(s string) int { return len([]rune(s)) }

// multilineStartsWithNewline reports whether the value at p opens a
// multi-line string whose first line is otherwise empty.
func (f *file) multilineStartsWithNewline(p diag.Pos) bool {
	line := f.line(p.Line)
	r := []rune(line)
	if p.Col-1 >= len(r) {
		return false
	}
	rest := string(r[p.Col-1:])
	for _, q := range []string{`"""`, `'''`} {
		if strings.HasPrefix(rest, q) {
			return strings.TrimSpace(strings.TrimPrefix(rest, q)) == ""
		}
	}
	return false
}

// line returns the text of a 1-based line of the real file.
func (f *file) line(n int) string {
	n -= f.lineOffset
	src := f.src
	for i := 1; i < n; i++ {
		j := strings.IndexByte(src, '\n')
		if j < 0 {
			return ""
		}
		src = src[j+1:]
	}
	if j := strings.IndexByte(src, '\n'); j >= 0 {
		src = src[:j]
	}
	return strings.TrimRight(src, "\r")
}
