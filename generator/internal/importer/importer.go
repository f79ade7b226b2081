// Package importer turns the spreadsheets agencies keep (事项目录, 裁量基准,
// 四张清单, 检查计划, 执法人员名单; XLSX or CSV) into content TOML: it finds
// the header row under any title rows, maps the Chinese column headers
// agencies use to spec fields, carries merged cells down, groups the tiers
// of one benchmark, extracts fine bounds stated plainly, and reports every
// row-level defect with the spreadsheet's row number.
package importer

import (
	"fmt"
	"path/filepath"
	"strings"

	"zfgs/generator/internal/model"
)

// Item is a catalogue item the agency may use (own or claimed), to find a
// code from a name when a sheet has no code column.
type Item struct{ Code, Name, Type string }

// Options of one import.
type Options struct {
	Kind   string // catalogue | benchmarks | leniency | plan | officers
	Agency string // agency id: the prefix of generated ids
	File   string // the file as named on the command line, for messages
	Sheet  string // XLSX sheet; "" = the first
	Year   int    // plan: the plan's year
	// Published is the plan's 公示日期; zero writes Today with a reminder.
	Published, Today model.Date
	// List and Conditions: the leniency list of rows that name none, and
	// that list's list-level 适用条件.
	List, Conditions string
	Items            []Item
}

// Result of an import. TOML is empty when there are Errors.
type Result struct {
	TOML   string
	Errors []string // "FILE:第N行: 中文说明"
	Notes  []string // remarks that do not stop the import
	Count  int      // records written (items, benchmarks, entries, tasks, officers)
	Noun   string   // what Count counts, e.g. "条裁量基准"
}

// row is one data row: its spreadsheet row number and its cells by field.
type row struct {
	n     int
	cells map[string]string
	raw   func(field string) string // the cell without its number format
}

func (r row) get(f string) string { return r.cells[f] }

type imp struct {
	opt  Options
	res  *Result
	h    *header
	cols map[string]col
}

// Import reads data (named opt.File) and converts it. A file that cannot be
// read at all (unknown format, no header row) is an error; defects of rows
// are in Result.Errors.
func Import(data []byte, opt Options) (*Result, error) {
	cols, ok := kinds[opt.Kind]
	if !ok {
		return nil, fmt.Errorf("--kind 应为 %s 之一", strings.Join(Kinds(), "、"))
	}
	sh, err := ReadSheet(opt.File, data, opt.Sheet)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", opt.File, err)
	}
	h := findHeader(sh.Rows, cols)
	if h == nil {
		return nil, fmt.Errorf("%s: 在前 30 行中找不到表头：表头行应含 %s 等列中的至少两个", opt.File, expected(cols))
	}
	im := &imp{opt: opt, res: &Result{}, h: h, cols: map[string]col{}}
	for _, c := range cols {
		im.cols[c.field] = c
	}
	if len(h.ignored) > 0 {
		im.note(h.row, "以下列未识别，未导入：%s", strings.Join(h.ignored, "、"))
	}
	rows := im.rows(sh.Rows, sh.Raw)
	if len(rows) == 0 {
		im.errf(h.row, "表头之下没有数据行")
		return im.res, nil
	}
	var tables []*tbl
	switch opt.Kind {
	case "catalogue":
		tables = im.catalogue(rows)
	case "benchmarks":
		tables = im.benchmarks(rows)
	case "leniency":
		tables = im.leniency(rows)
	case "plan":
		tables = im.plan(rows)
	case "officers":
		tables = im.officers(rows)
	}
	if len(im.res.Errors) > 0 {
		return im.res, nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# 由 generator import --kind %s 从 %s 导入（表头在第%d行）；请核对后提交。\n", opt.Kind, printable(filepath.Base(opt.File)), h.row)
	if opt.Kind == "officers" {
		b.WriteString("# 执法人员：请把以下 [[officer]] 追加到本主体的 agency.toml 末尾。\n")
	}
	b.WriteByte('\n')
	writeTOML(&b, tables)
	im.res.TOML = b.String()
	return im.res, nil
}

// printable drops control characters (a file name is written into a TOML
// comment, where a newline would end it).
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

func (im *imp) errf(n int, format string, args ...any) {
	im.res.Errors = append(im.res.Errors, fmt.Sprintf("%s:第%d行: %s", im.opt.File, n, fmt.Sprintf(format, args...)))
}

func (im *imp) note(n int, format string, args ...any) {
	im.res.Notes = append(im.res.Notes, fmt.Sprintf("%s:第%d行: %s", im.opt.File, n, fmt.Sprintf(format, args...)))
}

// has reports whether the sheet has a column for field.
func (im *imp) has(field string) bool { _, ok := im.h.index[field]; return ok }

// requireCols reports, once at the header row, each required column the
// sheet lacks; it returns false if any is missing.
func (im *imp) requireCols(fields ...string) bool {
	ok := true
	for _, f := range fields {
		if !im.has(f) {
			c := im.cols[f]
			im.errf(im.h.row, "表头缺少“%s”列（可用的列名：%s）", c.label, strings.Join(c.names, "、"))
			ok = false
		}
	}
	return ok
}

// need returns a required cell, reporting it when blank.
func (im *imp) need(r row, field string) string {
	v := r.get(field)
	if v == "" && im.has(field) {
		im.errf(r.n, "缺少“%s”", im.cols[field].label)
	}
	return v
}

