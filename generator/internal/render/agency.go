package render

import (
	"fmt"
	"html/template"
	"slices"
	"strconv"

	"zfgs/generator/internal/model"
)

// agencyView is the agency page (事前公示): who the body is, what it may do,
// who may act for it, where to complain, and links to everything it
// publishes.
type agencyView struct {
	A         *model.Agency
	Duties    template.HTML
	Officers  []officerRow
	Children  []*model.Agency
	Lists     []link
	Plans     []link
	Stats     []link
	CaseYears []yearCount
	Latest    []*Summary
	Total     int
	CardsHref string // the officers' QR card sheet
}

type officerRow struct {
	*model.Officer
	Href, Validity string
	Verdict        verdict // today's standing, as the credential page says
}

type yearCount struct {
	Year   int
	Count  int
	Href   string
	QRHref string // the year's QR sheet (agency pages, when codes are made)
}

const agencyLatest = 10

func (b *Build) agencyPages(ix *caseIndex) error {
	if err := b.agenciesIndex(); err != nil {
		return err
	}
	for _, a := range b.r.site.Agencies {
		if err := b.agencyPage(a, ix); err != nil {
			return err
		}
	}
	return nil
}

func (b *Build) agencyPage(a *model.Agency, ix *caseIndex) error {
	v := &agencyView{A: a, Duties: b.r.markdown.HTML(a.Duties, 3), Total: len(ix.byAgency[a.ID])}
	for _, o := range a.Officers {
		row := officerRow{Officer: o, Validity: validity(o), Verdict: officerVerdict(o, b.r.opt.Now)}
		if validSegment(o.CertNo) {
			row.Href = officerPath(o.CertNo)
		}
		v.Officers = append(v.Officers, row)
	}
	if b.r.opt.OfficerQR != nil && len(a.Officers) > 0 {
		v.CardsHref = officerCardsPath(a.ID)
	}
	for _, c := range b.r.site.Agencies {
		if c.Parent == a {
			v.Children = append(v.Children, c)
		}
	}
	v.Lists = agencyLists(a)
	for _, p := range a.Plans {
		v.Plans = append(v.Plans, link{fmt.Sprintf("%d 年度行政检查计划", p.Year), plansPath(a.ID, p.Year)})
	}
	for _, st := range a.Stats {
		v.Stats = append(v.Stats, link{fmt.Sprintf("%d 年度行政执法数据", st.Year), statsPath(a.ID, st.Year)})
	}
	reverse(v.Plans)
	reverse(v.Stats)
	for _, y := range years(ix.agencyYr[a.ID]) {
		yc := yearCount{Year: y, Count: len(ix.agencyYr[a.ID][y]), Href: casesPath(a.ID, y, 1)}
		if b.r.opt.QR != nil {
			yc.QRHref = qrSheetPath(a.ID, y, 1)
		}
		v.CaseYears = append(v.CaseYears, yc)
	}
	v.Latest = ix.newestOf(ix.byAgency[a.ID], agencyLatest)
	return b.writePage("agency.html", &page{
		Title: a.Name, Path: agencyPath(a.ID), Nav: "agencies",
		Crumbs: []link{{"首页", "/"}, {"执法主体", "/agencies/"}},
		D:      v,
	})
}

// agencyLists links the lists an agency publishes (only those it has).
func agencyLists(a *model.Agency) []link {
	var out []link
	if len(a.Items) > 0 || len(a.Claims) > 0 {
		out = append(out, link{"行政执法事项目录", cataloguePath(a.ID)})
	}
	if len(a.Benchmarks) > 0 {
		out = append(out, link{"行政裁量权基准", benchmarksPath(a.ID)})
	}
	for _, l := range leniencyLists {
		if agencyHasList(a, l.Name) {
			out = append(out, link{leniencyTitle(l.Name), leniencyPath(a.ID, l.Slug)})
		}
	}
	out = append(out, link{"公示情况（及时性）", timelinessPath(a.ID)})
	return out
}

// newestOf decodes the n most recently published of a list.
func (ix *caseIndex) newestOf(list []int32, n int) []*Summary {
	cp := slices.Clone(list)
	ix.sortNewest(cp)
	return ix.store.gets(firstN(cp, n))
}

func reverse[T any](s []T) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
