package search

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Index reads a written index and answers queries exactly as
// web/js/search-engine.js does. The generator never needs it; it exists for tests,
// the benchmark and debugging (and keeps the JavaScript honest: the browser
// test compares the two).
type Index struct {
	m      manifest
	bounds []uint32 // first bucket of each shard
	read   func(rel string) ([]byte, error)
	shards map[int][]byte
}

// Open reads the manifest; read returns a file by its path relative to the
// site root (e.g. "search/index.json").
func Open(read func(rel string) ([]byte, error)) (*Index, error) {
	js, err := read(Dir + "index.json")
	if err != nil {
		return nil, err
	}
	ix := &Index{read: read, shards: map[int][]byte{}}
	if err := json.Unmarshal(js, &ix.m); err != nil {
		return nil, err
	}
	if ix.m.Version != formatVersion {
		return nil, fmt.Errorf("search: index version %d, want %d", ix.m.Version, formatVersion)
	}
	raw, err := base64.StdEncoding.DecodeString(ix.m.Bounds)
	if err != nil {
		return nil, err
	}
	ix.bounds = []uint32{0}
	r := reader{b: raw}
	for len(r.b) > 0 {
		ix.bounds = append(ix.bounds, ix.bounds[len(ix.bounds)-1]+uint32(r.uvarint()))
	}
	if r.err != nil || (ix.m.Shards > 0 && len(ix.bounds) != ix.m.Shards) {
		return nil, errCorrupt
	}
	return ix, nil
}

// Docs is the number of indexed documents.
func (ix *Index) Docs() int { return ix.m.Docs }

func (ix *Index) body(rel string, magic []byte) ([]byte, error) {
	data, err := ix.read(Dir + rel)
	if err != nil {
		return nil, err
	}
	b, err := inflate(data)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(b, magic) {
		return nil, fmt.Errorf("search: %s is not from build %s", rel, ix.m.Build)
	}
	return b[len(magic):], nil
}

// posting is one token's documents.
type posting struct {
	all   []uint32 // title ∪ other, ascending
	title []uint32 // ascending
	meta  []uint8  // parallel to title, or nil
}

// lookup returns the postings of tok, or nil if no document has it.
func (ix *Index) lookup(tok string) (*posting, error) {
	if ix.m.Shards == 0 {
		return nil, nil
	}
	h := hash32(tok)
	s := sort.Search(len(ix.bounds), func(i int) bool { return ix.bounds[i] > h>>16 }) - 1
	body, ok := ix.shards[s]
	if !ok {
		var err error
		if body, err = ix.body(fmt.Sprintf("s/%d.bin", s), magicShard); err != nil {
			return nil, err
		}
		ix.shards[s] = body
	}
	r := &reader{b: body}
	count := r.uvarint()
	for i := uint64(0); i < count && r.err == nil; i++ {
		t := r.bytes(r.uvarint())
		if string(t) != tok {
			r.bytes(r.uvarint() >> 2)
			r.bytes(r.uvarint() >> 2)
			continue
		}
		p := &posting{all: r.ids()}
		p.title, p.meta = r.title(p.all)
		return p, r.err
	}
	return nil, r.err
}

func intersect(a, b []uint32) []uint32 {
	out := a[:0:0]
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			out = append(out, a[i])
			i++
			j++
		}
	}
	return out
}

// Query is what the search page's form holds.
type Query struct {
	Q      string
	Kind   string // "" = all
	Agency string // agency id, "" = all
	Year   int    // 0 = all
	Page   int    // 1-based; 0 means 1
}

// Hit is one result.
type Hit struct {
	ID         uint32
	Tier       int // 0 exact, 1 all tokens in the title or a key, 2 some, 3 none
	Kind       string
	URL        string
	Title      string
	Subtitle   string
	Agency     string
	AgencyName string
	Year       int
	Date       string
}

// Result of a query: the total, facet counts and one page of hits.
type Result struct {
	Plan   Plan
	Total  int
	Pages  int
	Page   int
	Kinds  map[string]int // counts per kind under the other filters
	Years  map[int]int    // counts per year under the other filters
	Hits   []Hit
	Shards int // shard files read
}

