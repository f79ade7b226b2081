package pii

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFind(t *testing.T) {
	cases := []struct {
		in   string
		want []Kind
	}{
		{"身份证 11010519491231002X 号", []Kind{IDNumber}},
		{"手机 13812345678。", []Kind{Mobile}},
		{"手机１３８１２３４５６７８", []Kind{Mobile}},
		{"卡号 6222020200112233446", []Kind{BankCard}},
		{"信用代码 91440700MA00000000", nil},
		{"编号 A13812345678", nil},
		{"138123456789 多一位", nil},
		{"执法证号 44070010001", nil},
		{"", nil},
	}
	for _, c := range cases {
		var got []Kind
		for _, m := range Find(c.in) {
			got = append(got, m.Kind)
		}
		if len(got) != len(c.want) || (len(got) > 0 && got[0] != c.want[0]) {
			t.Errorf("Find(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestMaskIn(t *testing.T) {
	for _, c := range [][3]string{
		{"张三违法，张三改正", "张三", "张某违法，张某改正"},
		{"欧阳小明", "欧阳小明", "欧阳某某"},
		{"某张张", "某张", "某某某"},
		{"无关文字", "李四", "无关文字"},
	} {
		if got := MaskIn(c[0], c[1]); got != c[2] {
			t.Errorf("MaskIn(%q, %q) = %q, want %q", c[0], c[1], got, c[2])
		}
	}
}

func isDigitAt(s string, i int) bool { d, _ := digitAt(s, i); return d >= 0 }

// digitBefore reports whether a digit (ASCII or full-width) ends just before i.
func digitBefore(s string, i int) bool {
	if i >= 1 && s[i-1] >= '0' && s[i-1] <= '9' {
		return true
	}
	return i >= 3 && isDigitAt(s, i-3) && s[i-3] == 0xEF
}

// FuzzFind: every match is in bounds, in order, a whole digit run (not glued
// to other digits or to ASCII letters) and really of its kind.
func FuzzFind(f *testing.F) {
	for _, s := range []string{
		"身份证 11010519491231002X 号", "13812345678", "１３８１２３４５６７８", "6222020200112233446",
		"91440700MA00000000", "x11010519491231002Xx", "110105194912310021110105194912310021",
		"\xef\xbc", "\xef\xbc\x91\xef\xbc", "11010519491231002x1", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		prev := 0
		for _, m := range Find(s) {
			if m.Start < prev || m.End <= m.Start || m.End > len(s) {
				t.Fatalf("match %+v out of order or bounds (prev end %d, len %d)", m, prev, len(s))
			}
			prev = m.End
			var digits []byte
			for i := m.Start; i < m.End; {
				d, w := digitAt(s, i)
				if d < 0 {
					if i == m.End-1 && (s[i] == 'X' || s[i] == 'x') {
						digits = append(digits, 'X')
						i++
						continue
					}
					t.Fatalf("match %+v of %q holds a non-digit at %d", m, s, i)
				}
				digits = append(digits, byte('0'+d))
				i += w
			}
			if k := classify(digits); k != m.Kind {
				t.Fatalf("match %q classified %v, reported %v", digits, k, m.Kind)
			}
			if digitBefore(s, m.Start) || (m.Start > 0 && isASCIILetter(s[m.Start-1])) {
				t.Fatalf("match %+v of %q is glued to what precedes it", m, s)
			}
			if m.End < len(s) && (isASCIILetter(s[m.End]) || (digits[len(digits)-1] != 'X' && isDigitAt(s, m.End))) {
				t.Fatalf("match %+v of %q is glued to what follows it", m, s)
			}
		}
	})
}

// FuzzMaskName: a mask keeps the length and the surname, and once a text
// is masked the full name appears in it nowhere.
func FuzzMaskName(f *testing.F) {
	for _, c := range [][2]string{
		{"张三", "张三于张三家中"}, {"欧阳小明", "欧阳小明"}, {"某张", "某张张"}, {" 李 ", "李"},
		{"司马", "司马光"}, {"a", "aaa"}, {"张某", "张某某"}, {"", "x"},
	} {
		f.Add(c[0], c[1])
	}
	f.Fuzz(func(t *testing.T, name, text string) {
		m := MaskName(name)
		trimmed := strings.TrimSpace(name)
		n := utf8.RuneCountInString(trimmed)
		if got := utf8.RuneCountInString(m); got != max(n, 1) {
			t.Fatalf("MaskName(%q) = %q: %d characters, want %d", name, m, got, max(n, 1))
		}
		if n >= 2 && []rune(m)[0] != []rune(trimmed)[0] {
			t.Fatalf("MaskName(%q) = %q lost the surname", name, m)
		}
		if !strings.HasSuffix(m, "某") {
			t.Fatalf("MaskName(%q) = %q", name, m)
		}
		out := MaskIn(text, name)
		if !utf8.ValidString(name) || !utf8.ValidString(text) || trimmed == "" || m == trimmed {
			return
		}
		if strings.Contains(out, trimmed) {
			t.Fatalf("MaskIn(%q, %q) = %q still holds the name", text, name, out)
		}
	})
}
