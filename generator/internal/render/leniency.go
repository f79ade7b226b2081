package render

import (
	"strings"

	"zfgs/generator/internal/model"
)

// leniencyView is one of the four lists (四张清单), on its own page: per
// agency the list-level conditions once, then the entries. Columns no entry
// fills are left out, so a narrow list stays readable on a phone.
type leniencyView struct {
	List, Title string
	Sections    []leniencySection
	Others      []link // the other lists of the same scope
	Site        bool
}

type leniencySection struct {
	Agency     *model.Agency
	Conditions string // list-level 适用条件
	Entries    []leniencyRow
	Has        leniencyCols
}

type leniencyRow struct {
	*model.LeniencyEntry
	Item *itemRef
}

type leniencyCols struct {
	Group, Item, ViolationBasis, Basis, Conditions, Handling, Observation bool
}

func leniencySectionOf(a *model.Agency, list string) leniencySection {
	sec := leniencySection{Agency: a, Conditions: a.Leniency.Conditions[list]}
	for _, e := range a.Leniency.Entries {
		if e.List != list {
			continue
		}
		row := leniencyRow{LeniencyEntry: e}
		if it := e.Item; it != nil && it.Agency != nil {
			row.Item = &itemRef{Code: it.Code, Name: it.Name, Href: itemHref(it.Agency.ID, it.Code)}
		}
		h := &sec.Has
		h.Group = h.Group || e.Group != ""
		h.Item = h.Item || row.Item != nil
		h.ViolationBasis = h.ViolationBasis || e.ViolationBasis != ""
		h.Basis = h.Basis || e.Basis != ""
		h.Conditions = h.Conditions || strings.TrimSpace(e.Conditions) != ""
		h.Handling = h.Handling || e.Handling != ""
		h.Observation = h.Observation || e.ObservationDay > 0
		sec.Entries = append(sec.Entries, row)
	}
	return sec
}

var leniencyColumns = []column{
	{"agency", "执法主体"}, {"agency_id", "执法主体代码"}, {"list", "清单"}, {"id", "编号"}, {"group", "类别"},
	{"item", "事项编码"}, {"violation", "违法行为"}, {"violation_basis", "违反条款"}, {"basis", "处罚依据"},
	{"conditions", "适用条件"}, {"handling", "处理方式"}, {"observation_days", "观察期(日)"},
}

func addLeniencyRows(d *dataset, sec leniencySection, list string) {
	a := sec.Agency
	for _, e := range sec.Entries {
		var obs any
		if e.ObservationDay > 0 {
			obs = e.ObservationDay
		}
		d.add(a.Name, a.ID, list, e.ID, e.Group, e.ItemCode, e.Violation, e.ViolationBasis, e.Basis,
			effectiveConditions(e.LeniencyEntry), e.Handling, obs)
	}
}

// leniencyIndexView is /leniency/: the lists and who publishes them.
type leniencyIndexView struct {
	Lists []leniencyIndexRow
}

type leniencyIndexRow struct {
	Title, Href string
	Agencies    int
	Entries     int
}

func (b *Build) leniencyPages(*caseIndex) error {
	agencies := b.r.site.Agencies
	index := &leniencyIndexView{}
	present := presentLists(agencies)
	var siteOthers []link
	for _, l := range present {
		siteOthers = append(siteOthers, link{leniencyTitle(l.Name), leniencyPath("", l.Slug)})
	}
	for _, l := range present {
		title := leniencyTitle(l.Name)
		all := &leniencyView{List: l.Name, Title: title, Others: siteOthers, Site: true}
		site := &dataset{cols: leniencyColumns}
		row := leniencyIndexRow{Title: title, Href: leniencyPath("", l.Slug)}
		for _, a := range agencies {
			if !agencyHasList(a, l.Name) {
				continue
			}
			sec := leniencySectionOf(a, l.Name)
			all.Sections = append(all.Sections, sec)
			addLeniencyRows(site, sec, l.Name)
			row.Agencies++
			row.Entries += len(sec.Entries)
			d := &dataset{cols: leniencyColumns}
			addLeniencyRows(d, sec, l.Name)
			links, err := b.writeData(a.ID, a.Name, "leniency/"+l.Slug, title, d)
			if err != nil {
				return err
			}
			var others []link
			for _, o := range leniencyLists {
				if agencyHasList(a, o.Name) {
					others = append(others, link{leniencyTitle(o.Name), leniencyPath(a.ID, o.Slug)})
				}
			}
			err = b.writePage("leniency.html", &page{
				Title: a.Name + title, Path: leniencyPath(a.ID, l.Slug), Nav: "leniency",
				Crumbs: []link{{"首页", "/"}, {a.Name, agencyPath(a.ID)}},
				Data:   links, D: &leniencyView{List: l.Name, Title: title, Sections: []leniencySection{sec}, Others: others},
			})
			if err != nil {
				return err
			}
		}
		links, err := b.writeData("", "", "leniency/"+l.Slug, title, site)
		if err != nil {
			return err
		}
		err = b.writePage("leniency.html", &page{
			Title: title, Path: leniencyPath("", l.Slug), Nav: "leniency",
			Crumbs: []link{{"首页", "/"}, {"四张清单", "/leniency/"}}, Data: links, D: all,
		})
		if err != nil {
			return err
		}
		index.Lists = append(index.Lists, row)
	}
	return b.writePage("leniency-index.html", &page{
		Title: "四张清单", Path: "/leniency/", Nav: "leniency", Crumbs: []link{{"首页", "/"}}, D: index,
	})
}