// Search runs q. Ranking: tier (exact title/key, all query tokens in the
// title or a key, some, none), then within the title tier the shorter
// title/key first, within "some" the more tokens in the title first, then
// document order (kind, newest first).
func (ix *Index) Search(q Query) (*Result, error) {
	res := &Result{Plan: PlanQuery(q.Q), Kinds: map[string]int{}, Years: map[int]int{}}
	toks := res.Plan.Tokens
	if len(toks) == 0 && q.Kind == "" && q.Agency == "" && q.Year == 0 {
		return res, nil
	}
	loaded := len(ix.shards)
	var ps []*posting
	for _, t := range toks {
		p, err := ix.lookup(t)
		if err != nil {
			return nil, err
		}
		if p == nil {
			return res, nil
		}
		ps = append(ps, p)
	}
	var cands []uint32
	if len(ps) > 0 {
		// Intersect, smallest first.
		order := slices.Clone(ps)
		slices.SortStableFunc(order, func(a, b *posting) int { return len(a.all) - len(b.all) })
		cands = order[0].all
		for _, p := range order[1:] {
			cands = intersect(cands, p.all)
		}
	} else {
		cands = make([]uint32, ix.m.Docs)
		for i := range cands {
			cands[i] = uint32(i)
		}
	}
	if q.Agency != "" {
		p, err := ix.lookup(agencyMark + q.Agency)
		if err != nil {
			return nil, err
		}
		if p == nil {
			cands = nil
		} else {
			cands = intersect(cands, p.all)
		}
	}
	res.Shards = len(ix.shards) - loaded

	// Facets and the kind/year filters, by document ranges.
	kindOK := func(k int) bool { return q.Kind == "" || ix.m.Kinds[k].ID == q.Kind }
	yearOK := func(y int) bool { return q.Year == 0 || y == q.Year }
	kept := cands[:0:0]
	ri := 0
	for _, id := range cands {
		for ri+1 < len(ix.m.Ranges) && ix.m.Ranges[ri+1][2] <= int(id) {
			ri++
		}
		rg := ix.m.Ranges[ri]
		k, y := rg[0], rg[1]
		if yearOK(y) {
			res.Kinds[ix.m.Kinds[k].ID]++
		}
		if kindOK(k) {
			res.Years[y]++
		}
		if kindOK(k) && yearOK(y) {
			kept = append(kept, id)
		}
	}
	delete(res.Years, 0)
	res.Total = len(kept)

	// Rank.
	type scored struct {
		id   uint32
		tier int
		key  int
	}
	sc := make([]scored, len(kept))
	ptr := make([]int, len(ps))
	for ci, id := range kept {
		hits, meta := 0, -1
		for i, p := range ps {
			for ptr[i] < len(p.title) && p.title[ptr[i]] < id {
				ptr[i]++
			}
			if ptr[i] < len(p.title) && p.title[ptr[i]] == id {
				hits++
				if meta < 0 && p.meta != nil {
					meta = int(p.meta[ptr[i]])
				}
			}
		}
		s := scored{id: id, tier: 3}
		switch {
		case len(ps) == 0:
			s.tier = 1
		case hits == len(ps):
			s.tier, s.key = 1, meta
			if meta < 0 {
				s.key = 256
			}
			if res.Plan.Exact && meta == res.Plan.Units {
				s.tier = 0
			}
		case hits > 0:
			s.tier, s.key = 2, -hits
		}
		sc[ci] = s
	}
	slices.SortFunc(sc, func(a, b scored) int {
		if a.tier != b.tier {
			return a.tier - b.tier
		}
		if a.key != b.key {
			return a.key - b.key
		}
		return int(a.id) - int(b.id)
	})

	size := ix.m.PageSize
	res.Pages = (len(sc) + size - 1) / size
	res.Page = min(max(q.Page, 1), max(res.Pages, 1))
	from := (res.Page - 1) * size
	for _, s := range sc[min(from, len(sc)):min(from+size, len(sc))] {
		h, err := ix.record(s.id)
		if err != nil {
			return nil, err
		}
		h.Tier = s.tier
		res.Hits = append(res.Hits, h)
	}
	return res, nil
}

// record reads document id's display record.
func (ix *Index) record(id uint32) (Hit, error) {
	c := int(id) / ix.m.Chunk
	body, err := ix.body(fmt.Sprintf("r/%d.bin", c), magicRecord)
	if err != nil {
		return Hit{}, err
	}
	r := &reader{b: body}
	first, count := r.uvarint(), r.uvarint()
	for i := uint64(0); i < count && r.err == nil; i++ {
		h := Hit{ID: uint32(first + i)}
		k := r.uvarint()
		ag := r.uvarint()
		h.Year = int(r.uvarint())
		h.URL, h.Title, h.Subtitle, h.Date = r.str(), r.str(), r.str(), r.str()
		if h.ID != id {
			continue
		}
		if int(k) < len(ix.m.Kinds) {
			h.Kind = ix.m.Kinds[k].ID
		}
		if ag > 0 && int(ag) <= len(ix.m.Agencies) {
			h.Agency, h.AgencyName = ix.m.Agencies[ag-1][0], ix.m.Agencies[ag-1][1]
		}
		return h, nil
	}
	if r.err != nil {
		return Hit{}, r.err
	}
	return Hit{}, fmt.Errorf("search: document %d not in its record file", id)
}

// String shows a hit for test failures.
func (h Hit) String() string {
	return strings.Join([]string{h.Kind, h.URL, h.Title}, " ")
}
