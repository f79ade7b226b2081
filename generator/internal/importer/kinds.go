package importer

import (
	"fmt"
	"strconv"
	"strings"
)

// The closed value sets of CONTENT.md, and the spellings sheets use.
var (
	itemTypes = []string{"行政许可", "行政处罚", "行政强制", "行政征收", "行政征用", "行政给付", "行政检查", "行政确认", "行政奖励", "行政裁决", "其他"}
	typeAlias = map[string]string{"许可": "行政许可", "处罚": "行政处罚", "强制": "行政强制", "征收": "行政征收", "征用": "行政征用",
		"给付": "行政给付", "检查": "行政检查", "确认": "行政确认", "奖励": "行政奖励", "裁决": "行政裁决",
		"其他行政权力": "其他", "其他职权": "其他", "其他权力": "其他", "其他行政执法行为": "其他", "行政强制措施": "行政强制", "行政强制执行": "行政强制"}
	levels     = []string{"省", "市", "县", "镇"}
	levelAlias = map[string]string{"省级": "省", "市级": "市", "县级": "县", "区": "县", "县区": "县", "区级": "县", "乡镇": "镇", "乡": "镇", "街道": "镇", "镇街": "镇"}
	itemStatus = []string{"有效", "暂停", "取消"}
	statAlias  = map[string]string{"已取消": "取消", "取消的": "取消", "暂停实施": "暂停", "正常": "有效", "在用": "有效", "保留": "有效"}
	lists      = []string{"不予处罚", "可以不予处罚", "从轻处罚", "减轻处罚", "不予强制", "从重处罚"}
	listAlias  = map[string]string{"不予行政处罚": "不予处罚", "依法不予处罚": "不予处罚", "依法不予行政处罚": "不予处罚", "免罚": "不予处罚", "免予处罚": "不予处罚",
		"可以不予行政处罚": "可以不予处罚", "首违不罚": "可以不予处罚", "从轻": "从轻处罚", "从轻行政处罚": "从轻处罚",
		"减轻": "减轻处罚", "减轻行政处罚": "减轻处罚", "不予实施行政强制措施": "不予强制", "不予行政强制": "不予强制", "不予实施行政强制": "不予强制",
		"从重": "从重处罚", "从重行政处罚": "从重处罚"}
	taskKinds   = []string{"日常", "专项"}
	kindAlias   = map[string]string{"日常检查": "日常", "专项检查": "专项", "专项整治": "专项"}
	offStatus   = []string{"在岗", "暂扣", "注销"}
	offAlias    = map[string]string{"有效": "在岗", "正常": "在岗", "在职": "在岗", "已暂扣": "暂扣", "已注销": "注销", "失效": "注销", "作废": "注销", "调离": "注销"}
	yesNo       = map[string]bool{"是": true, "涉企": true, "Y": true, "y": true, "√": true, "否": false, "不涉企": false, "N": false, "n": false}
	monthsNamed = map[string][]int{"全年": seq(1, 12), "上半年": seq(1, 6), "下半年": seq(7, 12),
		"第一季度": seq(1, 3), "第二季度": seq(4, 6), "第三季度": seq(7, 9), "第四季度": seq(10, 12),
		"一季度": seq(1, 3), "二季度": seq(4, 6), "三季度": seq(7, 9), "四季度": seq(10, 12)}
)

func (im *imp) catalogue(rows []row) []*tbl {
	im.res.Noun = "个事项"
	if !im.requireCols("code", "name", "type", "basis") {
		return nil
	}
	var out []*tbl
	first := map[string]int{}
	for _, r := range rows {
		t := &tbl{header: "[[item]]"}
		code := im.need(r, "code")
		if code != "" && !validItemCode(code) {
			im.errf(r.n, "事项编码“%s”不能含空格、“/”或中文字符", code)
		} else if n, dup := first[code]; dup && code != "" {
			im.errf(r.n, "事项编码“%s”与第%d行重复", code, n)
		} else {
			first[code] = r.n
		}
		t.setStr("code", code)
		t.setStr("name", im.need(r, "name"))
		t.setStr("type", im.oneOf(r, "type", im.need(r, "type"), itemTypes, typeAlias))
		t.setStr("basis", im.need(r, "basis"))
		if v := r.get("level"); v != "" {
			var ls []string
			for _, l := range splitList(v) {
				if l = im.oneOf(r, "level", l, levels, levelAlias); l != "" && !contains(ls, l) {
					ls = append(ls, l)
				}
			}
			t.set("level", ls)
		}
		t.setStr("department", r.get("department"))
		t.setStr("status", im.oneOf(r, "status", r.get("status"), itemStatus, statAlias))
		im.setDate(t, r, "updated")
		out = append(out, t)
	}
	im.res.Count = len(out)
	return out
}

