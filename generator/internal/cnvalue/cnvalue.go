// Package cnvalue reads dates and amounts the way Chinese documents and
// spreadsheets write them: 2025年3月1日, 2025/3/1, ５,０００元, 0.5万元,
// 人民币伍仟元整. The importer converts such cells; the content reader
// uses it to tell a clerk the exact TOML to write instead of a rule
// (“请改为 decided = 2025-03-01”).
package cnvalue

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"zfgs/generator/internal/model"
)

var (
	ymdRE   = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$`)
	compact = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})$`)
)

// Date reads 2025-03-01, 2025-3-1, 2025/3/1, 2025.3.1, 2025年3月1日 and
// 20250301, in ASCII or full-width digits. Days that do not exist
// (2月30日) and years outside 1990–2200 are refused.
func Date(s string) (model.Date, bool) {
	s = NormDigits(strings.TrimSpace(s))
	var p []string
	if p = ymdRE.FindStringSubmatch(s); p == nil {
		if p = compact.FindStringSubmatch(s); p == nil {
			return 0, false
		}
	}
	y, m, d := atoi(p[1]), atoi(p[2]), atoi(p[3])
	if y < 1990 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, false
	}
	if time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Day() != d {
		return 0, false // 2月30日
	}
	return model.DateOf(y, time.Month(m), d), true
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// NormDigits turns full-width digits and points into ASCII and drops
// thousands separators and blanks, so "５,０００ 元" reads as "5000元".
func NormDigits(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case r >= '０' && r <= '９':
			b.WriteRune('0' + r - '０')
		case r == '．':
			b.WriteRune('.')
		case (r == ',' || r == '，') && i > 0 && i+1 < len(rs) && isDigit(rs[i-1]) && isDigit(rs[i+1]):
		case r == ' ' || r == '\u3000':
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' || r >= '０' && r <= '９' }

// numerals maps the Chinese digits, ordinary and financial (大写, as
// decision texts write amounts: 伍仟元整), to their values.
var numerals = map[rune]float64{
	'零': 0, '〇': 0,
	'一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9,
	'壹': 1, '贰': 2, '貳': 2, '叁': 3, '參': 3, '肆': 4, '伍': 5, '陆': 6, '陸': 6, '柒': 7, '捌': 8, '玖': 9,
}

// units are the Chinese place units below 万.
var units = map[rune]float64{'十': 10, '拾': 10, '百': 100, '佰': 100, '千': 1000, '仟': 1000}

// Number reads 5000, 1.5, 五千, 一万五千, 二十, 十五, 三百万, 伍仟, 壹万贰仟.
func Number(s string) (float64, bool) {
	if s == "" {
		return 0, false
	}
	if s[0] >= '0' && s[0] <= '9' {
		v, err := strconv.ParseFloat(s, 64)
		return v, err == nil && !math.IsInf(v, 0)
	}
	var total, section, digit float64
	var seenDigit, any bool
	for _, r := range s {
		any = any || r != '万' && r != '萬' && r != '亿'
		if v, ok := numerals[r]; ok {
			if v == 0 {
				digit, seenDigit = 0, false
				continue
			}
			if seenDigit {
				return 0, false // 一二: not a number
			}
			digit, seenDigit = v, true
			continue
		}
		if unit, ok := units[r]; ok {
			if !seenDigit {
				if unit != 10 {
					return 0, false
				}
				digit = 1 // 十五
			}
			section += digit * unit
			digit, seenDigit = 0, false
			continue
		}
		switch r {
		case '万', '萬':
			total += (section + digit) * 10000
			section, digit, seenDigit = 0, 0, false
		case '亿':
			total = (total + section + digit) * 1e8
			section, digit, seenDigit = 0, 0, false
		default:
			return 0, false
		}
	}
	v := total + section + digit
	return v, any && !math.IsInf(v, 0)
}

// Amount reads a sum of money in yuan as a document writes it: 5000,
// 5,000元, ￥5000.00, 人民币5000元, 0.5万元, 5千元, 伍仟元整, 壹万元.
// Negative, infinite and unreadable amounts are refused.
func Amount(s string) (float64, bool) {
	s = NormDigits(strings.TrimSpace(s))
	for _, p := range []string{"人民币", "RMB", "¥", "￥"} {
		s = strings.TrimPrefix(s, p)
	}
	for _, suffix := range []string{"元人民币", "元整", "圆整", "元", "圆"} {
		if t, ok := strings.CutSuffix(s, suffix); ok {
			s = t
			break
		}
	}
	scale := 1.0
	if s != "" && s[0] >= '0' && s[0] <= '9' {
		// 1.5万 and 5千 after Arabic digits; numerals carry their own units.
		if t, ok := strings.CutSuffix(s, "万"); ok {
			s, scale = t, 10000
		} else if t, ok := strings.CutSuffix(s, "千"); ok {
			s, scale = t, 1000
		}
	}
	v, ok := Number(s)
	if !ok || v < 0 || math.IsNaN(v) || math.IsInf(v*scale, 0) {
		return 0, false
	}
	return v * scale, true
}
