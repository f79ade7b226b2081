package search

import (
	"unicode/utf8"
)

// Tokenising.
//
// Normalised text is cut into groups at separators (spaces, Chinese and
// ASCII punctuation other than the joiners, symbols). A group is a sequence
// of units: each non-ASCII character is a unit, and each run of ASCII
// letters and digits (a "word": 2025, scjg, 91440700ma00000000) is one unit.
// Joiners ( ) - _ . / # sit between units without ending the group, so
// "〔2025〕12号" → "(2025)12号" is the units 2025 12 号.
//
// A field is indexed as:
//   - the bigram of every two adjacent units in a group: "执法"; a word
//     next to a character pairs by its adjacent character ("罚2", "2号"
//     for 罚〔2025〕12号); two words pair whole, joined by a space
//     ("2025 12");
//   - every ASCII word whole, and its character trigrams ("~914", "~144",
//     …, at most maxTrigramChars characters into the word) so that a
//     fragment of three or more characters of a code finds it;
//   - in short fields only (titles, names, codes: ≤ shortField bytes) every
//     non-ASCII unit alone, so that a one-character query finds names.
//
// A query group of one unit looks up that unit; a longer group looks up its
// adjacent-unit bigrams, and its words whole. An ASCII word at the open
// edge of a query group (nothing but the group's edge next to it) may be
// cut from a longer word, so it is looked up by its trigrams instead and
// pairs with no other word; that is what makes "any substring of a name or
// a code finds it" hold. (A fragment of one or two characters cut from a
// word is only matched through its neighbours, or whole when it is all the
// query has.)

const (
	shortField      = 300 // bytes of normalised text: unigrams are indexed up to this length
	maxTrigramChars = 40  // trigrams of a word are taken from its first 40 characters
	maxGroupTokens  = 6   // a query group looks up at most this many tokens
	maxQueryTokens  = 10  // and a query at most this many
	maxQueryGroups  = 4   // further groups of a query are ignored
	trigramMark     = "~" // prefix of character-trigram tokens (never part of a unit)
	agencyMark      = "@a:"
)

// unit is one unit of a group: byte offsets into the normalised text.
type unit struct {
	start, end   int
	ascii        bool
	openL, openR bool // an ASCII word touching the group's edge with no joiner in between
}

