package render

import (
	"zfgs/generator/internal/model"
	"zfgs/generator/internal/search"
)

// CasePath is the URL path of a case page (without the base path).
func CasePath(id string) string { return casePath(id) }

// ListSearchDocs returns the search documents of every list row, each with
// the URL of the row on its list page (the rows carry their id as anchor).
// Claimed items are not repeated: they are found at their origin.
func ListSearchDocs(s *model.Site) []search.Doc {
	var docs []search.Doc
	for _, a := range s.Agencies {
		for _, it := range a.Items {
			docs = append(docs, search.ItemDoc(it, itemHref(a.ID, it.Code)))
		}
		for _, b := range a.Benchmarks {
			docs = append(docs, search.BenchmarkDoc(b, benchmarkHref(a.ID, b.ID)))
		}
		if a.Leniency != nil {
			for _, e := range a.Leniency.Entries {
				docs = append(docs, search.LeniencyDoc(e, leniencyPath(a.ID, leniencySlug(e.List))+"#"+e.ID))
			}
		}
		for _, p := range a.Plans {
			for _, t := range p.Tasks {
				docs = append(docs, search.TaskDoc(t, plansPath(a.ID, p.Year)+"#"+t.ID))
			}
		}
		for _, o := range a.Officers {
			if validSegment(o.CertNo) {
				docs = append(docs, search.OfficerDoc(o, officerPath(o.CertNo)))
			}
		}
	}
	return docs
}

// searchPage writes /search/, the page whose script reads the index.
func (b *Build) searchPage(*caseIndex) error {
	return b.writeUnlisted("search.html", &page{
		Title: "站内搜索", Path: "/search/", Nav: "",
		Crumbs: []link{{"首页", "/"}},
	})
}