func (im *imp) benchmarks(rows []row) []*tbl {
	im.res.Noun = "条裁量基准"
	wide := len(im.h.tiers) > 0
	if !wide && !im.requireCols("penalty") {
		return nil
	}
	if !wide && !im.has("level") {
		im.note(im.h.row, "表中没有“裁量阶次”列：各基准的阶次按顺序编为 1、2、3…")
	}
	// Tiers of one benchmark share its key; merged or carried-down cells
	// give every tier row the benchmark's 编号/序号/违法行为.
	type bench struct {
		rows []row
	}
	var order []string
	groups := map[string]*bench{}
	for _, r := range rows {
		key := strings.Join([]string{r.get("id"), r.get("seq"), r.get("item"), r.get("item_name"), r.get("violation")}, "\x00")
		b := groups[key]
		if b == nil {
			b = &bench{}
			groups[key] = b
			order = append(order, key)
		}
		b.rows = append(b.rows, r)
	}
	gen := newIDs(im.prefix()+"-B%03d", rows, "id")
	var out []*tbl
	for _, key := range order {
		rs := groups[key].rows
		r0 := rs[0]
		t := &tbl{header: "[[benchmark]]"}
		t.set("id", im.id(r0, gen))
		t.setStr("item", im.item(r0, "行政处罚", true))
		for _, f := range []string{"group", "violation", "violation_basis", "penalty_basis", "refines"} {
			t.setStr(f, firstOf(rs, f))
		}
		var notes []string
		for _, r := range rs {
			if v := r.get("notes"); v != "" && !contains(notes, v) {
				notes = append(notes, v)
			}
		}
		t.setStr("notes", strings.Join(notes, "\n"))
		out = append(out, t)
		if wide {
			out = append(out, im.wideTiers(rs)...)
			im.res.Count++
			continue
		}
		seen := map[string]int{}
		for i, r := range rs {
			level := strconv.Itoa(i + 1)
			if im.has("level") {
				level = im.need(r, "level")
			}
			if n, dup := seen[level]; dup && level != "" {
				im.errf(r.n, "裁量阶次“%s”在同一基准中重复（第%d行）：同一违法行为的各阶次名称须不同", level, n)
			}
			seen[level] = r.n
			out = append(out, tier(level, r.get("conditions"), im.need(r, "penalty")))
		}
		im.res.Count++
	}
	return out
}

// tier is one [[benchmark.tier]], with the fine or multiple bounds its
// penalty states plainly.
func tier(level, conditions, penalty string) *tbl {
	t := &tbl{header: "[[benchmark.tier]]"}
	t.setStr("level", level)
	t.setStr("conditions", conditions)
	t.setStr("penalty", penalty)
	b := ParseBounds(penalty)
	setNum(t, "fine_min", b.FineMin)
	setNum(t, "fine_max", b.FineMax)
	setNum(t, "multiple_min", b.MultipleMin)
	setNum(t, "multiple_max", b.MultipleMax)
	t.setStr("multiple_of", b.MultipleOf)
	return t
}

