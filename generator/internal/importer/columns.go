package importer

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// col maps the column headers agencies use for one spec field.
type col struct {
	field string   // spec field, or a helper ("seq", "item_name", "validity")
	names []string // headers as published (normalized on use)
	label string   // how an error names the column
	// carry: an empty cell takes the value of the row above (a merged cell
	// exported without its merge, e.g. to CSV).
	carry bool
	// hints: a header no name matches is this column's when it contains
	// one of these (不予处罚的适用条件, 后续监管措施): each agency words its
	// headers a little differently.
	hints []string
}

// Columns of every kind. Where a header is ambiguous across kinds (类别 is
// the item type in a catalogue, the tier number in 江门's benchmark tables and
// a chapter in leniency lists) each kind says what it means there.
var kinds = map[string][]col{
	"catalogue": {
		{field: "code", label: "事项编码", names: []string{"事项编码", "编码", "事项代码", "职权编码", "基本编码", "权力编码", "事项编号", "实施编码"}},
		{field: "name", label: "事项名称", names: []string{"事项名称", "项目名称", "职权名称", "执法事项名称", "权力名称", "权力事项名称", "行政职权名称"}},
		{field: "type", label: "事项类型", carry: true, names: []string{"事项类型", "职权类型", "类别", "事项类别", "权力类型", "职权类别", "类型"}},
		{field: "basis", label: "设定依据", names: []string{"设定依据", "法律依据", "依据", "执法依据", "实施依据", "法定依据"}},
		{field: "level", label: "行使层级", carry: true, names: []string{"行使层级", "实施层级", "层级"}},
		{field: "department", label: "实施机构", carry: true, names: []string{"实施机构", "承办机构", "内设机构", "承办科室", "责任科室", "部门"}},
		{field: "status", label: "状态", names: []string{"状态", "事项状态"}},
		{field: "updated", label: "更新日期", names: []string{"更新日期", "调整日期", "更新时间"}},
	},
	"benchmarks": {
		{field: "id", label: "基准编号", carry: true, names: []string{"基准编号", "编号", "裁量基准编号"}},
		{field: "seq", label: "序号", carry: true, names: []string{"序号"}},
		{field: "item", label: "事项编码", carry: true, names: []string{"事项编码", "编码", "事项代码", "职权编码"}},
		{field: "item_name", label: "事项名称", carry: true, names: []string{"事项名称", "项目名称", "职权名称", "处罚事项"}},
		{field: "group", label: "分类", carry: true, names: []string{"分类", "章节", "所属领域", "领域"}},
		{field: "violation", label: "违法行为", carry: true, names: []string{"违法行为", "违法行为名称", "违法行为表现"}},
		{field: "violation_basis", label: "违法依据", names: []string{"违法依据", "违反条款", "违法条款", "违反的法律条款"}},
		{field: "penalty_basis", label: "处罚依据", names: []string{"处罚依据", "罚则", "法律依据", "依据"}},
		{field: "refines", label: "上级基准编号", names: []string{"上级基准编号", "细化基准"}},
		{field: "level", label: "裁量阶次", names: []string{"裁量阶次", "裁量档次", "阶次", "档次", "裁量等级", "违法程度", "情节", "类别"}},
		{field: "conditions", label: "适用条件", names: []string{"适用条件", "裁量情节", "情形", "适用情形", "具体情形", "裁量因素", "违法情节"}, hints: []string{"情形", "条件"}},
		{field: "penalty", label: "处罚标准", names: []string{"处罚标准", "裁量基准", "处罚幅度", "裁量标准", "裁量幅度", "处罚裁量基准", "具体标准", "罚款标准"}},
		{field: "notes", label: "备注", names: []string{"备注", "说明"}},
	},
	"leniency": {
		{field: "id", label: "编号", names: []string{"编号", "清单编号", "条目编号"}},
		{field: "list", label: "清单类型", carry: true, names: []string{"清单类型", "清单名称", "清单", "清单类别", "适用清单"}},
		{field: "item", label: "事项编码", names: []string{"事项编码", "编码", "事项代码"}},
		{field: "item_name", label: "事项名称", names: []string{"事项名称", "职权名称"}},
		{field: "group", label: "类别", carry: true, names: []string{"类别", "分类", "领域", "执法领域", "行业"}},
		{field: "violation", label: "违法行为", names: []string{"违法行为", "违法行为名称", "事项", "违法事项", "轻微违法行为", "违法行为表现"}},
		{field: "violation_basis", label: "违反条款", names: []string{"违反条款", "违法依据", "违反的法律条款", "违反规定"}},
		{field: "basis", label: "处罚依据", names: []string{"处罚依据", "法律依据", "依据"}},
		{field: "conditions", label: "适用条件", names: []string{"适用条件", "情形", "适用情形", "情节", "裁量情节", "具体情形", "不予处罚的情节", "不予处罚的情形", "从轻处罚的情形", "减轻处罚的情形", "首违不罚的情形", "不予实施行政强制措施的情形"}, hints: []string{"条件", "情形", "情节"}},
		{field: "handling", label: "处理方式", names: []string{"处理方式", "处理措施", "处理结果", "处理意见"}, hints: []string{"措施", "处理"}},
		{field: "observation_days", label: "观察期", names: []string{"观察期", "观察期限", "观察期天"}},
	},
	"plan": {
		{field: "id", label: "任务编号", names: []string{"任务编号", "编号"}},
		{field: "name", label: "任务名称", names: []string{"任务名称", "抽查任务名称", "检查任务名称", "计划名称"}},
		{field: "item_name", label: "检查事项", names: []string{"检查事项", "抽查事项", "事项名称"}},
		{field: "item", label: "事项编码", names: []string{"事项编码", "检查事项编码", "编码"}},
		{field: "kind", label: "检查类型", carry: true, names: []string{"检查类型", "任务类型", "类型"}},
		{field: "method", label: "检查方式", names: []string{"检查方式", "抽查方式", "抽查类型", "检查方法"}},
		{field: "targets", label: "检查对象", names: []string{"检查对象", "抽查对象", "联查对象", "管理对象"}},
		{field: "population", label: "检查对象基数", names: []string{"检查对象基数", "管理对象基数", "对象基数"}},
		{field: "ratio", label: "抽查比例", names: []string{"抽查比例", "检查比例", "比例"}},
		{field: "max_frequency", label: "检查频次", names: []string{"检查频次", "检查频次上限", "频次", "频次上限"}},
		{field: "enterprise", label: "是否涉企", names: []string{"是否涉企", "涉企"}},
		{field: "months", label: "实施时间", names: []string{"实施时间", "检查时间", "任务日期", "时间安排", "计划时间", "实施月份"}, hints: []string{"时间", "月份"}},
		{field: "basis", label: "制定任务依据", carry: true, names: []string{"制定任务依据", "检查依据", "依据", "法律依据"}},
		{field: "joint", label: "联合部门", names: []string{"联合部门", "联查部门", "配合部门"}},
	},
	"officers": {
		{field: "name", label: "姓名", names: []string{"姓名", "执法人员", "执法人员姓名"}},
		{field: "cert_no", label: "执法证号", names: []string{"执法证号", "证件号码", "执法证件号码", "执法证编号", "证号", "执法证件号"}},
		{field: "field", label: "执法领域", carry: true, names: []string{"执法领域", "执法类别", "执法门类"}},
		{field: "status", label: "状态", names: []string{"状态", "持证状态", "证件状态"}},
		{field: "valid_from", label: "发证日期", names: []string{"发证日期", "有效期起", "有效期自", "有效期开始", "发证时间"}},
		{field: "valid_until", label: "有效期至", names: []string{"有效期至", "有效期止", "有效期截止", "到期日期", "有效期限至"}},
		{field: "validity", label: "有效期", names: []string{"有效期", "有效期限"}},
	},
}

