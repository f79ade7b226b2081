package rules

import (
	"strings"

	"zfgs/generator/internal/diag"
	"zfgs/generator/internal/model"
)

// StatsDue is the day statistics for year y are due (stats_due of y+1).
func StatsDue(c *model.Config, y int) model.Date {
	return model.DateOf(y+1, c.Rules.StatsDueMonth, c.Rules.StatsDueDay)
}

// IsMoneyColumn reports whether a column label names an amount of money
// (元/万元) rather than a count: money is never part of a total of counts.
func IsMoneyColumn(label string) bool {
	return strings.Contains(label, "元")
}

func checkStats(s *model.Site, st *model.Stats, diags *diag.List) {
	if due := StatsDue(&s.Config, st.Year); st.Published != 0 && st.Published > due {
		diags.Add(st.Src.Field("published"), diag.EStatsLate, "%d 年度统计数据于 %s 公开，晚于截止日 %s", st.Year, st.Published, due)
	}
	var tmpl map[string]*model.TemplateTable
	if s.StatsTemplate != nil {
		tmpl = map[string]*model.TemplateTable{}
		for _, t := range s.StatsTemplate.Tables {
			tmpl[t.Title] = t
		}
	}
	for i, t := range st.Tables {
		if tmpl != nil && t.Title != "" {
			tt := tmpl[t.Title]
			if tt == nil {
				diags.Add(t.Src.Field("title"), diag.ERef, "统计表“%s”不在全市统计模板（content/stats.toml）中；模板中的表：%s", t.Title, templateTitles(s.StatsTemplate))
			} else {
				for _, c := range t.Columns {
					if !contains(tt.Columns, c.Label) {
						diags.Add(t.Src.Field("values."+c.Label), diag.ERef, "统计项“%s”不在模板“%s”的列中；模板列：%s", c.Label, t.Title, strings.Join(tt.Columns, "、"))
					}
				}
			}
		}
		_ = i
		checkTotal(t, diags)
	}
}

func templateTitles(t *model.StatsTemplate) string {
	var out []string
	for _, x := range t.Tables {
		out = append(out, "“"+x.Title+"”")
	}
	return strings.Join(out, "、")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkTotal compares the total column with the sum of the other count
// columns (money columns are not counts).
func checkTotal(t *model.StatsTable, diags *diag.List) {
	if t.Total == "" {
		return
	}
	var total *float64
	sum := 0.0
	for _, c := range t.Columns {
		if c.Label == t.Total {
			v := c.Value
			total = &v
			continue
		}
		if !IsMoneyColumn(c.Label) {
			sum += c.Value
		}
	}
	if total == nil {
		return
	}
	if diff := *total - sum; diff > 1e-6 || diff < -1e-6 {
		diags.Add(t.Src.Field("values."+t.Total), diag.EStatsTotal, "“%s”的合计列“%s”为 %s，但各分项之和为 %s", t.Title, t.Total, num(*total), num(sum))
	}
}
