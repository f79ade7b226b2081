package search

import (
	_ "embed"
	"strings"
	"unicode/utf8"
)

// The folding rules below are implemented twice, here and in
// web/js/search-engine.js (normChar, isSep). The Traditional → Simplified table is
// not: Go reads t2s.txt and writes it into the index (search/t2s.bin), and
// the browser reads it from there, so the two cannot drift. A browser test
// (TestBrowserNormalizeMatchesGo) runs both implementations on the same
// strings and compares them.

//go:embed t2s.txt
var t2sText string

// t2s maps a Traditional (or variant) character to its Simplified form:
// OpenCC's TSCharacters, single characters only, closed (no target is a key).
var t2s = parseT2S(t2sText)

func parseT2S(s string) map[rune]rune {
	m := make(map[rune]rune, 3300)
	for _, line := range strings.Split(s, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		k, size := utf8.DecodeRuneInString(line)
		v, _ := utf8.DecodeRuneInString(line[size+1:])
		m[k] = v
	}
	return m
}

// foldRune folds one character: width (full-width ASCII → ASCII, ideographic
// space → space), brackets (〔〕［］【】()（）〖〗 and the like → "()"),
// hyphen variants → "-", ASCII letters → lower case, control characters →
// space, Traditional → Simplified. It returns -1 for characters that are
// dropped (zero-width and bidi controls, soft hyphen, BOM).
func foldRune(r rune) rune {
	if r >= 0xFF01 && r <= 0xFF5E { // full-width ASCII
		r -= 0xFEE0
	}
	if r < 0x80 {
		switch {
		case r >= 'A' && r <= 'Z':
			return r + ('a' - 'A')
		case r < 0x20 || r == 0x7F:
			return ' '
		case r == '[' || r == '{':
			return '('
		case r == ']' || r == '}':
			return ')'
		}
		return r
	}
	switch r {
	case 0xAD, 0xFEFF:
		return -1
	case 0xA0, 0x3000, 0x2028, 0x2029:
		return ' '
	case 0x3010, 0x3014, 0x3016, 0x3018, 0x301A, 0x2985, 0xFF5F, 0xFE59, 0xFE5B, 0xFE5D, 0xFE35, 0xFE37, 0xFE39, 0xFE3B:
		return '('
	case 0x3011, 0x3015, 0x3017, 0x3019, 0x301B, 0x2986, 0xFF60, 0xFE5A, 0xFE5C, 0xFE5E, 0xFE36, 0xFE38, 0xFE3A, 0xFE3C:
		return ')'
	case 0x2010, 0x2011, 0x2012, 0x2013, 0x2212, 0xFE58, 0xFE63:
		return '-'
	}
	switch {
	case r >= 0x200B && r <= 0x200F, r >= 0x202A && r <= 0x202E, r >= 0x2060 && r <= 0x2064:
		return -1
	case r >= 0x2000 && r <= 0x200A:
		return ' '
	}
	if s, ok := t2s[r]; ok {
		return s
	}
	return r
}

// Normalize folds s for matching: Traditional → Simplified, full-width →
// half-width, ASCII lower case, the bracket variants of 文号 (〔〕［］【】()（）
// and others) to "()", hyphen variants to "-", zero-width characters
// removed. It works character by character (one rune in, at most one rune
// out), is idempotent, and is exactly what web/js/search-engine.js does to a query.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if f := foldRune(r); f >= 0 {
			b.WriteRune(f)
		}
	}
	return b.String()
}

// isWordByte reports an ASCII letter or digit (after folding).
func isWordByte(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

// isJoiner reports ASCII punctuation that separates words but does not break
// a group: "〔2025〕12号" folds to "(2025)12号" and stays one group, so "2025"
// and "12" are adjacent units; so do codes like "4407-SCJG-CF-0001".
func isJoiner(c byte) bool {
	switch c {
	case '(', ')', '-', '_', '.', '/', '#':
		return true
	}
	return false
}

// isSep reports a folded non-ASCII character that separates groups
// (punctuation, symbols, spaces). Every other non-ASCII character is a unit
// on its own (a Han character, kana, a Latin letter with diacritics…).
func isSep(r rune) bool {
	switch {
	case r < 0x80:
		return false // ASCII is classified by the caller
	case r <= 0xBF, r == 0xD7, r == 0xF7:
		return true
	case r >= 0x2000 && r <= 0x206F, r >= 0x20A0 && r <= 0x20CF, r >= 0x2100 && r <= 0x214F,
		r >= 0x2190 && r <= 0x2BFF, r >= 0x2E00 && r <= 0x2E7F:
		return true
	case r >= 0x3000 && r <= 0x303F:
		return !(r >= 0x3005 && r <= 0x3007) && !(r >= 0x3021 && r <= 0x3029)
	case r == 0x30FB, r >= 0xD800 && r <= 0xDFFF, r >= 0xE000 && r <= 0xF8FF:
		return true
	case r >= 0xFE10 && r <= 0xFE1F, r >= 0xFE30 && r <= 0xFE6F, r >= 0xFF00 && r <= 0xFF65, r >= 0xFFE0 && r <= 0xFFFF:
		return true
	case r >= 0x1F000 && r <= 0x1FAFF:
		return true
	}
	return false
}
