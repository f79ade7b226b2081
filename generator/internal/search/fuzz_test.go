package search

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzQuery checks the invariants of normalising and tokenising:
// Normalize is idempotent and rune-for-rune; a query never plans more than
// maxQueryTokens tokens, nor an empty or repeated one; a title is found by
// itself and by any of its substrings (short cut-off word fragments aside).
//
//	go test ./generator/internal/search -run '^$' -fuzz FuzzQuery -fuzztime 60s
func FuzzQuery(f *testing.F) {
	for _, s := range queryCorpus() {
		f.Add(s, uint8(1), uint8(5))
	}
	for _, s := range []string{
		"江门市某某食品有限公司销售不符合食品安全标准的食品案", "江市监处罚〔2025〕12号", "4407-SCJG-CF-0001",
		"91440700MA4UABCD12", "王某某", "(((", ")a(", "a)(b", "-12-", "\x00\xff\xfe", "\u3000\u200b\ufeff",
		"ＡＢＣ－１２３（４）", "【２０２５】１２号", "執法證號44070012345", "x y z w v u t", strings.Repeat("食品", 200),
		strings.Repeat("a1", 100),
	} {
		f.Add(s, uint8(0), uint8(255))
	}
	f.Fuzz(func(t *testing.T, s string, i, j uint8) {
		n := Normalize(s)
		if Normalize(n) != n {
			t.Fatalf("Normalize not idempotent: %q → %q → %q", s, n, Normalize(n))
		}
		if utf8.ValidString(s) && utf8.RuneCountInString(n) > utf8.RuneCountInString(s) {
			t.Fatalf("Normalize added runes: %q → %q", s, n)
		}
		p := PlanQuery(s)
		if len(p.Tokens) > maxQueryTokens || len(p.Groups) > maxQueryGroups {
			t.Fatalf("%q: %d tokens, %d groups", s, len(p.Tokens), len(p.Groups))
		}
		seen := map[string]bool{}
		for _, tok := range p.Tokens {
			if tok == "" || seen[tok] {
				t.Fatalf("%q: empty or repeated token in %q", s, p.Tokens)
			}
			seen[tok] = true
		}
		if p.Exact && (p.Units == 0 || len(p.Tokens) == 0) {
			t.Fatalf("%q: exact with %d units", s, p.Units)
		}
		if PlanQuery(n).Tokens == nil != (p.Tokens == nil) {
			t.Fatalf("%q: planning the normalised query differs", s)
		}

		// A title is found by itself, and by its substrings.
		have := map[string]bool{}
		indexField(n, true, nil, func(t string) { have[t] = true })
		check := func(q string) {
			toks := PlanQuery(q).Tokens
			if len(toks) == 0 || onlyShortWords(toks) {
				return
			}
			for _, tok := range toks {
				if !have[tok] {
					t.Fatalf("title %q: query %q looks up %q, not among its tokens", s, q, tok)
				}
			}
		}
		check(s)
		// Trigrams cover a word's first maxTrigramChars characters (a
		// documented limit: no real code or number is that long), so a
		// fragment from beyond them is out of scope.
		r := []rune(n)
		if a, b := int(i), int(j); a < b && b <= len(r) && !hasLongWord(n) {
			check(string(r[a:b]))
		}
	})
}

// hasLongWord reports an ASCII letter-or-digit run longer than maxTrigramChars.
func hasLongWord(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			run++
			if run > maxTrigramChars {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}
