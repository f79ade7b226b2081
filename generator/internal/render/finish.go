package render

import (
	"sort"

	"zfgs/generator/internal/model"
)

// Finish renders everything but the case pages, from the site's lists and
// the case summaries recorded by Case. Call it once, after the last Case.
func (b *Build) Finish() error {
	if err := b.Err(); err != nil {
		return err
	}
	ix := indexCases(b.summaries)
	steps := []func(*caseIndex) error{
		b.agencyPages,
		b.officerPages,
		b.officerCardPages,
		b.qrSheetPages,
		b.cataloguePages,
		b.benchmarkPages,
		b.leniencyPages,
		b.planPages,
		b.statsPages,
		b.caseListPages,
		b.timelinessPages,
		b.homePage,
		b.dataIndexPage, // after every list has written its data files
		b.notFoundPage,
		b.searchPage,
		b.feed,
		b.serverFiles,
		b.sitemap, // last: it lists every page written before it
	}
	for _, step := range steps {
		if err := step(ix); err != nil {
			return err
		}
	}
	b.mu.Lock()
	b.finished = true
	b.mu.Unlock()
	return nil
}

// Count is the number of case summaries recorded (published pages,
// tombstones included).
func (b *Build) Count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.summaries)
}

// Pages is the number of HTML pages written so far (case pages, list
// pages, print views and 404.html once Finish has run).
func (b *Build) Pages() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := len(b.pages) + len(b.summaries) + b.unlisted
	if b.finished {
		n++ // 404.html
	}
	return n
}

// CaseIDs are the ids of every case page written (tombstones included,
// minors never), sorted: the record of URLs that must keep resolving.
func (b *Build) CaseIDs() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	ids := make([]string, len(b.summaries))
	for i, s := range b.summaries {
		ids[i] = s.ID
	}
	sort.Strings(ids)
	return ids
}

// caseIndex groups the summaries for the lists. Cases arrive in any order
// from parallel workers; everything here is sorted so the output does not
// depend on it.
type caseIndex struct {
	all      []Summary                     // every published page, by decided desc, id
	listed   []*Summary                    // without tombstones, same order
	byAgency map[string][]*Summary         // listed, per agency
	byYear   map[int][]*Summary            // listed, per decision year
	agencyYr map[string]map[int][]*Summary // listed, per agency and year
	newest   []*Summary                    // listed, by published desc
}

func indexCases(sums []Summary) *caseIndex {
	sort.Slice(sums, func(i, j int) bool {
		if sums[i].Decided != sums[j].Decided {
			return sums[i].Decided > sums[j].Decided
		}
		return sums[i].ID < sums[j].ID
	})
	ix := &caseIndex{all: sums, byAgency: map[string][]*Summary{}, byYear: map[int][]*Summary{}, agencyYr: map[string]map[int][]*Summary{}}
	for i := range sums {
		s := &sums[i]
		if s.Tombstoned {
			continue
		}
		ix.listed = append(ix.listed, s)
		ix.byAgency[s.Agency] = append(ix.byAgency[s.Agency], s)
		ix.byYear[s.Year] = append(ix.byYear[s.Year], s)
		ay := ix.agencyYr[s.Agency]
		if ay == nil {
			ay = map[int][]*Summary{}
			ix.agencyYr[s.Agency] = ay
		}
		ay[s.Year] = append(ay[s.Year], s)
	}
	ix.newest = append([]*Summary(nil), ix.listed...)
	sortNewest(ix.newest)
	return ix
}

// sortNewest orders by publication date, newest first.
func sortNewest(s []*Summary) {
	sort.SliceStable(s, func(i, j int) bool {
		a, b := s[i], s[j]
		if a.Published != b.Published {
			return a.Published > b.Published
		}
		if a.Decided != b.Decided {
			return a.Decided > b.Decided
		}
		return a.ID < b.ID
	})
}

// years returns the keys of m, newest first.
func years[V any](m map[int]V) []int {
	ys := make([]int, 0, len(m))
	for y := range m {
		ys = append(ys, y)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(ys)))
	return ys
}

func firstN[T any](s []T, n int) []T {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// levelNames are the administrative levels in display order.
var levelNames = []struct{ Level, Name string }{
	{"省", "省级执法主体"}, {"市", "市级执法主体"}, {"县", "县（市、区）级执法主体"}, {"镇", "镇（街道）执法主体"},
}

type levelGroup struct {
	Name    string
	Regions []regionGroup
}

type regionGroup struct {
	Region   string
	Agencies []*model.Agency
}

// groupAgencies groups agencies by level, then region (regions in the order
// their first agency appears; the site lists agencies by level then id).
func groupAgencies(as []*model.Agency) []levelGroup {
	var out []levelGroup
	for _, l := range levelNames {
		g := levelGroup{Name: l.Name}
		at := map[string]int{}
		for _, a := range as {
			if a.Level != l.Level {
				continue
			}
			region := a.Region
			if region == "" {
				region = "其他"
			}
			i, ok := at[region]
			if !ok {
				i = len(g.Regions)
				at[region] = i
				g.Regions = append(g.Regions, regionGroup{Region: region})
			}
			g.Regions[i].Agencies = append(g.Regions[i].Agencies, a)
		}
		if len(g.Regions) > 0 {
			out = append(out, g)
		}
	}
	return out
}
