package render

import (
	"zfgs/generator/internal/model"
	"zfgs/generator/internal/rules"
)

// timelinessView is 公示情况: did decisions go up within the working-day
// deadline, and did each year's statistics come by the due day. Late cases
// are named; a tombstoned case is counted but shown by number only.
type timelinessView struct {
	Agency *model.Agency // nil for the city
	Rows   []timelinessRow
	Late   []*Summary
	Stats  []statsDueRow
	Now    model.Date
	Days   [2]int // working days: 许可/处罚, other decisions
}

type timelinessRow struct {
	Label  string // agency name, or a year on an agency's page
	Href   string
	Total  int
	OnTime int
	Late   int
}

type statsDueRow struct {
	Agency    *model.Agency
	Year      int
	Due       model.Date
	Published model.Date
	Href      string
	State     string // 按期公开 / 逾期公开 / 未公开（已逾期） / 未到期
	Bad       bool
}

func (b *Build) timelinessPages(ix *caseIndex) error {
	r := b.r
	cfg := &r.site.Config
	days := [2]int{cfg.Rules.PublishDaysPermitPenalty, cfg.Rules.PublishDaysOther}
	st := ix.store
	byAgency := map[string][]int32{} // every published page, tombstones too
	for _, i := range ix.all {
		a := st.agency(i)
		byAgency[a] = append(byAgency[a], i)
	}
	city := &timelinessView{Now: r.opt.Now, Days: days}
	for _, a := range r.site.Agencies {
		list := byAgency[a.ID]
		v := &timelinessView{Agency: a, Now: r.opt.Now, Days: days}
		byYear := map[int]*timelinessRow{}
		var total timelinessRow
		for _, i := range list {
			s := &st.refs[i]
			yr := byYear[int(s.year)]
			if yr == nil {
				yr = &timelinessRow{Label: itoa(int(s.year)) + " 年"}
				byYear[int(s.year)] = yr
			}
			for _, row := range []*timelinessRow{yr, &total} {
				row.Total++
				if s.onTime {
					row.OnTime++
				} else {
					row.Late++
				}
			}
			if !s.onTime {
				v.Late = append(v.Late, st.get(i))
			}
		}
		for _, y := range years(byYear) {
			v.Rows = append(v.Rows, *byYear[y])
		}
		v.Stats = r.statsDue(a, ix)
		total.Label, total.Href = a.Name, timelinessPath(a.ID)
		city.Rows = append(city.Rows, total)
		city.Late = append(city.Late, v.Late...)
		city.Stats = append(city.Stats, v.Stats...)
		err := b.writePage("timeliness.html", &page{
			Title: a.Name + "公示情况", Path: timelinessPath(a.ID), Nav: "timeliness",
			Crumbs: []link{{"首页", "/"}, {a.Name, agencyPath(a.ID)}}, D: v,
		})
		if err != nil {
			return err
		}
	}
	return b.writePage("timeliness.html", &page{
		Title: "公示情况", Path: timelinessPath(""), Nav: "timeliness", Crumbs: []link{{"首页", "/"}}, D: city,
	})
}

// statsDue lists, for every year the agency has decisions or statistics,
// when the statistics were due and whether they came on time.
func (r *Renderer) statsDue(a *model.Agency, ix *caseIndex) []statsDueRow {
	cfg := &r.site.Config
	have := map[int]*model.Stats{}
	yearSet := map[int]bool{}
	for _, st := range a.Stats {
		have[st.Year] = st
		yearSet[st.Year] = true
	}
	for y := range ix.agencyYr[a.ID] {
		yearSet[y] = true
	}
	var out []statsDueRow
	for _, y := range years(yearSet) {
		due := rules.StatsDue(cfg, y)
		row := statsDueRow{Agency: a, Year: y, Due: due}
		switch st := have[y]; {
		case st != nil:
			row.Published, row.Href = st.Published, statsPath(a.ID, y)
			row.State, row.Bad = "按期公开", false
			if st.Published > due {
				row.State, row.Bad = "逾期公开", true
			}
		case r.opt.Now > due:
			row.State, row.Bad = "未公开（已逾期）", true
		default:
			row.State = "未到期"
		}
		out = append(out, row)
	}
	return out
}