// Kinds lists the kinds import understands.
func Kinds() []string { return []string{"catalogue", "benchmarks", "leniency", "plan", "officers"} }

// normHeader reduces a header to its core: no blanks, no required-field
// stars or quotes, and no parenthesised unit or note ("裁量阶次（档次）",
// "观察期（天）", "*事项名称").
func normHeader(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '(' || r == '（' || r == '[' || r == '【':
			depth++
		case r == ')' || r == '）' || r == ']' || r == '】':
			if depth > 0 {
				depth--
			}
		case depth > 0, unicode.IsSpace(r), r == '*', r == '＊', r == '"', r == '“', r == '”', r == '\'', r == '：', r == ':':
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// header is the header row found: the column index of each field.
type header struct {
	row     int // 1-based spreadsheet row
	cols    []col
	index   map[string]int // field → column
	ignored []string       // headers not understood
	// tiers are a wide benchmark table's tier columns (轻微 | 一般 | 严重,
	// each cell that tier's penalty), in the sheet's order; their cells
	// are a row's fields tierField(k).
	tiers []string
}

// tierField is the row field of a wide table's k-th tier column.
func tierField(k int) string { return "\x00tier" + strconv.Itoa(k) }

// tierNameRE matches the headers of a wide benchmark table's tier columns:
// 轻微, 较轻, 一般, 较重, 严重, 特别严重 (with 情节/违法 or 的), or
// numbered (第一档, 二档, 3级, A档).
var tierNameRE = regexp.MustCompile(`^(?:违法)?(?:情节)?(?:特别|较|很)?(?:轻微|轻|一般|重|严重)(?:情节|的)?$|^第?(?:[一二三四五六七八九十]+|\d+|[A-Ea-e])(?:档|级|阶|阶次|档次)$`)

// findHeader returns the first row, among the first 30, with at least two
// headers of the kind (a title row above it has at most one long cell).
// Published tables often have a two-level header: a group (法律依据,
// 裁量基准) merged over the columns whose own names (违反条款, 处罚依据;
// 违法程度, 适用情形, 处罚幅度) are on the row below. When that row names
// at least two columns of the kind that the row above does not, each
// column is known by its lower name where it has one, and the data starts
// below both rows.
//
// A benchmark table may instead be wide: one column per tier, headed by
// the tier's name, under a 裁量基准 group or not. Its tier columns are
// kept in header.tiers when the table has no 裁量阶次 and no 处罚标准
// column of its own.
func findHeader(rows [][]string, cols []col) *header {
	wide := false
	for _, c := range cols {
		wide = wide || c.field == "level"
	}
	lookup := map[string]int{}
	for i, c := range cols {
		for _, n := range c.names {
			if _, dup := lookup[n]; !dup {
				lookup[n] = i
			}
		}
	}
	for r := 0; r < len(rows) && r < 30; r++ {
		h := mapHeader(rows[r], r+1, cols, lookup, wide)
		if len(h.index) < 2 {
			continue
		}
		if r+1 < len(rows) {
			if two := twoLevel(rows[r], rows[r+1], cols, lookup, wide); two != nil {
				return mapHeader(two, r+2, cols, lookup, wide)
			}
		}
		return h
	}
	return nil
}

// mapHeader maps the header cells of a row (1-based number row) to fields.
// With wide, headers that name a tier are taken as a wide table's tier
// columns, unless the row also has a 裁量阶次 or 处罚标准 column.
func mapHeader(cells []string, row int, cols []col, lookup map[string]int, wide bool) *header {
	h := &header{row: row, cols: cols, index: map[string]int{}}
	var tiers []int
	column := map[string]int{} // normalized header → its first column
	for j, cell := range cells {
		n := normHeader(cell)
		if n == "" {
			continue
		}
		if _, seen := column[n]; !seen {
			column[n] = j
		}
		ci, ok := known(n, lookup, cols)
		if wide && !ok && tierNameRE.MatchString(n) && !slices.Contains(h.tiers, n) {
			tiers = append(tiers, j)
			h.tiers = append(h.tiers, n)
			continue
		}
		if !ok || hasIndex(h, cols[ci].field) {
			if n != "序号" {
				h.ignored = append(h.ignored, cell)
			}
			continue
		}
		h.index[cols[ci].field] = j
	}
	lawAndPenalty(h, cells, column)
	if hasIndex(h, "level") || hasIndex(h, "penalty") {
		for _, j := range tiers {
			h.ignored = append(h.ignored, cells[j])
		}
		h.tiers = nil
	}
	for k, j := range tiers[:len(h.tiers)] {
		h.index[tierField(k)] = j
	}
	return h
}

// lawAndPenalty reads 法律依据 as the provision broken when the same
// header also has 处罚依据 (and no 违反条款): 法律依据 alone names a
// table's one basis, but beside 处罚依据 it is the other one.
func lawAndPenalty(h *header, cells []string, column map[string]int) {
	law, okLaw := column["法律依据"]
	penalty, okPenalty := column["处罚依据"]
	if !okLaw || !okPenalty || hasIndex(h, "violation_basis") {
		return
	}
	basis, hasViolationBasis := "", false
	for _, c := range h.cols {
		switch c.field {
		case "basis", "penalty_basis":
			basis = c.field
		case "violation_basis":
			hasViolationBasis = true
		}
	}
	if basis == "" || !hasViolationBasis || h.index[basis] != law {
		return
	}
	h.index["violation_basis"], h.index[basis] = law, penalty
	h.ignored = slices.DeleteFunc(h.ignored, func(cell string) bool { return cell == cells[penalty] })
}

// known finds a normalized header among the kind's names, with or without
// a trailing 名称, else by the first column whose hint it contains.
func known(n string, lookup map[string]int, cols []col) (int, bool) {
	ci, ok := lookup[n]
	if !ok {
		ci, ok = lookup[strings.TrimSuffix(n, "名称")]
	}
	for i := 0; !ok && i < len(cols); i++ {
		for _, h := range cols[i].hints {
			if strings.Contains(n, h) {
				return i, true
			}
		}
	}
	return ci, ok
}

// twoLevel combines a header row and the row below it when that row holds
// the lower level of a two-level header. It does when it names at least
// two columns of the kind that differ from the cell above, or when all its
// text sits under a group: a header cell merged across (read from XLSX, a
// merged cell repeats its value across and down; exported to CSV, it is
// followed by empty cells) or an empty one. A column keeps its upper name
// when only that one is known (项目名称 over 主项名称 | 子项名称). It
// returns nil when the row below is not headers.
func twoLevel(top, below []string, cols []col, lookup map[string]int, wide bool) []string {
	width := max(len(top), len(below))
	at := func(cells []string, j int) string {
		if j >= 0 && j < len(cells) {
			return normHeader(cells[j])
		}
		return ""
	}
	grouped := func(j int) bool {
		t := at(top, j)
		return t == "" || at(top, j-1) == t || (j+1 < width && (at(top, j+1) == t || at(top, j+1) == ""))
	}
	combined := make([]string, width)
	lower, differ, underGroups := 0, 0, true
	for j := range combined {
		t, b := at(top, j), at(below, j)
		combined[j] = t
		if b == "" || b == t {
			continue
		}
		differ++
		underGroups = underGroups && grouped(j)
		_, ok := known(b, lookup, cols)
		if ok || wide && tierNameRE.MatchString(b) {
			lower++
			combined[j] = b
		} else if _, topKnown := known(t, lookup, cols); !topKnown {
			combined[j] = b // neither is ours: the note names the lower one
		}
	}
	if lower < 2 && !(differ > 0 && underGroups) {
		return nil
	}
	return combined
}

func hasIndex(h *header, field string) bool { _, ok := h.index[field]; return ok }

// expected lists a few headers of the kind, for the message when none is
// found.
func expected(cols []col) string {
	var out []string
	for _, c := range cols {
		out = append(out, "“"+c.names[0]+"”")
	}
	return strings.Join(out, "、")
}