// groups calls fn with the units of each group of the normalised text n.
// The slice is reused between calls.
func groups(n string, buf []unit, fn func(us []unit)) []unit {
	us := buf[:0]
	leadJoin, trailJoin := false, false
	flush := func() {
		if len(us) > 0 {
			if f := &us[0]; f.ascii && !leadJoin {
				f.openL = true
			}
			if l := &us[len(us)-1]; l.ascii && !trailJoin {
				l.openR = true
			}
			fn(us)
		}
		us = us[:0]
		leadJoin, trailJoin = false, false
	}
	for i := 0; i < len(n); {
		c := n[i]
		if c < utf8.RuneSelf {
			switch {
			case isWordByte(c):
				j := i + 1
				for j < len(n) && isWordByte(n[j]) {
					j++
				}
				us = append(us, unit{start: i, end: j, ascii: true})
				trailJoin = false
				i = j
			case isJoiner(c):
				if len(us) == 0 {
					leadJoin = true
				} else {
					trailJoin = true
				}
				i++
			default:
				flush()
				i++
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(n[i:])
		if isSep(r) {
			flush()
		} else {
			us = append(us, unit{start: i, end: i + size})
			trailJoin = false
		}
		i += size
	}
	flush()
	return us
}

// bigram is the token of two adjacent units: two non-ASCII characters
// ("执法"), a character and the adjacent character of a word ("罚2" for
// 罚2025, "5年" for 2025年, so that a fragment cut inside the word still
// matches), or two whole words joined by a space ("2025 12").
func bigram(n string, a, b unit) string {
	switch {
	case a.ascii && b.ascii:
		return n[a.start:a.end] + " " + n[b.start:b.end]
	case b.ascii:
		if a.end == b.start {
			return n[a.start : b.start+1] // a substring: no allocation
		}
		return n[a.start:a.end] + n[b.start:b.start+1]
	case a.ascii:
		if a.end == b.start {
			return n[a.end-1 : b.end]
		}
		return n[a.end-1:a.end] + n[b.start:b.end]
	}
	if a.end == b.start {
		return n[a.start:b.end]
	}
	return n[a.start:a.end] + n[b.start:b.end]
}

// trigrams calls emit for the character trigrams of an ASCII word.
func trigrams(w string, emit func(string)) {
	if len(w) > maxTrigramChars {
		w = w[:maxTrigramChars]
	}
	for k := 0; k+3 <= len(w); k++ {
		emit(trigramToken(w[k : k+3]))
	}
}

// trigramToken interns "~abc" for the 36³ ASCII trigrams, so tokenising a
// code does not allocate.
func trigramToken(t string) string {
	i := alnumIndex(t[0])*1296 + alnumIndex(t[1])*36 + alnumIndex(t[2])
	return trigramTable[i]
}

func alnumIndex(c byte) int {
	if c <= '9' {
		return int(c - '0')
	}
	return int(c-'a') + 10
}

var trigramTable = func() []string {
	const chars = "0123456789abcdefghijklmnopqrstuvwxyz"
	t := make([]string, 36*36*36)
	for i := range t {
		t[i] = trigramMark + string([]byte{chars[i/1296], chars[i/36%36], chars[i%36]})
	}
	return t
}()

// indexField calls emit for every token of one normalised field (with
// repeats). short fields also index each non-ASCII unit alone.
func indexField(n string, short bool, buf []unit, emit func(string)) []unit {
	return groups(n, buf, func(us []unit) {
		for i, u := range us {
			w := n[u.start:u.end]
			if u.ascii {
				emit(w)
				if len(w) >= 3 {
					trigrams(w, emit)
				}
			} else if short {
				emit(w)
			}
			if i > 0 {
				emit(bigram(n, us[i-1], u))
			}
		}
	})
}

// Tokens returns the tokens a short field (a title, a name, a code) with
// text s is indexed under, without repeats, in order of first appearance.
// Long fields (bodies) are indexed the same way except that single
// non-ASCII characters are left out.
func Tokens(s string) []string {
	n := Normalize(s)
	var out []string
	seen := map[string]bool{}
	indexField(n, len(n) <= shortField, nil, func(t string) {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	})
	return out
}

// Plan is what a query looks up.
type Plan struct {
	Tokens []string // every one must match (AND), without repeats
	Units  int      // units of the query when it is one group, else 0
	Exact  bool     // a document whose title or key has exactly these units ranks first
	Groups []string // the normalised groups, for highlighting
}

// QueryTokens returns the tokens a query looks up; all must match.
func QueryTokens(q string) []string { return PlanQuery(q).Tokens }

// PlanQuery turns a query into the tokens to look up. web/js/search-engine.js
// (planQuery) does the same; the browser test compares them.
func PlanQuery(q string) Plan {
	n := Normalize(q)
	var p Plan
	seen := map[string]bool{}
	ngroups := 0
	anyPartial := false
	var fallback []string // fragments of one or two characters, used when nothing else is left
	groups(n, nil, func(us []unit) {
		if ngroups >= maxQueryGroups {
			return
		}
		ngroups++
		p.Groups = append(p.Groups, n[us[0].start:us[len(us)-1].end])
		p.Units = len(us)
		var toks []string
		partial := func(u unit) bool { return u.ascii && (u.openL || u.openR) }
		if len(us) == 1 {
			u := us[0]
			w := n[u.start:u.end]
			switch {
			case !partial(u):
				toks = append(toks, w)
			case len(w) >= 3:
				trigrams(w, func(t string) { toks = append(toks, t) })
			default:
				fallback = append(fallback, w)
			}
			anyPartial = anyPartial || partial(u)
		} else {
			// Bigrams; two words only when both are whole.
			paired := make([]bool, len(us))
			for i := 1; i < len(us); i++ {
				a, b := us[i-1], us[i]
				if a.ascii && b.ascii {
					if partial(a) || partial(b) {
						continue
					}
					paired[i-1], paired[i] = true, true
				}
				toks = append(toks, bigram(n, a, b))
			}
			// Words: whole ones not in a word pair are looked up whole; a
			// fragment (maybe cut from a longer word) by its trigrams.
			var short []string
			for i, u := range us {
				if !u.ascii {
					continue
				}
				w := n[u.start:u.end]
				switch {
				case partial(u):
					anyPartial = true
					if len(w) >= 3 {
						trigrams(w, func(t string) { toks = append(toks, t) })
					} else {
						short = append(short, w)
					}
				case !paired[i]:
					toks = append(toks, w)
				}
			}
			fallback = append(fallback, short...)
		}
		for _, t := range choose(dedup(toks), maxGroupTokens) {
			if !seen[t] && len(p.Tokens) < maxQueryTokens {
				seen[t] = true
				p.Tokens = append(p.Tokens, t)
			}
		}
	})
	if len(p.Tokens) == 0 {
		p.Tokens = dedup(fallback)
	}
	if ngroups != 1 {
		p.Units = 0
	}
	p.Exact = ngroups == 1 && !anyPartial && len(p.Tokens) > 0
	return p
}

func dedup(ts []string) []string {
	out := ts[:0:0]
	seen := map[string]bool{}
	for _, t := range ts {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// choose keeps at most max tokens: first whole words and word pairs (the
// most selective), then the others (bigrams, trigrams) evenly spread, first
// and last included; the kept tokens stay in query order. Every token of a
// dense one costs a bitmap download, so long queries look up a sample.
func choose(ts []string, max int) []string {
	if len(ts) <= max {
		return ts
	}
	keep := make([]bool, len(ts))
	var rest []int
	n := 0
	for i, t := range ts {
		if isWordToken(t) && n < max {
			keep[i] = true
			n++
		} else {
			rest = append(rest, i)
		}
	}
	if m := max - n; m == 1 {
		keep[rest[0]] = true
	} else if m > 1 {
		for k := 0; k < m; k++ {
			keep[rest[k*(len(rest)-1)/(m-1)]] = true
		}
	}
	out := make([]string, 0, max)
	for i, t := range ts {
		if keep[i] {
			out = append(out, t)
		}
	}
	return out
}

// isWordToken: a whole ASCII word or a pair of them.
func isWordToken(t string) bool {
	if t == "" || t[0] == trigramMark[0] {
		return false
	}
	for i := 0; i < len(t); i++ {
		if t[i] >= 0x80 {
			return false
		}
	}
	return true
}
