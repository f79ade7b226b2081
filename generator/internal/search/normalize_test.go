package search

import (
	"slices"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"執法", "执法"},
		{"行政執法決定書", "行政执法决定书"},
		{"髮廊與發票", "发廊与发票"},
		{"ＡＢＣ１２３", "abc123"},
		{"ｘｙ－ＺＺ（１）", "xy-zz(1)"},
		{"江市监处罚〔2025〕12号", "江市监处罚(2025)12号"},
		{"江市监处罚[2025]12号", "江市监处罚(2025)12号"},
		{"江市监处罚（2025）12号", "江市监处罚(2025)12号"},
		{"江市监处罚［2025］12号", "江市监处罚(2025)12号"},
		{"江市监处罚【2025】12号", "江市监处罚(2025)12号"},
		{"江市监处罚〖2025〗12号", "江市监处罚(2025)12号"},
		{"江市监处罚﹝2025﹞12号", "江市监处罚(2025)12号"},
		{"{a}", "(a)"},
		{"4407–SCJG—CF", "4407-scjg—cf"}, // en dash folds, em dash stays (prose punctuation)
		{"a\u200bb\u00adc\ufeffd", "abcd"},
		{"全角　空格\t制表", "全角 空格 制表"},
		{"，。！？：；", ",。!?:;"},
		{"《中华人民共和国行政处罚法》", "《中华人民共和国行政处罚法》"},
		{"Ünïcode ÀB", "Ünïcode Àb"}, // only ASCII letters change case
		{"", ""},
		{"\xff", "\ufffd"},
	} {
		if got := Normalize(c.in); got != c.want {
			t.Errorf("Normalize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestNormalizeIdempotentOnTable(t *testing.T) {
	for k, v := range t2s {
		if _, ok := t2s[v]; ok {
			t.Errorf("t2s %c → %c, and %c is a key too: table not closed", k, v, v)
		}
	}
	for k := range t2s {
		// search.js fetches the table only for queries with characters in
		// these ranges (hasCJK).
		if !(k >= 0x2E80 && k <= 0xFAFF || k >= 0x20000 && k <= 0x3FFFF) {
			t.Errorf("t2s key %U outside the ranges search.js checks", k)
		}
	}
	if len(t2s) < 3000 {
		t.Fatalf("t2s has %d entries; expected the OpenCC table (~3,200)", len(t2s))
	}
	var b strings.Builder
	for k := range t2s {
		b.WriteRune(k)
	}
	n := Normalize(b.String())
	if Normalize(n) != n {
		t.Fatal("Normalize not idempotent over the table's keys")
	}
}

func TestTokens(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"执法", []string{"执", "法", "执法"}},
		{"江门市 食品", []string{"江", "门", "江门", "市", "门市", "食", "品", "食品"}},
		{"罚〔2025〕12号", []string{"罚", "2025", "~202", "~025", "罚2", "12", "2025 12", "号", "2号"}},
		{"SCJG-CF", []string{"scjg", "~scj", "~cjg", "cf", "scjg cf"}},
		{"張某", []string{"张", "某", "张某"}},
		{"。，", nil},
	} {
		if got := Tokens(c.in); !slices.Equal(got, c.want) {
			t.Errorf("Tokens(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestPlanQuery(t *testing.T) {
	for _, c := range []struct {
		in    string
		want  []string
		units int
		exact bool
	}{
		{"执法", []string{"执法"}, 2, true},
		{"執法", []string{"执法"}, 2, true},
		{"食", []string{"食"}, 1, true},
		{"某某食品有限公司", []string{"某某", "某食", "食品", "品有", "有限", "公司"}, 8, true}, // 7 bigrams: 6 kept
		{"江门市新会区食品经营有限公司", []string{"江门", "市新", "会区", "品经", "营有", "公司"}, 14, true},
		{"[2025]12号", []string{"2025 12", "2号"}, 3, true},
		{"(2025)12号", []string{"2025 12", "2号"}, 3, true},
		{"〔2025〕12号", []string{"2025 12", "2号"}, 3, true},
		{"江市监处罚〔2025〕12号", []string{"江市", "市监", "监处", "处罚", "2025 12", "2号"}, 8, true}, // the word pair first
		{"2025年", []string{"5年", "~202", "~025"}, 2, false},
		{"23有限公司", []string{"3有", "有限", "限公", "公司"}, 5, false},
		// a bare fragment of a code: trigrams (it may sit inside a longer word)
		{"MA0000", []string{"~ma0", "~a00", "~000"}, 1, false},
		{"ＭＡ００００", []string{"~ma0", "~a00", "~000"}, 1, false},
		{"ab", []string{"ab"}, 1, false},
		// the open word at the edge is looked up by its trigrams, the rest by bigrams
		{"SCJG-CF-0001", []string{"~scj", "~cjg", "cf", "~000", "~001"}, 3, false},
		{"(SCJG-CF-0001)", []string{"scjg cf", "cf 0001"}, 3, true},
		{"江门 食品", []string{"江门", "食品"}, 0, false},
		{"，。", nil, 0, false},
	} {
		p := PlanQuery(c.in)
		if !slices.Equal(p.Tokens, c.want) || p.Units != c.units || p.Exact != c.exact {
			t.Errorf("PlanQuery(%q) = %q units %d exact %v, want %q units %d exact %v", c.in, p.Tokens, p.Units, p.Exact, c.want, c.units, c.exact)
		}
	}
}

// Any substring of a title finds it: every token a query for a substring
// looks up is among the title's tokens. (Fragments that cut an ASCII word
// and keep fewer than three of its characters are looked up whole and are
// the documented exception.)
func TestSubstringFindsTitle(t *testing.T) {
	titles := []string{
		"江门市新会区食品123有限公司销售不符合食品安全标准的食品案",
		"江市监处罚〔2025〕12号",
		"4407-SCJG-CF-0001 对销售不符合食品安全标准的食品的处罚",
		"91440700MA4UABCD12",
		"王某某无证经营案",
	}
	for _, title := range titles {
		have := map[string]bool{}
		for _, tok := range Tokens(title) {
			have[tok] = true
		}
		r := []rune(title)
		for i := 0; i < len(r); i++ {
			for j := i + 1; j <= len(r); j++ {
				q := string(r[i:j])
				toks := QueryTokens(q)
				if onlyShortWords(toks) {
					continue
				}
				for _, tok := range toks {
					if !have[tok] {
						t.Errorf("query %q (substring of %q) looks up %q, which the title is not indexed under", q, title, tok)
					}
				}
			}
		}
	}
}

// onlyShortWords: the query is one or two ASCII characters of a word,
// looked up whole (the documented exception).
func onlyShortWords(toks []string) bool {
	for _, t := range toks {
		if len(t) >= 3 || t[0] >= 0x80 {
			return false
		}
	}
	return true
}
