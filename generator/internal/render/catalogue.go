package render

import (
	"strings"

	"zfgs/generator/internal/model"
)

// catalogueView is 行政执法事项目录: one section per agency (one on an
// agency's page, all of them on /catalogue/).
type catalogueView struct {
	Sections []catalogueSection
	Site     bool
}

type catalogueSection struct {
	Agency *model.Agency
	Items  []*model.Item
	Claims []claimRow
}

// claimRow is an item claimed (认领) from an ancestor: shown in the
// claimer's list and linked to the row of the agency that published it.
type claimRow struct {
	Code   string
	Item   *model.Item // nil if unresolved
	Origin *model.Agency
	Href   string
}

func catalogueSectionOf(a *model.Agency) catalogueSection {
	sec := catalogueSection{Agency: a, Items: a.Items}
	for _, c := range a.Claims {
		row := claimRow{Code: c.Code, Item: c.Item}
		if c.Item != nil && c.Item.Agency != nil {
			row.Origin = c.Item.Agency
			row.Href = itemHref(c.Item.Agency.ID, c.Code)
		}
		sec.Claims = append(sec.Claims, row)
	}
	return sec
}

var catalogueColumns = []column{
	{"agency", "执法主体"}, {"agency_id", "执法主体代码"}, {"code", "事项编码"}, {"name", "事项名称"},
	{"type", "事项类型"}, {"basis", "设定依据"}, {"level", "行使层级"}, {"department", "实施机构"},
	{"status", "状态"}, {"updated", "更新日期"}, {"source", "来源"}, {"claimed_from", "认领自"},
}

func addCatalogueRows(d *dataset, sec catalogueSection) {
	a := sec.Agency
	for _, it := range sec.Items {
		d.add(a.Name, a.ID, it.Code, it.Name, it.Type, it.Basis, strings.Join(it.Level, "、"), it.Department, it.Status, it.Updated, "自有", "")
	}
	for _, c := range sec.Claims {
		if c.Item == nil {
			continue
		}
		it := c.Item
		d.add(a.Name, a.ID, it.Code, it.Name, it.Type, it.Basis, strings.Join(it.Level, "、"), it.Department, it.Status, it.Updated, "认领", c.Origin.Name)
	}
}

func (b *Build) cataloguePages(*caseIndex) error {
	site := &dataset{cols: catalogueColumns}
	all := &catalogueView{Site: true}
	for _, a := range b.r.site.Agencies {
		if len(a.Items) == 0 && len(a.Claims) == 0 {
			continue
		}
		sec := catalogueSectionOf(a)
		all.Sections = append(all.Sections, sec)
		addCatalogueRows(site, sec)
		d := &dataset{cols: catalogueColumns}
		addCatalogueRows(d, sec)
		links, err := b.writeData(a.ID, a.Name, "catalogue", "行政执法事项目录", d)
		if err != nil {
			return err
		}
		err = b.writePage("catalogue.html", &page{
			Title: a.Name + "行政执法事项目录", Path: cataloguePath(a.ID), Nav: "catalogue",
			Crumbs: []link{{"首页", "/"}, {a.Name, agencyPath(a.ID)}},
			Data:   links, D: &catalogueView{Sections: []catalogueSection{sec}},
		})
		if err != nil {
			return err
		}
	}
	links, err := b.writeData("", "", "catalogue", "行政执法事项目录", site)
	if err != nil {
		return err
	}
	return b.writePage("catalogue.html", &page{
		Title: "行政执法事项目录", Path: cataloguePath(""), Nav: "catalogue",
		Crumbs: []link{{"首页", "/"}}, Data: links, D: all,
	})
}
