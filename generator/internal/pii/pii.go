// Package pii finds personal data that must never be published (resident ID
// numbers, mainland mobile numbers, bank card numbers) and masks natural
// persons' names, as the content contract's privacy section requires.
package pii

import (
	"strings"
	"unicode/utf8"
)

// Kind of a finding.
type Kind int

const (
	IDNumber Kind = iota + 1
	Mobile
	BankCard
)

func (k Kind) String() string {
	switch k {
	case IDNumber:
		return "居民身份证号码"
	case Mobile:
		return "手机号码"
	case BankCard:
		return "银行卡号"
	}
	return "个人信息"
}

// Match is one finding: a byte range of the text.
type Match struct {
	Kind       Kind
	Start, End int
}

// Find returns every ID number, mobile number and bank card number in s.
// Digit runs are judged whole: a run of 20 digits is neither a card nor an ID,
// and a mobile number glued to other digits is not a mobile number. Full-width
// digits (０-９) count as digits, since Chinese text often uses them.
func Find(s string) []Match {
	var out []Match
	for i := 0; i < len(s); {
		d, w := digitAt(s, i)
		if d < 0 {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
			continue
		}
		// Collect a run of digits (and a final X for ID numbers).
		start := i
		var digits []byte
		j := i
		for j < len(s) {
			d, w = digitAt(s, j)
			if d < 0 {
				break
			}
			digits = append(digits, byte('0'+d))
			j += w
		}
		end := j
		if len(digits) == 17 && j < len(s) && (s[j] == 'X' || s[j] == 'x') {
			digits = append(digits, 'X')
			end = j + 1
		}
		if k := classify(digits); k != 0 {
			// An ID or card glued to ASCII letters is a code (credit code,
			// case number), not personal data.
			if !(start > 0 && isASCIILetter(s[start-1])) && !(end < len(s) && isASCIILetter(s[end])) {
				out = append(out, Match{Kind: k, Start: start, End: end})
			}
		}
		i = end
	}
	return out
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// digitAt returns the digit at s[i] (ASCII or full-width) and its width.
func digitAt(s string, i int) (int, int) {
	c := s[i]
	if c >= '0' && c <= '9' {
		return int(c - '0'), 1
	}
	if c == 0xEF && i+2 < len(s) && s[i+1] == 0xBC && s[i+2] >= 0x90 && s[i+2] <= 0x99 {
		return int(s[i+2] - 0x90), 3
	}
	return -1, 1
}

func classify(d []byte) Kind {
	switch {
	case len(d) == 18 && validIDNumber(d):
		return IDNumber
	case len(d) == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9':
		return Mobile
	case len(d) >= 16 && len(d) <= 19 && d[len(d)-1] != 'X' && luhn(d):
		return BankCard
	}
	return 0
}

// validIDNumber checks GB 11643: a plausible birth date and the check digit.
func validIDNumber(d []byte) bool {
	for _, c := range d[:17] {
		if c < '0' || c > '9' {
			return false
		}
	}
	y := atoi(d[6:10])
	m := atoi(d[10:12])
	day := atoi(d[12:14])
	if y < 1900 || y > 2100 || m < 1 || m > 12 || day < 1 || day > daysIn(y, m) {
		return false
	}
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(d[i]-'0') * weights[i]
	}
	check := "10X98765432"[sum%11]
	return d[17] == check
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func atoi(b []byte) int {
	n := 0
	for _, c := range b {
		n = n*10 + int(c-'0')
	}
	return n
}

func luhn(d []byte) bool {
	sum := 0
	for i := len(d) - 1; i >= 0; i-- {
		v := int(d[i] - '0')
		if (len(d)-1-i)%2 == 1 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return sum%10 == 0
}

// compoundSurnames are the two-character surnames kept whole when masking
// (欧阳小明 → 欧阳某某).
var compoundSurnames = []string{"欧阳", "太史", "端木", "上官", "司马", "东方", "独孤", "南宫", "万俟", "闻人", "夏侯", "诸葛", "尉迟", "公羊", "赫连", "澹台", "皇甫", "宗政", "濮阳", "公冶", "太叔", "申屠", "公孙", "慕容", "仲孙", "钟离", "长孙", "宇文", "司徒", "鲜于", "司空", "闾丘", "子车", "亓官", "司寇", "巫马", "公西", "颛孙", "壤驷", "公良", "漆雕", "乐正", "宰父", "谷梁", "拓跋", "夹谷", "轩辕", "令狐", "段干", "百里", "呼延", "东郭", "南门", "羊舌", "微生", "公户", "公玉", "公仪", "梁丘", "公仲", "公上", "公门", "公山", "公坚", "左丘", "公伯", "西门", "公祖", "第五", "公乘", "贯丘", "公皙", "南荣", "东里", "东宫", "仲长", "子书", "子桑", "即墨", "达奚", "褚师"}

// MaskName keeps the surname and writes 某 for each character of the given
// name: 张三 → 张某, 李小明 → 李某某, 欧阳小明 → 欧阳某某. A one-character
// name becomes 某.
func MaskName(name string) string {
	name = strings.TrimSpace(name)
	runes := []rune(name)
	if len(runes) <= 1 {
		return "某"
	}
	surname := 1
	for _, c := range compoundSurnames {
		if strings.HasPrefix(name, c) && len(runes) > 2 {
			surname = 2
			break
		}
	}
	return string(runes[:surname]) + strings.Repeat("某", len(runes)-surname)
}

// MaskIn replaces every occurrence of the full name in text by its mask.
// The replacement is repeated until none is left: a mask can complete a new
// occurrence with the text after it (name 某张, text 某张张 → 某某张).
// For a UTF-8 name each round turns at least one character of a given name
// into 某, so this ends. (Names are read from UTF-8 files; a name that is not
// UTF-8 is replaced once, as its mask may contain it again.)
func MaskIn(text, name string) string {
	name = strings.TrimSpace(name)
	if name == "" || !strings.Contains(text, name) {
		return text
	}
	mask := MaskName(name)
	if mask == name {
		return text
	}
	if !utf8.ValidString(name) {
		return strings.ReplaceAll(text, name, mask)
	}
	for strings.Contains(text, name) {
		text = strings.ReplaceAll(text, name, mask)
	}
	return text
}
