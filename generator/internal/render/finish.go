package render

import (
	"cmp"
	"slices"
	"sort"
	"unsafe"

	"zfgs/generator/internal/model"
)

// Finish renders everything but the case pages, from the site's lists and
// the case summaries recorded by Case. Call it once, after the last Case.
func (b *Build) Finish() error {
	if err := b.Err(); err != nil {
		return err
	}
	ix := indexCases(&b.summaries)
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
	return len(b.summaries.refs)
}

// Pages is the number of HTML pages written so far (case pages, list
// pages, print views and 404.html once Finish has run).
func (b *Build) Pages() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := len(b.pages) + len(b.summaries.refs) + b.unlisted
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
	ids := make([]string, len(b.summaries.refs))
	for i := range ids {
		ids[i] = string(b.summaries.id(int32(i)))
	}
	sort.Strings(ids)
	return ids
}

// caseIndex groups the summaries for the lists. Cases arrive in any order
// from parallel workers; everything here is sorted so the output does not
// depend on it. The lists hold positions in the store (see summaryStore):
// a page decodes its own rows.
type caseIndex struct {
	store    *summaryStore
	all      []int32                    // every published page, by decided desc, id
	listed   []int32                    // without tombstones, same order
	byAgency map[string][]int32         // listed, per agency
	byYear   map[int][]int32            // listed, per decision year
	agencyYr map[string]map[int][]int32 // listed, per agency and year
	newest   []int32                    // listed, by published desc
	// ids[i] is summary i's case id, for the sorts: decoding it from the
	// arena in every comparison was 2.4 s of a million-decision rebuild.
	// The strings share the arena's bytes, which are never changed once
	// written (an append that moves the arena leaves the old bytes where
	// they are, still referenced).
	ids []string
}

func indexCases(st *summaryStore) *caseIndex {
	ix := &caseIndex{store: st, byAgency: map[string][]int32{}, byYear: map[int][]int32{}, agencyYr: map[string]map[int][]int32{}}
	ix.all = make([]int32, len(st.refs))
	ix.ids = make([]string, len(st.refs))
	for i := range ix.all {
		ix.all[i] = int32(i)
		if id := st.id(int32(i)); len(id) > 0 {
			ix.ids[i] = unsafe.String(&id[0], len(id))
		}
	}
	slices.SortFunc(ix.all, func(i, j int32) int {
		return cmp.Or(cmp.Compare(st.refs[j].decided, st.refs[i].decided), cmp.Compare(ix.ids[i], ix.ids[j]))
	})
	for _, i := range ix.all {
		if st.refs[i].tombstoned {
			continue
		}
		ix.listed = append(ix.listed, i)
		agency, year := st.agency(i), int(st.refs[i].year)
		ix.byAgency[agency] = append(ix.byAgency[agency], i)
		ix.byYear[year] = append(ix.byYear[year], i)
		ay := ix.agencyYr[agency]
		if ay == nil {
			ay = map[int][]int32{}
			ix.agencyYr[agency] = ay
		}
		ay[year] = append(ay[year], i)
	}
	ix.newest = slices.Clone(ix.listed)
	ix.sortNewest(ix.newest)
	return ix
}

// sortNewest orders by publication date, newest first.
func (ix *caseIndex) sortNewest(list []int32) {
	st := ix.store
	slices.SortStableFunc(list, func(i, j int32) int {
		x, y := &st.refs[i], &st.refs[j]
		return cmp.Or(cmp.Compare(y.published, x.published), cmp.Compare(y.decided, x.decided), cmp.Compare(ix.ids[i], ix.ids[j]))
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
