package importer

import (
	"regexp"
	"strings"

	"zfgs/generator/internal/cnvalue"
)

// Bounds are the numbers a 处罚标准 states plainly; nil fields were not
// stated (or not plainly enough to be sure).
type Bounds struct {
	FineMin, FineMax         *float64
	MultipleMin, MultipleMax *float64
	MultipleOf               string
}

// cnDigits are the Chinese numerals and units a published amount uses,
// ordinary and financial (大写).
const cnDigits = "零〇一二两三四五六七八九十百千万亿壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬"

var (
	// an amount in yuan: 5000元, 5,000元, 1.5万元, 5千元, 五千元, 一万五千元, 二十万元
	amountRE = regexp.MustCompile(`(\d+(?:\.\d+)?|[` + cnDigits + `]+)(万|千)?元`)
	// the first number of a range whose unit comes after the second:
	// 5000-10000元, 1至3万元, 5千～1万元, 2000以上5000元以下, 1-3倍
	rangeStartRE = regexp.MustCompile(`(\d+(?:\.\d+)?|[` + cnDigits + `]+)(万|千)?元?\s*(-|—|–|~|～|至|到|以上)\s*$`)
	// a multiple: 一倍, 1.5倍, 百分之五 (of a base such as 违法所得)
	multipleRE = regexp.MustCompile(`(\d+(?:\.\d+)?|[` + cnDigits + `]+)倍|百分之([\d.]+|[` + cnDigits + `]+)`)
)

// multipleBases are what a tier may multiply (CONTENT.md multiple_of).
var multipleBases = []string{
	"建设项目总投资额", "项目总投资额", "总投资额", "违法所得", "非法所得", "货值金额", "违法经营额",
	"违法收入", "违法销售额", "销售额", "所收费用", "工程合同价款", "合同价款", "不缴或者少缴的税款", "应纳税款",
}

// ParseBounds extracts fine or multiple bounds from a 处罚标准 as
// published: 处五千元以上一万元以下罚款 → 5000–10000; 处一万元以下罚款 →
// at most 10000; 处二千元罚款 → exactly 2000; 处货值金额十倍以上二十倍以下罚款
// → 10–20 × 货值金额. Text with alternatives (有违法所得的…；没有违法所得的…),
// conditions (不足一万元的) or more than one range gives nothing.
func ParseBounds(text string) Bounds {
	t := cnvalue.NormDigits(text)
	if !strings.Contains(t, "罚款") {
		return Bounds{}
	}
	money := amountRE.FindAllStringSubmatchIndex(t, -1)
	mult := multipleRE.FindAllStringSubmatchIndex(t, -1)
	switch {
	case len(money) > 0 && len(mult) == 0:
		lo, hi, ok := rangeOf(t, money, func(m []int) (float64, bool) {
			v, ok := cnvalue.Number(t[m[2]:m[3]])
			if m[4] >= 0 {
				if t[m[4]:m[5]] == "万" {
					v *= 10000
				} else {
					v *= 1000
				}
			}
			return v, ok
		})
		if ok {
			return Bounds{FineMin: lo, FineMax: hi}
		}
	case len(mult) > 0 && len(money) == 0:
		pre := t[:mult[0][0]]
		if loc := rangeStartRE.FindStringIndex(pre); loc != nil {
			pre = pre[:loc[0]] // 违法所得1-3倍
		}
		base := baseBefore(pre)
		if base == "" {
			return Bounds{}
		}
		lo, hi, ok := rangeOf(t, mult, func(m []int) (float64, bool) {
			if m[2] >= 0 {
				return cnvalue.Number(t[m[2]:m[3]])
			}
			v, ok := cnvalue.Number(t[m[4]:m[5]])
			return v / 100, ok
		})
		if ok {
			return Bounds{MultipleMin: lo, MultipleMax: hi, MultipleOf: base}
		}
	}
	return Bounds{}
}

// rangeOf reads one or two matched quantities as a range: "A以上B以下",
// "A至B", "A以下", "A以上", or a fixed "A罚款".
func rangeOf(t string, ms [][]int, val func([]int) (float64, bool)) (lo, hi *float64, ok bool) {
	if len(ms) > 2 {
		return nil, nil, false
	}
	before := t[:ms[0][0]]
	for _, w := range []string{"不足", "不满", "超过", "低于", "高于", "不超过", "不低于", "最高", "最低", "累计"} {
		if strings.Contains(before, w) {
			return nil, nil, false
		}
	}
	a, okA := val(ms[0])
	if !okA {
		return nil, nil, false
	}
	after := t[ms[0][1]:]
	if len(ms) == 2 {
		b, okB := val(ms[1])
		between := t[ms[0][1]:ms[1][0]]
		rest := t[ms[1][1]:]
		if !okB || a > b {
			return nil, nil, false
		}
		if (between == "以上" && strings.HasPrefix(rest, "以下")) || between == "至" || between == "到" || between == "-" || between == "—" || between == "~" || between == "～" {
			return &a, &b, true
		}
		return nil, nil, false
	}
	if m := rangeStartRE.FindStringSubmatch(before); m != nil {
		// "5000-10000元", "1至3万元", "1-3倍": the range's first number has
		// no unit of its own, or the second's.
		lo, ok := cnvalue.Number(m[1])
		switch {
		case m[2] == "万":
			lo *= 10000
		case m[2] == "千":
			lo *= 1000
		case ms[0][2] >= 0:
			if n, okN := cnvalue.Number(t[ms[0][2]:ms[0][3]]); okN && n != 0 {
				lo *= a / n
			}
		}
		fine := strings.HasPrefix(after, "罚款") || strings.HasPrefix(after, "的罚款")
		if m[3] == "以上" {
			fine = strings.HasPrefix(after, "以下") // 2000以上5000元以下
		}
		if !ok || lo > a || !fine {
			return nil, nil, false
		}
		return &lo, &a, true
	}
	switch {
	case strings.HasPrefix(after, "以下"):
		return nil, &a, true
	case strings.HasPrefix(after, "以上"):
		return &a, nil, true
	case strings.HasPrefix(after, "罚款"), strings.HasPrefix(after, "的罚款"):
		return &a, &a, true
	}
	return nil, nil, false
}

// baseBefore is the multiple's base written right before it ("处货值金额").
func baseBefore(s string) string {
	s = strings.TrimSuffix(s, "的")
	for _, b := range multipleBases {
		if strings.HasSuffix(s, b) {
			return b
		}
	}
	return ""
}