// rows maps the data rows below the header to fields: blank rows, notes
// (“注：…”) and repeated headers are skipped; a row holding only a section
// title (一、食品安全类) sets the group of the rows below it; carry columns
// take an empty cell's value from the row above.
func (im *imp) rows(all, raw [][]string) []row {
	var out []row
	prev := map[string]string{}
	section := ""
	_, hasGroup := im.cols["group"]
	for i := im.h.row; i < len(all); i++ {
		cells := map[string]string{}
		var distinct []string
		for f, j := range im.h.index {
			if j < len(all[i]) && all[i][j] != "" {
				cells[f] = all[i][j]
				if !contains(distinct, all[i][j]) {
					distinct = append(distinct, all[i][j])
				}
			}
		}
		if len(cells) == 0 || isHeaderRepeat(cells, im.cols) {
			continue
		}
		if len(distinct) == 1 {
			v := distinct[0]
			if strings.HasPrefix(v, "注") || strings.HasPrefix(v, "说明") || strings.HasPrefix(v, "备注") || strings.HasPrefix(v, "填表") {
				continue
			}
			_, onlySeq := cells["seq"]
			_, onlyGroup := cells["group"]
			if hasGroup && (len(cells) >= 3 || (len(cells) == 1 && (onlySeq || onlyGroup))) {
				section = v
				prev = map[string]string{}
				continue
			}
		}
		for f, c := range im.cols {
			if c.carry && cells[f] == "" && prev[f] != "" {
				cells[f] = prev[f]
			}
		}
		if hasGroup && cells["group"] == "" && section != "" {
			cells["group"] = section
		}
		prev = cells
		i := i
		rawOf := func(f string) string {
			j, ok := im.h.index[f]
			if !ok || i >= len(raw) || j >= len(raw[i]) {
				return ""
			}
			return raw[i][j]
		}
		out = append(out, row{n: i + 1, cells: cells, raw: rawOf})
	}
	return out
}

func isHeaderRepeat(cells map[string]string, cols map[string]col) bool {
	n := 0
	for f, v := range cells {
		if contains(cols[f].names, normHeader(v)) {
			n++
		}
	}
	return n >= 2
}

// ids hands out generated ids (PREFIX-B001…) that the sheet does not use.
type ids struct {
	format string
	next   int
	used   map[string]bool
}

func newIDs(format string, rows []row, field string) *ids {
	g := &ids{format: format, next: 1, used: map[string]bool{}}
	for _, r := range rows {
		if v := r.get(field); v != "" {
			g.used[v] = true
		}
	}
	return g
}

func (g *ids) get() string {
	for {
		id := fmt.Sprintf(g.format, g.next)
		g.next++
		if !g.used[id] {
			g.used[id] = true
			return id
		}
	}
}

// prefix is the agency id in capitals: jm-scjg → JM-SCJG.
func (im *imp) prefix() string { return strings.ToUpper(im.opt.Agency) }

// id returns the row's own id when it is one (a plain 序号-like number is
// not: it is not unique across the site), else a generated one.
func (im *imp) id(r row, g *ids) string {
	v := r.get("id")
	if v == "" || isDigits(v) {
		return g.get()
	}
	if !validID(v) {
		im.errf(r.n, "编号“%s”不符合规则：只能用英文字母、数字和连字符，最长 40 个字符（可删去此列，由导入自动生成）", v)
	}
	return v
}

// item finds the catalogue code of a row: its code cell, else the item
// named in item_name, else (benchmarks) the one 行政处罚 item whose name
// contains the violation. typ limits the search to one item type.
func (im *imp) item(r row, typ string, required bool) string {
	if c := r.get("item"); c != "" {
		if !validItemCode(c) {
			im.errf(r.n, "事项编码“%s”不能含空格、“/”或中文字符", c)
		}
		return c
	}
	var tries []string
	if n := r.get("item_name"); n != "" {
		if code := im.findItem(typ, func(it Item) bool { return it.Name == n }); code != "" {
			return code
		}
		tries = append(tries, "事项“"+n+"”")
	} else if v := r.get("violation"); v != "" && im.opt.Kind == "benchmarks" {
		if code := im.findItem(typ, func(it Item) bool { return strings.Contains(it.Name, v) }); code != "" {
			return code
		}
		tries = append(tries, "违法行为“"+v+"”对应的事项")
	}
	if !required {
		if len(tries) > 0 {
			im.note(r.n, "在本主体的事项目录中找不到%s，未填写 item", tries[0])
		}
		return ""
	}
	what := "表中没有“事项编码”列"
	if len(tries) > 0 {
		what = "在本主体的事项目录（含认领事项）中找不到" + tries[0]
	}
	im.errf(r.n, "无法确定事项编码：%s；请在表中加“事项编码”列，或先导入事项目录（--kind catalogue）", what)
	return ""
}

func (im *imp) findItem(typ string, match func(Item) bool) string {
	var found []string
	for _, it := range im.opt.Items {
		if (typ == "" || it.Type == typ) && match(it) && !contains(found, it.Code) {
			found = append(found, it.Code)
		}
	}
	if len(found) == 1 {
		return found[0]
	}
	return ""
}

// oneOf normalizes a value to its enum through aliases, or reports it.
func (im *imp) oneOf(r row, field, v string, allowed []string, alias map[string]string) string {
	if v == "" || contains(allowed, v) {
		return v
	}
	if a, ok := alias[v]; ok {
		return a
	}
	im.errf(r.n, "%s“%s”不是允许的取值；应为：%s", im.cols[field].label, v, strings.Join(allowed, "、"))
	return ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func validID(s string) bool {
	if len(s) == 0 || len(s) > 40 {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func validItemCode(s string) bool {
	if s == "" || len(s) > 80 {
		return false
	}
	for _, c := range []byte(s) {
		if c <= ' ' || c > '~' || c == '/' {
			return false
		}
	}
	return true
}

// splitList splits "市、县" or "市,县" or "市/县".
func splitList(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool {
		return r == '、' || r == ',' || r == '，' || r == '/' || r == ';' || r == '；' || r == ' ' || r == '\n'
	})
	return f
}
