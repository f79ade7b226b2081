package importer

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"zfgs/generator/internal/cnvalue"
	"zfgs/generator/internal/model"
)

var (
	mdyRE    = regexp.MustCompile(`^(\d{1,2})-(\d{1,2})-(\d{2})$`) // Excel's built-in short date (mm-dd-yy)
	serialRE = regexp.MustCompile(`^\d{5}(\.0+)?$`)
	monthRE  = regexp.MustCompile(`(\d{1,2})\s*月`)
	monthNum = regexp.MustCompile(`^(\d{1,2})\s*(?:[-~～至到—、,，]\s*(\d{1,2}))?\s*月$`)
)

// parseDate reads the ways a sheet writes a date: those cnvalue.Date reads
// (2025-03-01, 2025/3/1, 2025年3月1日, 20250301…), Excel's 03-01-25, or an
// Excel serial day number (45717).
func parseDate(s string) (model.Date, bool) {
	if d, ok := cnvalue.Date(s); ok {
		return d, true
	}
	s = cnvalue.NormDigits(s)
	var y, m, d int
	switch {
	case mdyRE.MatchString(s):
		p := mdyRE.FindStringSubmatch(s)
		y, m, d = 2000+atoi(p[3]), atoi(p[1]), atoi(p[2])
	case serialRE.MatchString(s):
		n, _ := strconv.ParseFloat(s, 64)
		t := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(n))
		y, m, d = t.Year(), int(t.Month()), t.Day()
	default:
		return 0, false
	}
	if y < 1990 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return 0, false // 2月30日
	}
	return model.DateOf(y, time.Month(m), d), true
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// parseMonths reads a planned time as months: 3月, 3-4月, 3月至5月,
// 3、5月, 第二季度, 上半年, 全年, 2026年3月21日-3月31日. nil when unsure.
func parseMonths(s string) []int {
	s = strings.ReplaceAll(cnvalue.NormDigits(s), " ", "")
	if ms, ok := monthsNamed[strings.TrimPrefix(strings.TrimSuffix(s, "内"), "年度")]; ok {
		return ms
	}
	if i := strings.Index(s, "年"); i >= 0 && i <= 4 && i < len(s)-1 {
		s = s[i+len("年"):] // drop a leading year
	}
	if p := monthNum.FindStringSubmatch(s); p != nil {
		a := atoi(p[1])
		if p[2] == "" {
			return months(a, a)
		}
		if strings.ContainsAny(s, "、,，") {
			return months2(a, atoi(p[2]))
		}
		return months(a, atoi(p[2]))
	}
	found := monthRE.FindAllStringSubmatch(s, -1)
	if len(found) == 0 || len(found) > 2 {
		return nil
	}
	a := atoi(found[0][1])
	b := atoi(found[len(found)-1][1])
	if len(found) == 2 && !strings.ContainsAny(s, "-~～至到—") {
		return months2(a, b)
	}
	return months(a, b)
}

func months(a, b int) []int {
	if a < 1 || b > 12 || a > b {
		return nil
	}
	return seq(a, b)
}

func months2(a, b int) []int {
	if a < 1 || a > 12 || b < 1 || b > 12 || a >= b {
		return nil
	}
	return []int{a, b}
}
