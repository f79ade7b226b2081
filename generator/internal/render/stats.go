package render

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"zfgs/generator/internal/model"
	"zfgs/generator/internal/rules"
)

// statsTable is one table as a page shows it: transposed (one row per
// column label), because the published tables have up to 14 columns and a
// phone is narrow. Heads are the value columns: one for an agency's page;
// 全市合计 and then each agency on the city page.
type statsTable struct {
	Title, Unit string
	Heads       []string
	Rows        []statsRow
	Chart       *chartView
}

type statsRow struct {
	Label string
	Cells []string // "" = not reported
}

// tableShape is a table's title, unit, total column and column order: from
// the city's template when it has one, else as first published.
type tableShape struct {
	Title, Unit, Total string
	Columns            []string
}

// isRatioColumn: a rate (持证率(%)) is not added up across agencies.
func isRatioColumn(label string) bool {
	return strings.Contains(label, "率") || strings.Contains(label, "%") || strings.Contains(label, "％")
}

// chartable columns are counts: not money, not rates, not the total itself.
func chartable(sh tableShape, label string) bool {
	return label != sh.Total && !rules.IsMoneyColumn(label) && !isRatioColumn(label)
}

// shapes returns the table shapes for a set of stats files.
func (r *Renderer) shapes(files []*model.Stats) []tableShape {
	if t := r.site.StatsTemplate; t != nil {
		out := make([]tableShape, len(t.Tables))
		for i, tt := range t.Tables {
			out[i] = tableShape{Title: tt.Title, Unit: tt.Unit, Total: tt.Total, Columns: tt.Columns}
		}
		return out
	}
	var out []tableShape
	at := map[string]int{}
	for _, st := range files {
		for _, t := range st.Tables {
			i, ok := at[t.Title]
			if !ok {
				i = len(out)
				at[t.Title] = i
				out = append(out, tableShape{Title: t.Title, Unit: t.Unit, Total: t.Total})
			}
			for _, c := range t.Columns {
				if !contains(out[i].Columns, c.Label) {
					out[i].Columns = append(out[i].Columns, c.Label)
				}
			}
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// lookup finds a reported value: table title and column label must match.
func lookup(st *model.Stats, title, label string) (float64, bool) {
	for _, t := range st.Tables {
		if t.Title != title {
			continue
		}
		for _, c := range t.Columns {
			if c.Label == label {
				return c.Value, true
			}
		}
	}
	return 0, false
}

func hasTable(st *model.Stats, title string) bool {
	for _, t := range st.Tables {
		if t.Title == title {
			return true
		}
	}
	return false
}

// statsTables builds the tables of one year for files (one agency, or every
// agency of the city). On the city page a 全市合计 column comes
// first: it adds up equal title+label columns, leaving rates blank and a
// column nobody reported blank (not 0).
func (r *Renderer) statsTables(files []*model.Stats, city bool) []statsTable {
	chartPrefix := "chart-agency"
	if city {
		chartPrefix = "chart-city"
	}
	var out []statsTable
	for _, sh := range r.shapes(files) {
		var in []*model.Stats
		for _, st := range files {
			if hasTable(st, sh.Title) {
				in = append(in, st)
			}
		}
		if len(in) == 0 {
			continue
		}
		t := statsTable{Title: sh.Title, Unit: sh.Unit}
		if city {
			t.Heads = append(t.Heads, "全市合计")
		}
		for _, st := range in {
			t.Heads = append(t.Heads, agencyLabel(st.Agency, city))
		}
		var bars []bar
		for _, label := range sh.Columns {
			row := statsRow{Label: label}
			sum, decimals, any := 0.0, 0, false
			var cells []string
			for _, st := range in {
				v, ok := lookup(st, sh.Title, label)
				if !ok {
					cells = append(cells, "")
					continue
				}
				s := formatNumber(v)
				cells = append(cells, s)
				sum, any = sum+v, true
				if _, frac, ok := strings.Cut(s, "."); ok {
					decimals = max(decimals, len(frac))
				}
			}
			shown, total := "", 0.0
			if any && (!city || !isRatioColumn(label)) {
				total = roundTo(sum, decimals)
				shown = formatNumber(total)
			}
			if city {
				row.Cells = append([]string{shown}, cells...)
			} else {
				row.Cells = cells
			}
			if any && chartable(sh, label) {
				bars = append(bars, bar{label, total})
			}
			t.Rows = append(t.Rows, row)
		}
		title := sh.Title
		if city {
			title = "全市合计：" + title
		}
		if sh.Unit != "" {
			title += "（单位：" + sh.Unit + "）"
		}
		t.Chart = barChart(chartID(chartPrefix, len(out)+1), title, bars)
		out = append(out, t)
	}
	return out
}

// roundTo removes float noise from a sum of decimals (0.1+0.2).
func roundTo(v float64, decimals int) float64 {
	p := math.Pow10(min(decimals, 6))
	return math.Round(v*p) / p
}

func agencyLabel(a *model.Agency, short bool) string {
	if short && a.ShortName != "" {
		return a.ShortName
	}
	return a.Name
}

// statsView is a year's statistics page.
type statsView struct {
	Year     int
	Agency   *model.Agency // nil on the city page
	Tables   []statsTable
	Files    []statsFileRow
	Due      model.Date
	Template bool
}

type statsFileRow struct {
	Agency    *model.Agency
	Href      string
	Published model.Date
	OnTime    bool
}

var statsColumns = []column{
	{"agency", "执法主体"}, {"agency_id", "执法主体代码"}, {"year", "年度"}, {"published", "公开日期"},
	{"table", "统计表"}, {"unit", "单位"}, {"label", "统计项"}, {"value", "数值"},
}

func addStatsRows(d *dataset, st *model.Stats) {
	a := st.Agency
	for _, t := range st.Tables {
		for _, c := range t.Columns {
			d.add(a.Name, a.ID, st.Year, st.Published, t.Title, t.Unit, c.Label, c.Value)
		}
	}
}

func (b *Build) statsPages(*caseIndex) error {
	r := b.r
	byYear := map[int][]*model.Stats{}
	for _, a := range r.site.Agencies {
		for _, st := range a.Stats {
			byYear[st.Year] = append(byYear[st.Year], st)
			due := rules.StatsDue(&r.site.Config, st.Year)
			d := &dataset{cols: statsColumns}
			addStatsRows(d, st)
			title := fmt.Sprintf("%d 年度行政执法数据", st.Year)
			links, err := b.writeData(a.ID, a.Name, "stats/"+strconv.Itoa(st.Year), title, d)
			if err != nil {
				return err
			}
			v := &statsView{Year: st.Year, Agency: a, Due: due, Template: r.site.StatsTemplate != nil,
				Tables: r.statsTables([]*model.Stats{st}, false),
				Files:  []statsFileRow{{a, statsPath(a.ID, st.Year), st.Published, st.Published != 0 && st.Published <= due}}}
			err = b.writePage("stats.html", &page{
				Title: a.Name + title, Path: statsPath(a.ID, st.Year), Nav: "stats",
				Crumbs: []link{{"首页", "/"}, {a.Name, agencyPath(a.ID)}}, Data: links, D: v,
			})
			if err != nil {
				return err
			}
		}
	}
	var index []yearCount
	for _, y := range years(byYear) {
		files := byYear[y]
		due := rules.StatsDue(&r.site.Config, y)
		v := &statsView{Year: y, Due: due, Template: r.site.StatsTemplate != nil, Tables: r.statsTables(files, true)}
		site := &dataset{cols: statsColumns}
		for _, st := range files {
			v.Files = append(v.Files, statsFileRow{st.Agency, statsPath(st.Agency.ID, y), st.Published, st.Published != 0 && st.Published <= due})
			addStatsRows(site, st)
		}
		title := fmt.Sprintf("%d 年度行政执法数据", y)
		links, err := b.writeData("", "", "stats/"+strconv.Itoa(y), title, site)
		if err != nil {
			return err
		}
		err = b.writePage("stats.html", &page{
			Title: title, Path: statsPath("", y), Nav: "stats",
			Crumbs: []link{{"首页", "/"}, {"执法统计", statsPath("", 0)}}, Data: links, D: v,
		})
		if err != nil {
			return err
		}
		index = append(index, yearCount{Year: y, Count: len(files), Href: statsPath("", y)})
	}
	return b.writePage("stats-index.html", &page{
		Title: "年度行政执法数据", Path: statsPath("", 0), Nav: "stats", Crumbs: []link{{"首页", "/"}}, D: index,
	})
}
