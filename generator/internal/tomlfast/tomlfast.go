// Package tomlfast decodes the plain subset of TOML that content files are
// written in, several times faster than a general TOML decoder, and
// declines everything else.
//
// A million decision files are parsed on every check; ~60 µs of a general
// decoder's time per file was most of it. Case front matter uses a narrow
// part of TOML: bare keys, [table] and [[array]] headers, basic strings,
// decimal integers and floats, booleans, local dates and one-line arrays.
// Decode handles exactly that and returns ok=false for anything else —
// another construct, a duplicate key, an invalid value — so the caller
// falls back to github.com/BurntSushi/toml, which then decodes the file
// or reports the error with its position. Where Decode does succeed, the
// result is the one BurntSushi's Decode into a map[string]any gives, type
// for type (int64, float64, string, bool, time.Time in its local-date zone,
// []any, map[string]any, []map[string]any): FuzzMatchesBurntSushi holds it
// to that.
package tomlfast

import (
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// localDate is the time.Location BurntSushi gives local dates (its
// internal "date-local" zone), taken from the library itself so that the
// two decoders' values compare equal.
var localDate = sync.OnceValue(func() *time.Location {
	var m map[string]any
	if _, err := toml.Decode("d = 2000-01-01", &m); err == nil {
		if t, ok := m["d"].(time.Time); ok {
			return t.Location()
		}
	}
	return nil
})

// Decode decodes src, or reports ok=false when src is outside the subset
// (or not valid TOML): the caller then uses a full decoder.
func Decode(src []byte) (m map[string]any, ok bool) {
	if !utf8.Valid(src) || localDate() == nil {
		return nil, false
	}
	d := decoder{src: src, root: map[string]any{}}
	d.cur = d.root
	if !d.run() {
		return nil, false
	}
	return d.root, true
}

type decoder struct {
	src  []byte
	p    int
	root map[string]any
	cur  map[string]any
	// headers already opened with [name] (a second one is an error); a
	// [[name]] array's tables are its own.
	tables map[string]bool
}

func (d *decoder) run() bool {
	for d.p < len(d.src) {
		d.spaces()
		if d.p >= len(d.src) {
			return true
		}
		switch c := d.src[d.p]; {
		case c == '\n':
			d.p++
			continue
		case c == '\r' || c == '#':
			if !d.endOfLine() {
				return false
			}
			continue
		case c == '[':
			if !d.header() {
				return false
			}
		default:
			if !d.keyval() {
				return false
			}
		}
		if !d.endOfLine() {
			return false
		}
	}
	return true
}

func (d *decoder) spaces() {
	for d.p < len(d.src) && (d.src[d.p] == ' ' || d.src[d.p] == '\t') {
		d.p++
	}
}

// endOfLine accepts optional spaces, an optional comment and the end of the
// line (or of the input).
func (d *decoder) endOfLine() bool {
	d.spaces()
	if d.p < len(d.src) && d.src[d.p] == '#' {
		for d.p < len(d.src) && d.src[d.p] != '\n' && d.src[d.p] != '\r' {
			if c := d.src[d.p]; (c < 0x20 && c != '\t') || c == 0x7f {
				return false
			}
			d.p++
		}
	}
	switch {
	case d.p >= len(d.src):
		return true
	case d.src[d.p] == '\n':
		d.p++
		return true
	case d.src[d.p] == '\r' && d.p+1 < len(d.src) && d.src[d.p+1] == '\n':
		d.p += 2
		return true
	}
	return false
}

func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

func (d *decoder) bareKey() (string, bool) {
	start := d.p
	for d.p < len(d.src) && isBare(d.src[d.p]) {
		d.p++
	}
	if d.p == start {
		return "", false
	}
	return string(d.src[start:d.p]), true
}

// header handles [name] and [[name]] with one bare name, at the root.
func (d *decoder) header() bool {
	d.p++ // '['
	array := d.p < len(d.src) && d.src[d.p] == '['
	if array {
		d.p++
	}
	d.spaces()
	name, ok := d.bareKey()
	if !ok {
		return false
	}
	d.spaces()
	if d.p >= len(d.src) || d.src[d.p] != ']' {
		return false
	}
	d.p++
	if array {
		if d.p >= len(d.src) || d.src[d.p] != ']' {
			return false
		}
		d.p++
	}
	t := map[string]any{}
	switch prev, exists := d.root[name]; {
	case array && !exists:
		d.root[name] = []map[string]any{t}
	case array:
		list, ok := prev.([]map[string]any)
		if !ok || d.tables[name] {
			return false
		}
		d.root[name] = append(list, t)
	case exists || d.tables[name]:
		return false // redefined, or implicitly made: leave it to the full decoder
	default:
		d.root[name] = t
		if d.tables == nil {
			d.tables = map[string]bool{}
		}
		d.tables[name] = true
	}
	d.cur = t
	return true
}

func (d *decoder) keyval() bool {
	key, ok := d.bareKey()
	if !ok {
		return false
	}
	d.spaces()
	if d.p >= len(d.src) || d.src[d.p] != '=' {
		return false
	}
	d.p++
	d.spaces()
	if _, dup := d.cur[key]; dup {
		return false
	}
	v, ok := d.value(true)
	if !ok {
		return false
	}
	d.cur[key] = v
	return true
}

// value reads one value; arrays only at the top (no nesting).
func (d *decoder) value(arrays bool) (any, bool) {
	if d.p >= len(d.src) {
		return nil, false
	}
	switch c := d.src[d.p]; {
	case c == '"':
		return d.basicString()
	case c == '[' && arrays:
		return d.array()
	case c == 't':
		return d.word("true", true)
	case c == 'f':
		return d.word("false", false)
	case c == '-' || c >= '0' && c <= '9':
		return d.number()
	}
	return nil, false
}

func (d *decoder) word(w string, v bool) (any, bool) {
	if len(d.src)-d.p < len(w) || string(d.src[d.p:d.p+len(w)]) != w {
		return nil, false
	}
	d.p += len(w)
	if d.p < len(d.src) && isBare(d.src[d.p]) {
		return nil, false
	}
	return v, true
}

// array reads a one-line array of scalars: [a, b, c] with an optional
// trailing comma.
func (d *decoder) array() (any, bool) {
	d.p++ // '['
	out := []any{}
	for {
		d.spaces()
		if d.p >= len(d.src) {
			return nil, false
		}
		if d.src[d.p] == ']' {
			d.p++
			return out, true
		}
		v, ok := d.value(false)
		if !ok {
			return nil, false
		}
		out = append(out, v)
		d.spaces()
		if d.p >= len(d.src) {
			return nil, false
		}
		switch d.src[d.p] {
		case ',':
			d.p++
		case ']':
			d.p++
			return out, true
		default:
			return nil, false
		}
	}
}

// basicString reads "..." with TOML's escapes; a raw control character, a
// line break or an unknown escape declines.
func (d *decoder) basicString() (any, bool) {
	d.p++ // '"'
	if d.p+1 < len(d.src) && d.src[d.p] == '"' && d.src[d.p+1] == '"' {
		return nil, false // """ multi-line string
	}
	start := d.p
	plain := true
	for ; d.p < len(d.src); d.p++ {
		c := d.src[d.p]
		switch {
		case c == '"':
			if plain {
				s := string(d.src[start:d.p])
				d.p++
				return s, true
			}
			s, ok := unescape(d.src[start:d.p])
			d.p++
			return s, ok
		case c == '\\':
			plain = false
			d.p++ // the escaped byte; unescape checks it
			if d.p >= len(d.src) {
				return nil, false
			}
		case (c < 0x20 && c != '\t') || c == 0x7f:
			return nil, false
		}
	}
	return nil, false
}

func unescape(raw []byte) (string, bool) {
	b := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' {
			if (c < 0x20 && c != '\t') || c == 0x7f {
				return "", false
			}
			b = append(b, c)
			continue
		}
		i++
		if i >= len(raw) {
			return "", false
		}
		switch raw[i] {
		case '"':
			b = append(b, '"')
		case '\\':
			b = append(b, '\\')
		case 'n':
			b = append(b, '\n')
		case 't':
			b = append(b, '\t')
		case 'r':
			b = append(b, '\r')
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'u', 'U':
			n := 4
			if raw[i] == 'U' {
				n = 8
			}
			if i+1+n > len(raw) {
				return "", false
			}
			v, err := strconv.ParseUint(string(raw[i+1:i+1+n]), 16, 32)
			if err != nil || !utf8.ValidRune(rune(v)) {
				return "", false
			}
			b = utf8.AppendRune(b, rune(v))
			i += n
		default:
			return "", false
		}
	}
	return string(b), true
}

