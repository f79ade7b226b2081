package content

import (
	"strings"

	"zfgs/generator/internal/cnvalue"
)

// Clerks write dates and sums as paper documents do: 2025年1月24日,
// 2025/1/24, 5,000元, 0.5万元. These helpers recognise those forms so that
// the error gives the exact TOML to write rather than restating the rule.
// The content contract is not widened: such values stay errors.

// amountMarks are what make a bare value an amount written as on paper
// rather than an unquoted code (4407 0010 001 is a certificate number, not
// a sum to "fix" into 44070010001).
const amountMarks = "元万千,，¥￥人民币零〇一二两三四五六七八九十百壹贰叁肆伍陆柒捌玖拾佰仟"

// paperFix returns the corrected line for a TOML line "key = value" whose
// value is a date or an amount written as on paper, and the advice that
// goes with it; ok is false for any other line.
func paperFix(line string) (fixed, advice string, ok bool) {
	key, val, found := strings.Cut(line, "=")
	key = strings.TrimSpace(key)
	if !found || key == "" || strings.ContainsAny(key, "[]#") {
		return "", "", false
	}
	val = strings.TrimSpace(val)
	if i := strings.Index(val, "#"); i > 0 {
		val = strings.TrimSpace(val[:i]) // a trailing comment
	}
	val = strings.Trim(val, `"'“”‘’`)
	if d, ok := cnvalue.Date(val); ok {
		return key + " = " + d.String(), "日期应写作 年-月-日（月、日补足两位，不加引号）", true
	}
	if strings.ContainsAny(val, amountMarks) {
		if v, ok := cnvalue.Amount(val); ok {
			return key + " = " + yuan(v), "数字只写阿拉伯数字（不加引号，不写单位和千位分隔符，万元须换算为元）", true
		}
	}
	return "", "", false
}
