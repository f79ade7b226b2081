package content

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"zfgs/generator/internal/cnvalue"
	"zfgs/generator/internal/diag"
	"zfgs/generator/internal/model"
)

// table reads one TOML table with typed accessors. Every accessor reports a
// type error at the value's position and returns the zero value, so that one
// run reports every defect of a file instead of stopping at the first.
type table struct {
	f    *file
	m    map[string]any
	path string // "item[3]", "party", "" for the root
}

func (t table) where() model.Where { return where{f: t.f, path: t.path} }

func (t table) pos(key string) diag.Pos { return t.f.at(join(t.path, key)) }

func (t table) has(key string) bool { _, ok := t.m[key]; return ok }

// typeErr reports a value of the wrong TOML type.
func (t table) typeErr(key, want string) {
	t.f.diags.Add(t.pos(key), diag.EParse, "字段 %s 应为%s", key, want)
}

// str returns a string field; required reports E_REQUIRED when it is missing
// or blank.
func (t table) str(key string, required bool) string {
	v, ok := t.m[key]
	if !ok {
		if required {
			t.missing(key)
		}
		return ""
	}
	s, ok := v.(string)
	if !ok {
		t.typeErr(key, "文字（用英文双引号括起）")
		return ""
	}
	if required && strings.TrimSpace(s) == "" {
		t.f.diags.Add(t.pos(key), diag.ERequired, "必填字段 %s 为空", key)
	}
	t.scanPII(key, s, join(t.path, key))
	return s
}

func (t table) missing(key string) {
	if t.path == "" {
		t.f.diags.Add(t.pos(""), diag.ERequired, "缺少必填字段 %s：请在文件中添加 %s = ...", key, key)
		return
	}
	t.f.diags.Add(t.pos(""), diag.ERequired, "缺少必填字段 %s：请在 %s 中添加 %s = ...", key, humanPath(t.path), key)
}

// strs accepts a string or an array of strings (conditions, penalty).
func (t table) strs(key string, required bool) []string {
	v, ok := t.m[key]
	if !ok {
		if required {
			t.missing(key)
		}
		return nil
	}
	var out []string
	switch x := v.(type) {
	case string:
		if strings.TrimSpace(x) != "" {
			out = []string{x}
			t.scanPII(key, x, join(t.path, key))
		}
	case []any:
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				t.f.diags.Add(t.f.at(fmt.Sprintf("%s[%d]", join(t.path, key), i)), diag.EParse, "%s 的第 %d 项应为文字", key, i+1)
				continue
			}
			if strings.TrimSpace(s) != "" {
				out = append(out, s)
				t.scanPII(key, s, fmt.Sprintf("%s[%d]", join(t.path, key), i))
			}
		}
	default:
		t.typeErr(key, "文字或文字数组")
		return nil
	}
	if required && len(out) == 0 {
		t.f.diags.Add(t.pos(key), diag.ERequired, "必填字段 %s 为空", key)
	}
	return out
}

// num returns a number (integer or decimal) or nil when absent.
func (t table) num(key string) *float64 {
	v, ok := t.m[key]
	if !ok {
		return nil
	}
	var f float64
	switch x := v.(type) {
	case int64:
		f = float64(x)
	case float64:
		f = x
	case string:
		if v, ok := cnvalue.Amount(x); ok {
			t.f.diags.Add(t.pos(key), diag.EParse, "字段 %s 应为数字：请改为 %s = %s（不加引号，不写单位和千位分隔符）", key, key, yuan(v))
			return nil
		}
		t.typeErr(key, "数字（不加引号，如 5000 或 0.5）")
		return nil
	default:
		t.typeErr(key, "数字（不加引号，如 5000 或 0.5）")
		return nil
	}
	if math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		t.f.diags.Add(t.pos(key), diag.EParse, "字段 %s 应为非负数", key)
		return nil
	}
	return &f
}

// integer returns an integer field.
func (t table) integer(key string, required bool) int {
	v, ok := t.m[key]
	if !ok {
		if required {
			t.missing(key)
		}
		return 0
	}
	x, ok := v.(int64)
	if !ok || x < math.MinInt32 || x > math.MaxInt32 {
		t.typeErr(key, "整数（不加引号）")
		return 0
	}
	return int(x)
}

func (t table) boolean(key string, def bool) bool {
	v, ok := t.m[key]
	if !ok {
		return def
	}
	b, ok := v.(bool)
	if !ok {
		t.typeErr(key, "true 或 false")
		return def
	}
	return b
}

func (t table) optBool(key string) *bool {
	if !t.has(key) {
		return nil
	}
	b := t.boolean(key, false)
	return &b
}

// date returns a TOML local date; a quoted "2025-03-02" is accepted too
// because spreadsheets exported to TOML often quote dates.
func (t table) date(key string, required bool) model.Date {
	v, ok := t.m[key]
	if !ok {
		if required {
			t.missing(key)
		}
		return 0
	}
	switch x := v.(type) {
	case time.Time:
		return model.DateOf(x.Year(), x.Month(), x.Day())
	case string:
		if d, err := model.ParseDate(strings.TrimSpace(x)); err == nil {
			return d
		}
		if d, ok := cnvalue.Date(x); ok {
			t.f.diags.Add(t.pos(key), diag.EParse, "字段 %s 应为日期：请改为 %s = %s（年-月-日，不加引号）", key, key, d)
			return 0
		}
	case int64: // 20250124
		if d, ok := cnvalue.Date(strconv.FormatInt(x, 10)); ok {
			t.f.diags.Add(t.pos(key), diag.EParse, "字段 %s 应为日期：请改为 %s = %s（年-月-日）", key, key, d)
			return 0
		}
	}
	t.typeErr(key, "日期，写作 2025-03-02")
	return 0
}

