package render

import (
	"html/template"

	"zfgs/generator/internal/model"
)

// benchmarkView is 行政裁量权基准: per agency, benchmarks under their group
// (the chapter or law they are listed under), each with its tiers in the
// published order.
type benchmarkView struct {
	Sections []benchmarkSection
	Site     bool
}

type benchmarkSection struct {
	Agency *model.Agency
	Groups []benchmarkGroup
}

type benchmarkGroup struct {
	Name       string
	Benchmarks []benchmarkRow
}

type benchmarkRow struct {
	B       *model.Benchmark
	Item    *itemRef
	Refines *link // the ancestor benchmark this one 细化量化
	Notes   template.HTML
	Deep    bool // heading one level lower: under an agency and a group heading
}

// benchmarkSectionOf builds an agency's section; onSitePage links
// refinements within the page (every agency's benchmarks are on it).
func (r *Renderer) benchmarkSectionOf(a *model.Agency, onSitePage bool) benchmarkSection {
	sec := benchmarkSection{Agency: a}
	at := map[string]int{}
	for _, bm := range a.Benchmarks {
		row := benchmarkRow{B: bm, Notes: r.markdown.HTML(bm.Notes, 5), Deep: onSitePage && bm.Group != ""}
		if it := bm.Item; it != nil && it.Agency != nil {
			row.Item = &itemRef{Code: it.Code, Name: it.Name, Href: itemHref(it.Agency.ID, it.Code)}
		}
		if p := bm.Refines; p != nil && p.Agency != nil {
			href := benchmarkHref(p.Agency.ID, p.ID)
			if onSitePage {
				href = "#" + p.ID
			}
			row.Refines = &link{p.Agency.Name + " " + p.ID, href}
		}
		i, ok := at[bm.Group]
		if !ok {
			i = len(sec.Groups)
			at[bm.Group] = i
			sec.Groups = append(sec.Groups, benchmarkGroup{Name: bm.Group})
		}
		sec.Groups[i].Benchmarks = append(sec.Groups[i].Benchmarks, row)
	}
	return sec
}

var benchmarkColumns = []column{
	{"agency", "执法主体"}, {"agency_id", "执法主体代码"}, {"id", "基准编号"}, {"group", "类别"},
	{"item", "事项编码"}, {"violation", "违法行为"}, {"violation_basis", "违法依据"}, {"penalty_basis", "处罚依据"},
	{"refines", "细化自"}, {"tier", "裁量阶次"}, {"conditions", "适用条件"}, {"penalty", "处罚标准"},
	{"fine_min", "罚款下限(元)"}, {"fine_max", "罚款上限(元)"},
	{"multiple_min", "倍数下限"}, {"multiple_max", "倍数上限"}, {"multiple_of", "倍数基数"},
}

// addBenchmarkRows writes one row per tier (a benchmark without tiers
// still gets one row).
func addBenchmarkRows(d *dataset, a *model.Agency) {
	for _, bm := range a.Benchmarks {
		if len(bm.Tiers) == 0 {
			d.add(a.Name, a.ID, bm.ID, bm.Group, bm.ItemCode, bm.Violation, bm.ViolationBasis, bm.PenaltyBasis, bm.RefinesID)
		}
		for _, t := range bm.Tiers {
			d.add(a.Name, a.ID, bm.ID, bm.Group, bm.ItemCode, bm.Violation, bm.ViolationBasis, bm.PenaltyBasis, bm.RefinesID,
				t.Level, t.Conditions, t.Penalty, t.FineMin, t.FineMax, t.MultipleMin, t.MultipleMax, t.MultipleOf)
		}
	}
}

func (b *Build) benchmarkPages(*caseIndex) error {
	site := &dataset{cols: benchmarkColumns}
	all := &benchmarkView{Site: true}
	for _, a := range b.r.site.Agencies {
		if len(a.Benchmarks) == 0 {
			continue
		}
		all.Sections = append(all.Sections, b.r.benchmarkSectionOf(a, true))
		sec := b.r.benchmarkSectionOf(a, false)
		addBenchmarkRows(site, a)
		d := &dataset{cols: benchmarkColumns}
		addBenchmarkRows(d, a)
		links, err := b.writeData(a.ID, a.Name, "benchmarks", "行政裁量权基准", d)
		if err != nil {
			return err
		}
		err = b.writePage("benchmarks.html", &page{
			Title: a.Name + "行政裁量权基准", Path: benchmarksPath(a.ID), Nav: "benchmarks",
			Crumbs: []link{{"首页", "/"}, {a.Name, agencyPath(a.ID)}},
			Data:   links, D: &benchmarkView{Sections: []benchmarkSection{sec}},
		})
		if err != nil {
			return err
		}
	}
	links, err := b.writeData("", "", "benchmarks", "行政裁量权基准", site)
	if err != nil {
		return err
	}
	return b.writePage("benchmarks.html", &page{
		Title: "行政裁量权基准", Path: benchmarksPath(""), Nav: "benchmarks",
		Crumbs: []link{{"首页", "/"}}, Data: links, D: all,
	})
}
