package render

import (
	"fmt"
	"strconv"
	"strings"

	"zfgs/generator/internal/model"
)

// planView is a year's inspection plan (年度行政检查计划) of one agency, or
// of every agency on /plans/<year>/.
type planView struct {
	Year     int
	Sections []planSection
	Site     bool
}

type planSection struct {
	Agency *model.Agency
	Plan   *model.Plan
	Tasks  []taskRow
}

type taskRow struct {
	*model.Task
	Item  *itemRef
	When  string // planned months or exact window
	Joint []link // 联合检查 partners
}

func (r *Renderer) planSectionOf(p *model.Plan) planSection {
	sec := planSection{Agency: p.Agency, Plan: p}
	for _, t := range p.Tasks {
		row := taskRow{Task: t, When: taskWhen(t)}
		if it := t.Item; it != nil && it.Agency != nil {
			row.Item = &itemRef{Code: it.Code, Name: it.Name, Href: itemHref(it.Agency.ID, it.Code)}
		}
		for _, id := range t.JointWith {
			if a := r.site.Agency[id]; a != nil {
				row.Joint = append(row.Joint, link{a.Name, agencyPath(a.ID)})
			} else {
				row.Joint = append(row.Joint, link{Label: id})
			}
		}
		sec.Tasks = append(sec.Tasks, row)
	}
	return sec
}

// taskWhen is the planned time: the exact window when given, else months.
func taskWhen(t *model.Task) string {
	if t.WindowFrom != 0 && t.WindowTo != 0 {
		return t.WindowFrom.String() + " 至 " + t.WindowTo.String()
	}
	if len(t.Months) == 0 {
		return ""
	}
	ms := make([]string, len(t.Months))
	for i, m := range t.Months {
		ms[i] = strconv.Itoa(m) + "月"
	}
	return strings.Join(ms, "、")
}

var planColumns = []column{
	{"agency", "执法主体"}, {"agency_id", "执法主体代码"}, {"year", "年度"}, {"published", "计划公布日期"},
	{"id", "任务编号"}, {"name", "任务名称"}, {"item", "检查事项编码"}, {"kind", "检查类型"}, {"method", "检查方式"},
	{"targets", "检查对象"}, {"population", "检查对象基数"}, {"ratio", "抽查比例"}, {"max_frequency", "检查频次上限"},
	{"enterprise", "是否涉企"}, {"months", "计划月份"}, {"window_from", "开始日期"}, {"window_to", "结束日期"},
	{"onsite", "现场检查"}, {"joint_with", "联合检查单位"}, {"basis", "制定依据"},
}

func addPlanRows(d *dataset, p *model.Plan) {
	a := p.Agency
	for _, t := range p.Tasks {
		d.add(a.Name, a.ID, p.Year, p.Published, t.ID, t.Name, t.ItemCode, t.Kind, t.Method, t.Targets, t.Population,
			t.Ratio, t.MaxFrequency, t.Enterprise, t.Months, t.WindowFrom, t.WindowTo, t.Onsite, t.JointWith, t.Basis)
	}
}

// plansIndexView is /plans/: per year, which agencies published a plan.
type plansIndexView struct {
	Years []plansYear
}

type plansYear struct {
	Year  int
	Href  string
	Plans []planSummary
}

type planSummary struct {
	Agency    *model.Agency
	Href      string
	Published model.Date
	Tasks     int
}

func (b *Build) planPages(*caseIndex) error {
	byYear := map[int][]*model.Plan{}
	for _, a := range b.r.site.Agencies {
		for _, p := range a.Plans {
			byYear[p.Year] = append(byYear[p.Year], p)
			sec := b.r.planSectionOf(p)
			d := &dataset{cols: planColumns}
			addPlanRows(d, p)
			title := fmt.Sprintf("%d 年度行政检查计划", p.Year)
			links, err := b.writeData(a.ID, a.Name, "plans/"+strconv.Itoa(p.Year), title, d)
			if err != nil {
				return err
			}
			err = b.writePage("plans.html", &page{
				Title: a.Name + title, Path: plansPath(a.ID, p.Year), Nav: "plans",
				Crumbs: []link{{"首页", "/"}, {a.Name, agencyPath(a.ID)}},
				Data:   links, D: &planView{Year: p.Year, Sections: []planSection{sec}},
			})
			if err != nil {
				return err
			}
		}
	}
	index := &plansIndexView{}
	for _, y := range years(byYear) {
		all := &planView{Year: y, Site: true}
		site := &dataset{cols: planColumns}
		iy := plansYear{Year: y, Href: plansPath("", y)}
		for _, p := range byYear[y] {
			all.Sections = append(all.Sections, b.r.planSectionOf(p))
			addPlanRows(site, p)
			iy.Plans = append(iy.Plans, planSummary{p.Agency, plansPath(p.Agency.ID, y), p.Published, len(p.Tasks)})
		}
		title := fmt.Sprintf("%d 年度行政检查计划", y)
		links, err := b.writeData("", "", "plans/"+strconv.Itoa(y), title, site)
		if err != nil {
			return err
		}
		err = b.writePage("plans.html", &page{
			Title: title, Path: plansPath("", y), Nav: "plans",
			Crumbs: []link{{"首页", "/"}, {"检查计划", plansPath("", 0)}}, Data: links, D: all,
		})
		if err != nil {
			return err
		}
		index.Years = append(index.Years, iy)
	}
	return b.writePage("plans-index.html", &page{
		Title: "年度行政检查计划", Path: plansPath("", 0), Nav: "plans", Crumbs: []link{{"首页", "/"}}, D: index,
	})
}