// wideTiers reads a wide table's benchmark (normally one row; the rows of
// one benchmark, when its cells are split over several): each tier column
// with text is a tier named by its header. A cell holding only a dash or
// 无 means the benchmark has no such tier.
func (im *imp) wideTiers(rs []row) []*tbl {
	var out []*tbl
	for k, level := range im.h.tiers {
		var parts []string
		for _, r := range rs {
			if v := strings.TrimSpace(r.get(tierField(k))); v != "" && !isNone(v) && !contains(parts, v) {
				parts = append(parts, v)
			}
		}
		if len(parts) > 0 {
			out = append(out, tier(level, "", strings.Join(parts, "\n")))
		}
	}
	if len(out) == 0 {
		im.errf(rs[0].n, "各阶次列（%s）均为空：请至少填写一个阶次的处罚标准", strings.Join(im.h.tiers, "、"))
	}
	return out
}

// isNone reports whether a cell says "nothing here": —, -, /, 无, 不适用.
func isNone(v string) bool {
	switch strings.Trim(v, " \u3000") {
	case "-", "—", "——", "－", "/", "／", "无", "不适用", "空":
		return true
	}
	return false
}

func (im *imp) leniency(rows []row) []*tbl {
	im.res.Noun = "条清单条目"
	if !im.requireCols("violation") {
		return nil
	}
	var out []*tbl
	if im.opt.Conditions != "" {
		out = append(out, &tbl{header: "[conditions]", fields: []kv{{im.opt.List, im.opt.Conditions}}})
	}
	gen := newIDs(im.prefix()+"-L%03d", rows, "id")
	for _, r := range rows {
		t := &tbl{header: "[[entry]]"}
		t.set("id", im.id(r, gen))
		list := r.get("list")
		if list == "" {
			list = im.opt.List
		}
		if list == "" {
			im.errf(r.n, "缺少“清单类型”：请加“清单类型”列，或用 --list 指定（%s）", strings.Join(lists, "、"))
		}
		list = im.oneOf(r, "list", list, lists, listAlias)
		t.setStr("list", list)
		t.setStr("item", im.item(r, "", false))
		t.setStr("group", r.get("group"))
		t.setStr("violation", im.need(r, "violation"))
		t.setStr("violation_basis", r.get("violation_basis"))
		t.setStr("basis", r.get("basis"))
		cond := r.get("conditions")
		if cond == "" && list != "" && !(im.opt.Conditions != "" && list == im.opt.List) {
			im.errf(r.n, "缺少“适用条件”（或用 --conditions 为“%s”填写清单级适用条件）", list)
		}
		t.setStr("conditions", cond)
		t.setStr("handling", r.get("handling"))
		if v := r.get("observation_days"); v != "" {
			n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSuffix(v, "天"), "日"))
			if err != nil || n < 0 {
				im.errf(r.n, "观察期“%s”应为天数（如 30）", v)
			} else {
				t.set("observation_days", n)
			}
		}
		out = append(out, t)
	}
	im.res.Count = len(rows)
	return out
}

func (im *imp) plan(rows []row) []*tbl {
	im.res.Noun = "项检查任务"
	if im.opt.Year == 0 {
		im.errf(im.h.row, "导入检查计划须用 --year 指定计划年度")
		return nil
	}
	if !im.requireCols("method", "targets") {
		return nil
	}
	if !im.has("name") && !im.has("item_name") {
		im.requireCols("name")
		return nil
	}
	root := &tbl{fields: []kv{{"year", im.opt.Year}}}
	if im.opt.Published != 0 {
		root.set("published", im.opt.Published)
	} else {
		root.comment = "published 是计划的公示日期：导入时暂填今天，请改为实际公示日期（也可用 --published 指定）"
		root.set("published", im.opt.Today)
	}
	out := []*tbl{root}
	gen := newIDs(fmt.Sprintf("%s-P%d-%%02d", im.prefix(), im.opt.Year), rows, "id")
	for _, r := range rows {
		t := &tbl{header: "[[task]]"}
		t.set("id", im.id(r, gen))
		name := r.get("name")
		if name == "" {
			name = r.get("item_name")
		}
		if name == "" {
			im.errf(r.n, "缺少“任务名称”")
		}
		t.setStr("name", name)
		t.setStr("item", im.item(r, "行政检查", true))
		t.setStr("kind", im.oneOf(r, "kind", r.get("kind"), taskKinds, kindAlias))
		method := im.need(r, "method")
		t.setStr("method", method)
		t.setStr("targets", im.need(r, "targets"))
		t.setStr("population", r.get("population"))
		t.setStr("ratio", r.get("ratio"))
		t.setStr("max_frequency", r.get("max_frequency"))
		if v := r.get("enterprise"); v != "" {
			if b, ok := yesNo[v]; ok {
				t.set("enterprise", b)
			} else {
				im.errf(r.n, "是否涉企“%s”应为“是”或“否”", v)
			}
		}
		if v := r.get("months"); v != "" {
			if ms := parseMonths(v); ms != nil {
				t.set("months", ms)
			} else {
				im.note(r.n, "无法识别实施时间“%s”，未填写 months；可手工填写 months 或 window_from/window_to", v)
			}
		}
		if strings.Contains(method, "非现场") || strings.Contains(method, "书面") {
			t.set("onsite", false)
		}
		t.setStr("basis", r.get("basis"))
		if v := r.get("joint"); v != "" {
			im.note(r.n, "联合部门“%s”未导入：joint_with 须填写执法主体编号（如 jm-wjj），请手工填写", v)
		}
		out = append(out, t)
	}
	im.res.Count = len(rows)
	return out
}