// number reads a decimal integer (no underscores, no leading zeros, no
// sign but '-'), a float with a fraction (no exponent) or a local date.
func (d *decoder) number() (any, bool) {
	start := d.p
	if d.src[d.p] == '-' {
		d.p++
	}
	digits := d.p
	for d.p < len(d.src) && d.src[d.p] >= '0' && d.src[d.p] <= '9' {
		d.p++
	}
	n := d.p - digits
	if n == 0 {
		return nil, false
	}
	if d.p < len(d.src) && d.src[d.p] == '-' && start == digits && n == 4 {
		return d.date(start)
	}
	if n > 1 && d.src[digits] == '0' {
		return nil, false
	}
	float := false
	if d.p < len(d.src) && d.src[d.p] == '.' {
		d.p++
		frac := d.p
		for d.p < len(d.src) && d.src[d.p] >= '0' && d.src[d.p] <= '9' {
			d.p++
		}
		if d.p == frac {
			return nil, false
		}
		float = true
	}
	if d.p < len(d.src) && (isBare(d.src[d.p]) || d.src[d.p] == '.' || d.src[d.p] == ':' || d.src[d.p] == '+') {
		return nil, false // exponent, underscore, time… : not ours
	}
	text := string(d.src[start:d.p])
	if float {
		f, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return nil, false
		}
		return f, true
	}
	i, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return nil, false
	}
	return i, true
}

// date reads YYYY-MM-DD (the year already consumed) as BurntSushi does: a
// time.Time at midnight in its local-date zone; an impossible date
// declines.
func (d *decoder) date(start int) (any, bool) {
	if len(d.src)-start < 10 {
		return nil, false
	}
	s := d.src[start : start+10]
	if s[4] != '-' || s[7] != '-' {
		return nil, false
	}
	for _, i := range []int{0, 1, 2, 3, 5, 6, 8, 9} {
		if s[i] < '0' || s[i] > '9' {
			return nil, false
		}
	}
	d.p = start + 10
	if d.p < len(d.src) && (isBare(d.src[d.p]) || d.src[d.p] == ':' || d.src[d.p] == '.' || d.src[d.p] == '+') {
		return nil, false // a date-time: not ours
	}
	y, _ := strconv.Atoi(string(s[0:4]))
	mo, _ := strconv.Atoi(string(s[5:7]))
	day, _ := strconv.Atoi(string(s[8:10]))
	t := time.Date(y, time.Month(mo), day, 0, 0, 0, 0, localDate())
	if t.Year() != y || int(t.Month()) != mo || t.Day() != day {
		return nil, false
	}
	return t, true
}
