package render

import (
	"cmp"
	"fmt"
	"hash"
	"slices"

	"zfgs/generator/internal/model"
)

// The print views of 一案一码: a label per live case to paste into the
// decision document, and a sheet per agency and year to print many labels
// at once. Both show the published SVG at 25 mm (print CSS), so the printed
// code is the file anyone can download. Tombstones keep their QR files but
// get no print view: nothing new should be printed for them.

// qrLabel is one printed code with what identifies it on paper.
type qrLabel struct {
	ID, Number, Title, AgencyName string
	URL                           string // what the code encodes, printed beside it
	Href                          string // the case page
	QR                            QRImages
}

type casePrintView struct {
	Label qrLabel
}

// qrSheetView is one page of an agency's sheet for a year.
type qrSheetView struct {
	Agency             *agencyRef
	Year               int
	Labels             []qrLabel
	Total, First, Last int
	Pager              *pager
	Years              []yearCount
	CasesHref          string
}

// qrSheetSize is how many labels a sheet page holds: 3 a row and 6 rows to
// an A4 sheet, so 120 is a little under seven sheets of paper.
const qrSheetSize = 120

func (r *Renderer) qrLabel(s *Summary) qrLabel {
	return qrLabel{
		ID: s.ID, Number: s.Number, Title: s.Title, AgencyName: s.AgencyName,
		URL: r.info.BaseURL + casePath(s.ID), Href: casePath(s.ID), QR: r.opt.QR(s.ID),
	}
}

// casePrint writes /c/<id>/print/ for a live case when codes are made.
func (b *Build) casePrint(w Writer, c *model.Case, s Summary) error {
	r := b.r
	if r.opt.QR == nil || r.opt.QR(c.ID).SVG == "" {
		return nil
	}
	crumbs := []link{{"首页", "/"}, {c.Agency.Name, agencyPath(c.Agency.ID)}, {s.Title, casePath(c.ID)}}
	return b.writeTo(w, "case-print.html", &page{
		Title: "打印二维码：" + c.Number, Path: casePrintPath(c.ID), Nav: "cases", Crumbs: crumbs,
		D: &casePrintView{Label: r.qrLabel(&s)}, Class: "print-sheet",
	}, false)
}

// qrSheetPages writes /agencies/<id>/qr/<year>/ (and page/N/) for every
// agency and year with live decisions, when codes are made.
func (b *Build) qrSheetPages(ix *caseIndex) error {
	r := b.r
	if r.opt.QR == nil {
		return nil
	}
	for _, a := range r.site.Agencies {
		byYear := ix.agencyYr[a.ID]
		var ys []yearCount
		for _, y := range years(byYear) {
			ys = append(ys, yearCount{Year: y, Count: len(byYear[y]), Href: qrSheetPath(a.ID, y, 1)})
		}
		for _, yc := range ys {
			if err := b.qrSheetYear(ix, a, yc.Year, byYear[yc.Year], ys); err != nil {
				return err
			}
		}
	}
	return nil
}

// qrSheetYear writes one year's sheet, in decision order (oldest first, as
// a clerk files them), paged.
func (b *Build) qrSheetYear(ix *caseIndex, a *model.Agency, year int, list []int32, ys []yearCount) error {
	st := ix.store
	list = slices.Clone(list)
	slices.SortStableFunc(list, func(i, j int32) int {
		return cmp.Or(cmp.Compare(st.refs[i].decided, st.refs[j].decided), cmp.Compare(ix.ids[i], ix.ids[j]))
	})
	pages := max(1, (len(list)+qrSheetSize-1)/qrSheetSize)
	href := func(n int) string { return qrSheetPath(a.ID, year, n) }
	title := fmt.Sprintf("%s %d 年行政执法决定二维码", a.Name, year)
	crumbs := []link{{"首页", "/"}, {a.Name, agencyPath(a.ID)}, {fmt.Sprintf("%d 年执法决定", year), casesPath(a.ID, year, 1)}}
	return forEach(pages, func(n int) error {
		lo, hi := (n-1)*qrSheetSize, min(n*qrSheetSize, len(list))
		rows := func(h hash.Hash) {
			hashInts(h, year, len(list), n, pages)
			hashYears(h, ys)
			st.hashRows(h, list[lo:hi])
		}
		return b.writeCachedPage(a.ID, "qr-sheet.html", href(n), false, rows, func() *page {
			v := &qrSheetView{Agency: b.r.agencies[a], Year: year, Total: len(list), First: lo + 1, Last: hi,
				Pager: pagerOf(href, n, pages), Years: ys, CasesHref: casesPath(a.ID, year, 1)}
			for _, s := range st.gets(list[lo:hi]) {
				v.Labels = append(v.Labels, b.r.qrLabel(s))
			}
			t := title
			if n > 1 {
				t += fmt.Sprintf("（第 %d 页）", n)
			}
			return &page{Title: t, Path: href(n), Nav: "cases", Crumbs: crumbs, D: v, Class: "print-sheet"}
		})
	})
}
