package render

import (
	"fmt"
	"hash"
	"strconv"

	"zfgs/generator/internal/model"
)

// perPage is the page size of the decision lists.
const perPage = 50

// caseListView is one page of a year's decisions (of an agency, or of the
// whole city).
type caseListView struct {
	Year   int
	Agency *agencyRef // nil: the site-wide list
	Cases  []*Summary
	Total  int
	First  int // 1-based numbers of the first and last case on this page
	Last   int
	Pager  *pager
	Years  []yearCount
}

type pager struct {
	Prev, Next string
	Pages      []pageLink
}

type pageLink struct {
	N       int
	Href    string
	Current bool
	Gap     bool // an ellipsis before this link
}

// pagerFor shows the first, last and the two pages either side of the
// current one: a year of a big city has hundreds of pages.
func pagerFor(scope string, year, cur, total int) *pager {
	return pagerOf(func(n int) string { return casesPath(scope, year, n) }, cur, total)
}

// pagerOf is pagerFor for any paged list; href gives page n's path.
func pagerOf(href func(n int) string, cur, total int) *pager {
	if total <= 1 {
		return nil
	}
	p := &pager{}
	if cur > 1 {
		p.Prev = href(cur - 1)
	}
	if cur < total {
		p.Next = href(cur + 1)
	}
	last := 0
	for n := 1; n <= total; n++ {
		if n != 1 && n != total && (n < cur-2 || n > cur+2) {
			continue
		}
		p.Pages = append(p.Pages, pageLink{N: n, Href: href(n), Current: n == cur, Gap: last != 0 && n != last+1})
		last = n
	}
	return p
}

var caseColumns = []column{
	{"agency", "执法主体"}, {"agency_id", "执法主体代码"}, {"id", "案件编号"}, {"number", "决定书文号"},
	{"title", "案件名称"}, {"category", "执法类别"}, {"item", "事项编码"}, {"party_kind", "当事人类型"},
	{"party", "当事人"}, {"credit_code", "统一社会信用代码"}, {"kinds", "决定内容"}, {"fine", "罚款(元)"},
	{"confiscated", "没收金额(元)"}, {"decided", "决定日期"}, {"published", "公示日期"}, {"deadline", "公示期限"},
	{"on_time", "按期公示"}, {"status", "状态"}, {"url", "网址"},
}

func (b *Build) addCaseRows(d *dataset, st *summaryStore, list []int32) {
	base := b.r.info.BaseURL
	for _, i := range list {
		s := st.get(i)
		d.add(s.AgencyName, s.Agency, s.ID, s.Number, s.Title, s.Category, s.ItemCode, s.PartyKind, s.Party, s.CreditCode,
			s.Kinds, s.Fine, s.Confisc, s.Decided, s.Published, s.Deadline, s.OnTime, s.Status, base+casePath(s.ID))
	}
}

// caseYearPages writes every page of one year's list and its data files.
func (b *Build) caseYearPages(ix *caseIndex, a *model.Agency, year int, list []int32, others []yearCount) error {
	scope, scopeName, crumbs := "", "", []link{{"首页", "/"}, {"执法决定", casesPath("", 0, 0)}}
	title := fmt.Sprintf("%d 年行政执法决定", year)
	if a != nil {
		scope, scopeName = a.ID, a.Name
		crumbs = []link{{"首页", "/"}, {a.Name, agencyPath(a.ID)}, {"执法决定", casesPath(a.ID, 0, 0)}}
		title = a.Name + title
	}
	links, err := b.writeCachedData(scope, scopeName, "cases/"+strconv.Itoa(year), fmt.Sprintf("%d 年行政执法决定", year), caseColumns,
		func(h hash.Hash) { ix.store.hashRows(h, list) },
		func(d *dataset) { b.addCaseRows(d, ix.store, list) })
	if err != nil {
		return err
	}
	pages := max(1, (len(list)+perPage-1)/perPage)
	return forEach(pages, func(n int) error {
		lo, hi := (n-1)*perPage, min(n*perPage, len(list))
		path := casesPath(scope, year, n)
		rows := func(h hash.Hash) {
			hashInts(h, year, len(list), n, pages)
			hashYears(h, others)
			ix.store.hashRows(h, list[lo:hi])
		}
		return b.writeCachedPage(scope, "cases.html", path, true, rows, func() *page {
			v := &caseListView{Year: year, Agency: b.r.agencies[a], Cases: ix.store.gets(list[lo:hi]), Total: len(list), First: lo + 1, Last: hi,
				Pager: pagerFor(scope, year, n, pages), Years: others}
			t := title
			if n > 1 {
				t += fmt.Sprintf("（第 %d 页）", n)
			}
			return &page{Title: t, Path: path, Nav: "cases", Crumbs: crumbs, Data: links, D: v}
		})
	})
}

// casesIndexView is /cases/ or /agencies/<id>/cases/: the years.
type casesIndexView struct {
	Agency *model.Agency
	Years  []casesYear
	Days   [2]int // publication deadlines: 许可/处罚, other decisions
}

type casesYear struct {
	yearCount
	Agencies []agencyCount
}

type agencyCount struct {
	Agency *model.Agency
	Count  int
	Href   string
}

func (b *Build) caseListPages(ix *caseIndex) error {
	site := b.r.site
	days := [2]int{site.Config.Rules.PublishDaysPermitPenalty, site.Config.Rules.PublishDaysOther}
	for _, a := range site.Agencies {
		byYear := ix.agencyYr[a.ID]
		var ys []yearCount
		for _, y := range years(byYear) {
			ys = append(ys, yearCount{Year: y, Count: len(byYear[y]), Href: casesPath(a.ID, y, 1)})
		}
		idx := &casesIndexView{Agency: a, Days: days}
		for _, yc := range ys {
			if err := b.caseYearPages(ix, a, yc.Year, byYear[yc.Year], ys); err != nil {
				return err
			}
			idx.Years = append(idx.Years, casesYear{yearCount: yc})
		}
		err := b.writePage("cases-index.html", &page{
			Title: a.Name + "行政执法决定", Path: casesPath(a.ID, 0, 0), Nav: "cases",
			Crumbs: []link{{"首页", "/"}, {a.Name, agencyPath(a.ID)}}, D: idx,
		})
		if err != nil {
			return err
		}
	}
	var ys []yearCount
	for _, y := range years(ix.byYear) {
		ys = append(ys, yearCount{Year: y, Count: len(ix.byYear[y]), Href: casesPath("", y, 1)})
	}
	idx := &casesIndexView{Days: days}
	for _, yc := range ys {
		if err := b.caseYearPages(ix, nil, yc.Year, ix.byYear[yc.Year], ys); err != nil {
			return err
		}
		cy := casesYear{yearCount: yc}
		for _, a := range site.Agencies {
			if n := len(ix.agencyYr[a.ID][yc.Year]); n > 0 {
				cy.Agencies = append(cy.Agencies, agencyCount{a, n, casesPath(a.ID, yc.Year, 1)})
			}
		}
		idx.Years = append(idx.Years, cy)
	}
	return b.writePage("cases-index.html", &page{
		Title: "行政执法决定", Path: casesPath("", 0, 0), Nav: "cases", Crumbs: []link{{"首页", "/"}}, D: idx,
	})
}