func (im *imp) officers(rows []row) []*tbl {
	im.res.Noun = "名执法人员"
	if !im.requireCols("name", "cert_no") {
		return nil
	}
	var out []*tbl
	first := map[string]int{}
	for _, r := range rows {
		t := &tbl{header: "[[officer]]"}
		t.setStr("name", im.need(r, "name"))
		cert := im.need(r, "cert_no")
		if cert != "" && !validItemCode(cert) {
			im.errf(r.n, "执法证号“%s”只能由字母、数字和符号组成，不能含空格或“/”", cert)
		} else if n, dup := first[cert]; dup && cert != "" {
			im.errf(r.n, "执法证号“%s”与第%d行重复", cert, n)
		} else {
			first[cert] = r.n
		}
		t.setStr("cert_no", cert)
		t.setStr("field", r.get("field"))
		t.setStr("status", im.oneOf(r, "status", r.get("status"), offStatus, offAlias))
		if v := r.get("validity"); v != "" && r.get("valid_from") == "" && r.get("valid_until") == "" {
			a, b, ok := cutRange(v)
			if !ok {
				a, b = "", v
			}
			r.cells["valid_from"], r.cells["valid_until"] = a, b
		}
		im.setDate(t, r, "valid_from")
		im.setDate(t, r, "valid_until")
		out = append(out, t)
	}
	im.res.Count = len(rows)
	return out
}

func firstOf(rs []row, f string) string {
	for _, r := range rs {
		if v := r.get(f); v != "" {
			return v
		}
	}
	return ""
}

func setNum(t *tbl, key string, v *float64) {
	if v != nil {
		t.set(key, *v)
	}
}

func (im *imp) setDate(t *tbl, r row, field string) {
	v := r.get(field)
	if v == "" {
		return
	}
	d, ok := parseDate(v)
	if raw := r.raw(field); !ok && raw != v && serialRE.MatchString(raw) {
		d, ok = parseDate(raw) // an XLSX date shown in a format that drops the day
	}
	if !ok {
		label := field
		if c, ok := im.cols[field]; ok {
			label = c.label
		}
		im.errf(r.n, "%s“%s”不是日期：请写作 2025-03-01 或 2025年3月1日", label, v)
		return
	}
	t.set(field, d)
}

// cutRange splits "2020-03-01至2030-02-28" (至, 到, ~, —, or " - ").
func cutRange(s string) (string, string, bool) {
	for _, sep := range []string{"至", "到", "~", "～", "—", " - ", "－"} {
		if a, b, ok := strings.Cut(s, sep); ok {
			return strings.TrimSpace(a), strings.TrimSpace(b), true
		}
	}
	return "", "", false
}

func seq(a, b int) []int {
	var out []int
	for i := a; i <= b; i++ {
		out = append(out, i)
	}
	return out
}