// ints returns an array of integers (months, quiet days).
func (t table) ints(key string) []int {
	v, ok := t.m[key]
	if !ok {
		return nil
	}
	arr, ok := v.([]any)
	if !ok {
		t.typeErr(key, "整数数组，如 [3, 4]")
		return nil
	}
	out := make([]int, 0, len(arr))
	for i, e := range arr {
		x, ok := e.(int64)
		if !ok || x < math.MinInt32 || x > math.MaxInt32 {
			t.f.diags.Add(t.f.at(fmt.Sprintf("%s[%d]", join(t.path, key), i)), diag.EParse, "%s 的第 %d 项应为整数", key, i+1)
			continue
		}
		out = append(out, int(x))
	}
	return out
}

// dates returns an array of dates (calendar).
func (t table) dates(key string) ([]model.Date, []string) {
	v, ok := t.m[key]
	if !ok {
		return nil, nil
	}
	arr, ok := v.([]any)
	if !ok {
		t.typeErr(key, "日期数组，如 [2025-01-01, 2025-01-28]")
		return nil, nil
	}
	out := make([]model.Date, 0, len(arr))
	paths := make([]string, 0, len(arr))
	for i, e := range arr {
		p := fmt.Sprintf("%s[%d]", join(t.path, key), i)
		var d model.Date
		switch x := e.(type) {
		case time.Time:
			d = model.DateOf(x.Year(), x.Month(), x.Day())
		case string:
			d, _ = model.ParseDate(x)
			if paper, ok := cnvalue.Date(x); d == 0 && ok {
				t.f.diags.Add(t.f.at(p), diag.EParse, "%s 的第 %d 项应为日期：请改为 %s（年-月-日，不加引号）", key, i+1, paper)
				continue
			}
		}
		if d == 0 {
			t.f.diags.Add(t.f.at(p), diag.EParse, "%s 的第 %d 项应为日期，写作 2025-03-02", key, i+1)
			continue
		}
		out = append(out, d)
		paths = append(paths, p)
	}
	return out, paths
}

// sub returns a sub-table; a missing one is an empty table.
func (t table) sub(key string) table {
	p := join(t.path, key)
	v, ok := t.m[key]
	if !ok {
		return table{f: t.f, m: nil, path: p}
	}
	m, ok := v.(map[string]any)
	if !ok {
		t.typeErr(key, "表（["+p+"]）")
		return table{f: t.f, path: p}
	}
	return table{f: t.f, m: m, path: p}
}

// list returns the elements of an array of tables ([[key]]).
func (t table) list(key string) []table {
	v, ok := t.m[key]
	if !ok {
		return nil
	}
	var arr []map[string]any
	switch x := v.(type) {
	case []map[string]any:
		arr = x
	case []any:
		for i, e := range x {
			m, ok := e.(map[string]any)
			if !ok {
				t.f.diags.Add(t.f.at(fmt.Sprintf("%s[%d]", join(t.path, key), i)), diag.EParse, "%s 应写成 [[%s]] 表数组", key, join(t.path, key))
				return nil
			}
			arr = append(arr, m)
		}
	default:
		t.typeErr(key, "表数组（[["+join(t.path, key)+"]]）")
		return nil
	}
	out := make([]table, len(arr))
	for i, m := range arr {
		out[i] = table{f: t.f, m: m, path: fmt.Sprintf("%s[%d]", join(t.path, key), i)}
	}
	return out
}

// known reports every key of the table that is not in keys as E_UNKNOWN_KEY
// (a warning: a typo must not block publication) with the closest known key.
func (t table) known(keys ...string) {
	if len(t.m) == 0 {
		return
	}
	var unknown []string
	for k := range t.m {
		if !contains(keys, k) {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		if s := closest(k, keys); s != "" {
			t.f.diags.Add(t.pos(k), diag.EUnknownKey, "未知字段 %s，是否应为 %s？", k, s)
		} else {
			t.f.diags.Add(t.pos(k), diag.EUnknownKey, "未知字段 %s（可用字段：%s）", k, strings.Join(keys, "、"))
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// closest returns the known key nearest to k by edit distance, if it is near
// enough to be a plausible typo.
func closest(k string, keys []string) string {
	best, bestD := "", 1<<30
	for _, c := range keys {
		d := editDistance(strings.ToLower(k), c)
		if d < bestD {
			best, bestD = c, d
		}
	}
	limit := len([]rune(k))/3 + 1
	if limit > 3 {
		limit = 3
	}
	if bestD <= limit {
		return best
	}
	return ""
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// humanPath renders "benchmark[0].tier[2]" as a clerk reads it:
// "第 1 个 [[benchmark]] 的第 3 个 [[benchmark.tier]]".
func humanPath(p string) string {
	var out []string
	var table []string
	for _, seg := range strings.Split(p, ".") {
		name, idx, isElem := strings.Cut(seg, "[")
		table = append(table, name)
		if isElem {
			n := 0
			fmt.Sscanf(strings.TrimSuffix(idx, "]"), "%d", &n)
			out = append(out, fmt.Sprintf("第 %d 个 [[%s]]", n+1, strings.Join(table, ".")))
		} else {
			out = append(out, "["+strings.Join(table, ".")+"]")
		}
	}
	return strings.Join(out, " 的")
}
