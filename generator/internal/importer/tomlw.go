package importer

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"zfgs/generator/internal/model"
)

// kv is one key = value line; value is string, []string, float64, int,
// bool, []int or model.Date.
type kv struct {
	key string
	val any
}

// tbl is one [table] or [[array table]] with its lines, in order.
type tbl struct {
	header  string // "[[benchmark]]"; "" for the root table
	comment string // a comment line above the header
	fields  []kv
}

func (t *tbl) set(key string, val any) { t.fields = append(t.fields, kv{key, val}) }

// setStr sets a string field unless it is blank.
func (t *tbl) setStr(key, val string) {
	if strings.TrimSpace(val) != "" {
		t.set(key, val)
	}
}

// longText is the length above which a string is written as a multi-line
// string, easier to read and to edit in a diff.
const longText = 60

// writeTOML renders tables, a blank line between them.
func writeTOML(b *strings.Builder, tables []*tbl) {
	for i, t := range tables {
		if i > 0 {
			b.WriteByte('\n')
		}
		if t.comment != "" {
			for _, l := range strings.Split(t.comment, "\n") {
				b.WriteString("# " + l + "\n")
			}
		}
		if t.header != "" {
			b.WriteString(t.header + "\n")
		}
		for _, f := range t.fields {
			b.WriteString(tomlKey(f.key) + " = " + tomlValue(f.val) + "\n")
		}
	}
}

func tomlKey(k string) string {
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return quote(k)
		}
	}
	if k == "" {
		return `""`
	}
	return k
}

func tomlValue(v any) string {
	switch x := v.(type) {
	case string:
		if strings.Contains(x, "\n") || utf8.RuneCountInString(x) > longText {
			return multiline(x)
		}
		return quote(x)
	case []string:
		parts := make([]string, len(x))
		for i, s := range x {
			parts[i] = quote(s)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case []int:
		parts := make([]string, len(x))
		for i, n := range x {
			parts[i] = strconv.Itoa(n)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int:
		return strconv.Itoa(x)
	case bool:
		return strconv.FormatBool(x)
	case model.Date:
		return x.String()
	}
	panic(fmt.Sprintf("importer: no TOML form for %T", v))
}

// quote is a TOML basic string: ", \ and control characters escaped.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	escape(&b, s, false)
	b.WriteByte('"')
	return b.String()
}

// multiline is a TOML multi-line basic string. The newline right after the
// opening delimiter is not part of the value, so the text is exactly s.
func multiline(s string) string {
	var b strings.Builder
	b.WriteString("\"\"\"\n")
	escape(&b, s, true)
	b.WriteString(`"""`)
	return b.String()
}

func escape(b *strings.Builder, s string, newlines bool) {
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n' && newlines:
			b.WriteByte('\n')
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
}
