package search

import (
	"bytes"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// files is an index written to memory.
type files map[string][]byte

func (f files) read(rel string) ([]byte, error) {
	b, ok := f[rel]
	if !ok {
		return nil, fs.ErrNotExist
	}
	return b, nil
}

func build(t testing.TB, docs []Doc) (files, Stats) {
	t.Helper()
	b := NewBuilder()
	for _, d := range docs {
		b.Add(d)
	}
	out := files{}
	st, err := b.Write(func(rel string, data []byte) error {
		if _, dup := out[rel]; dup {
			return fmt.Errorf("%s written twice", rel)
		}
		out[rel] = data
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out, st
}

func open(t testing.TB, f files) *Index {
	t.Helper()
	ix, err := Open(f.read)
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

// testDocs is a small hand-made site.
func testDocs() []Doc {
	return []Doc{
		{Kind: KindDecision, URL: "/c/JM-SCJG-2025-0012/", Title: "江门市某某食品有限公司销售不符合食品安全标准的食品案",
			Subtitle: "江市监处罚〔2025〕12号 · 2025-03-02 · 罚款", Agency: "jm-scjg", AgencyName: "江门市市场监督管理局",
			Year: 2025, Date: "2025-03-02",
			Keys: []string{"江市监处罚〔2025〕12号", "JM-SCJG-2025-0012", "91440700MA4UABCD12"},
			Text: []string{"江门市某某食品有限公司销售不符合食品安全标准的食品案", "江门市某某食品有限公司", "江门市市场监督管理局", "行政处罚",
				"经查，当事人销售的食品经抽样检验不合格。"}},
		{Kind: KindDecision, URL: "/c/JM-SCJG-2025-0112/", Title: "江门市蓬江区宏达五金有限公司虚假宣传案",
			Subtitle: "江市监处罚〔2025〕112号", Agency: "jm-scjg", AgencyName: "江门市市场监督管理局",
			Year: 2025, Date: "2025-06-10",
			Keys: []string{"江市监处罚〔2025〕112号", "JM-SCJG-2025-0112", "91440703MA5XYZ0001"},
			Text: []string{"江门市蓬江区宏达五金有限公司虚假宣传案", "江门市蓬江区宏达五金有限公司", "虚假宣传", "当事人在网店发布虚假宣传内容，涉及食品。"}},
		{Kind: KindDecision, URL: "/c/JM-STHJ-2024-0003/", Title: "王某某超标排放大气污染物案",
			Subtitle: "江环罚〔2024〕3号", Agency: "jm-sthj", AgencyName: "江门市生态环境局",
			Year: 2024, Date: "2024-11-01",
			Keys: []string{"江环罚〔2024〕3号", "JM-STHJ-2024-0003"},
			Text: []string{"王某某超标排放大气污染物案", "王某某", "江门市生态环境局", "当事人王某某经营的作坊超标排放。"}},
		{Kind: KindItem, URL: "/agencies/jm-scjg/catalogue/#4407-SCJG-CF-0001", Title: "对销售不符合食品安全标准的食品的处罚",
			Subtitle: "4407-SCJG-CF-0001 · 行政处罚", Agency: "jm-scjg", AgencyName: "江门市市场监督管理局",
			Keys: []string{"4407-SCJG-CF-0001"}, Text: []string{"对销售不符合食品安全标准的食品的处罚", "行政处罚", "《中华人民共和国食品安全法》第一百二十四条"}},
		{Kind: KindOfficer, URL: "/officers/44070012345/", Title: "李明", Subtitle: "执法证号 44070012345 · 市场监管",
			Agency: "jm-scjg", AgencyName: "江门市市场监督管理局", Keys: []string{"44070012345"}, Text: []string{"李明", "市场监管", "在岗"}},
		{Kind: KindOfficer, URL: "/officers/44070012346/", Title: "李明华", Subtitle: "执法证号 44070012346",
			Agency: "jm-scjg", AgencyName: "江门市市场监督管理局", Keys: []string{"44070012346"}, Text: []string{"李明华"}},
		{Kind: KindBenchmark, URL: "/agencies/jm-scjg/benchmarks/#B001", Title: "销售不符合食品安全标准的食品",
			Subtitle: "B001", Agency: "jm-scjg", AgencyName: "江门市市场监督管理局", Keys: []string{"B001", "4407-SCJG-CF-0001"},
			Text: []string{"销售不符合食品安全标准的食品", "一般", "违法所得较少；能够及时改正", "处五千元以上一万元以下罚款"}},
		{Kind: KindTask, URL: "/agencies/jm-scjg/plans/2026/#P01", Title: "2026年食品经营者双随机抽查", Year: 2026,
			Agency: "jm-scjg", AgencyName: "江门市市场监督管理局", Keys: []string{"P01"}, Text: []string{"2026年食品经营者双随机抽查", "双随机", "全市食品经营者"}},
		{Kind: KindLeniency, URL: "/agencies/jm-scjg/leniency/buyu-chufa/#L001", Title: "未按规定公示营业执照",
			Subtitle: "不予处罚清单", Agency: "jm-scjg", AgencyName: "江门市市场监督管理局", Keys: []string{"L001"},
			Text: []string{"未按规定公示营业执照", "不予处罚", "首次违法且危害后果轻微，并在责令改正期限内改正"}},
	}
}

func urls(hits []Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.URL)
	}
	return out
}

func TestSearchRanking(t *testing.T) {
	f, _ := build(t, testDocs())
	ix := open(t, f)
	for _, c := range []struct {
		q     Query
		want  []string // URLs in order
		total int
	}{
		// a middle substring of a company name
		{Query{Q: "某某食品"}, []string{"/c/JM-SCJG-2025-0012/"}, 1},
		{Query{Q: "宏达五金"}, []string{"/c/JM-SCJG-2025-0112/"}, 1},
		// 文号 in any bracket form; 12号 is not 112号
		{Query{Q: "[2025]12号"}, []string{"/c/JM-SCJG-2025-0012/"}, 1},
		{Query{Q: "(2025)12号"}, []string{"/c/JM-SCJG-2025-0012/"}, 1},
		{Query{Q: "江市监处罚（2025）112号"}, []string{"/c/JM-SCJG-2025-0112/"}, 1},
		// Traditional characters
		{Query{Q: "蓬江區宏達"}, []string{"/c/JM-SCJG-2025-0112/"}, 1},
		// codes: fragments, case-insensitive, full-width
		{Query{Q: "ma4uabcd"}, []string{"/c/JM-SCJG-2025-0012/"}, 1},
		{Query{Q: "ＭＡ４ＵＡＢＣＤ"}, []string{"/c/JM-SCJG-2025-0012/"}, 1},
		{Query{Q: "SCJG-CF-0001"}, []string{"/agencies/jm-scjg/catalogue/#4407-SCJG-CF-0001", "/agencies/jm-scjg/benchmarks/#B001"}, 2},
		{Query{Q: "12345"}, []string{"/officers/44070012345/"}, 1},
		// exact title first, then the longer title containing it
		{Query{Q: "李明"}, []string{"/officers/44070012345/", "/officers/44070012346/"}, 2},
		// title matches before body matches; among title matches the closer
		// (shorter) title first, kind order breaks ties
		{Query{Q: "销售不符合食品安全标准的食品"}, []string{
			"/agencies/jm-scjg/benchmarks/#B001",             // exact title
			"/agencies/jm-scjg/catalogue/#4407-SCJG-CF-0001", // title, shorter
			"/c/JM-SCJG-2025-0012/",                          // title, longer
		}, 3},
		{Query{Q: "食品"}, []string{
			"/agencies/jm-scjg/plans/2026/#P01",              // title of 13 units
			"/agencies/jm-scjg/benchmarks/#B001",             // 14
			"/agencies/jm-scjg/catalogue/#4407-SCJG-CF-0001", // 18
			"/c/JM-SCJG-2025-0012/",                          // 26
			"/c/JM-SCJG-2025-0112/",                          // body only
		}, 5},
		// filters
		{Query{Q: "食品", Kind: KindDecision}, []string{"/c/JM-SCJG-2025-0012/", "/c/JM-SCJG-2025-0112/"}, 2},
		{Query{Q: "案", Agency: "jm-sthj"}, []string{"/c/JM-STHJ-2024-0003/"}, 1},
		{Query{Q: "案", Year: 2024}, []string{"/c/JM-STHJ-2024-0003/"}, 1},
		{Query{Kind: KindOfficer}, []string{"/officers/44070012345/", "/officers/44070012346/"}, 2},
		// masked names are found masked, never by the real name (not indexed)
		{Query{Q: "王某某"}, []string{"/c/JM-STHJ-2024-0003/"}, 1},
		{Query{Q: "王小明"}, nil, 0},
		// no match, empty query
		{Query{Q: "不存在的公司"}, nil, 0},
		{Query{Q: "，"}, nil, 0},
	} {
		res, err := ix.Search(c.q)
		if err != nil {
			t.Fatal(err)
		}
		got := urls(res.Hits)
		if res.Total != c.total {
			t.Errorf("%+v: total %d, want %d (%q)", c.q, res.Total, c.total, got)
			continue
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%+v: got %q (tokens %q), want %q", c.q, got, res.Plan.Tokens, c.want)
		}
	}
}

func TestSearchFacetsAndPaging(t *testing.T) {
	var docs []Doc
	for i := 0; i < 57; i++ {
		docs = append(docs, Doc{Kind: KindDecision, URL: fmt.Sprintf("/c/X-%03d/", i), Title: fmt.Sprintf("测试公司%d违法案", i),
			Year: 2020 + i%3, Date: fmt.Sprintf("%d-01-%02d", 2020+i%3, 1+i%28), Agency: "a", AgencyName: "甲"})
	}
	docs = append(docs, Doc{Kind: KindItem, URL: "/i/1/", Title: "测试公司事项"})
	f, st := build(t, docs)
	ix := open(t, f)
	res, err := ix.Search(Query{Q: "测试公司", Page: 6})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 58 || res.Pages != 6 || res.Page != 6 || len(res.Hits) != 8 {
		t.Fatalf("total %d pages %d page %d hits %d", res.Total, res.Pages, res.Page, len(res.Hits))
	}
	if res.Kinds[KindDecision] != 57 || res.Kinds[KindItem] != 1 || res.Years[2020] != 19 || res.Years[2022] != 19 {
		t.Fatalf("facets %v %v", res.Kinds, res.Years)
	}
	res, _ = ix.Search(Query{Q: "测试公司", Year: 2021})
	if res.Total != 19 || res.Kinds[KindItem] != 0 || res.Years[2022] != 19 {
		t.Fatalf("year filter: total %d kinds %v years %v", res.Total, res.Kinds, res.Years)
	}
	// Newest first within the title tier (all titles have equal length
	// modulo digits: 测试公司N违法案).
	res, _ = ix.Search(Query{Q: "违法案", Kind: KindDecision})
	if res.Hits[0].Year != 2022 {
		t.Fatalf("first hit %+v, want the newest year", res.Hits[0])
	}
	if st.Chunks != 4 || st.Files != st.Shards+st.Chunks+2 {
		t.Fatalf("stats %+v", st)
	}
}

// The bytes depend on the documents, not on the order or concurrency of Add.
func TestWriteDeterministic(t *testing.T) {
	docs := testDocs()
	for i := 0; i < 300; i++ {
		docs = append(docs, Doc{Kind: KindDecision, URL: fmt.Sprintf("/c/G-%d/", i), Title: fmt.Sprintf("江门市第%d食品店违法案", i),
			Year: 2024 + i%2, Text: []string{strings.Repeat("当事人销售过期食品。", 1+i%5)}, Keys: []string{fmt.Sprintf("G-%d", i)}})
	}
	want, _ := build(t, docs)
	for round := 0; round < 3; round++ {
		shuffled := slices.Clone(docs)
		r := rand.New(rand.NewPCG(uint64(round), 7))
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		b := NewBuilder()
		addConcurrently(b, shuffled)
		got := files{}
		if _, err := b.Write(func(rel string, data []byte) error { got[rel] = data; return nil }); err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("round %d: %d files, want %d", round, len(got), len(want))
		}
		for rel, data := range want {
			if !bytes.Equal(got[rel], data) {
				t.Fatalf("round %d: %s differs:\n%s\n%s", round, rel, got[rel], data)
			}
		}
	}
}

func TestEmptyIndex(t *testing.T) {
	f, st := build(t, nil)
	if st.Docs != 0 {
		t.Fatal(st)
	}
	ix := open(t, f)
	res, err := ix.Search(Query{Q: "执法"})
	if err != nil || res.Total != 0 {
		t.Fatal(res, err)
	}
}

// Editing one document's text rewrites only the shards its old and new
// tokens fall in, its record chunk (if a displayed field changed) and the
// manifest: every other file is byte-identical, so a rebuild after an
// edit uploads a handful of files, not the whole index.
func TestEditChangesFewFiles(t *testing.T) {
	var docs []Doc
	for i := 0; i < 12000; i++ {
		docs = append(docs, Doc{Kind: KindDecision, URL: fmt.Sprintf("/c/G-%d/", i), Title: fmt.Sprintf("江门市第%d食品店违法案", i),
			Year: 2024 + i%2, Date: fmt.Sprintf("2025-%02d-%02d", 1+i%12, 1+i%28),
			Text: []string{fmt.Sprintf("当事人第%d号门店销售过期食品%d批次。", i, i%97)}, Keys: []string{fmt.Sprintf("G-%d", i)}})
	}
	before, st := build(t, docs)
	docs[1234].Text = []string{"当事人销售过期食品，已经更正为销售不合格酱油。"}
	after, _ := build(t, docs)
	var changed []string
	for rel, data := range after {
		if !bytes.Equal(before[rel], data) {
			changed = append(changed, rel)
		}
	}
	slices.Sort(changed)
	if len(after) != len(before) {
		t.Fatalf("%d files, then %d", len(before), len(after))
	}
	if st.Shards < 64 {
		t.Fatalf("only %d shards: the test needs a bigger index", st.Shards)
	}
	// The edit adds and removes a few dozen tokens at most.
	if len(changed) > 40 || !slices.Contains(changed, "search/index.json") {
		t.Errorf("%d of %d files changed after editing one document's text: %v", len(changed), len(after), changed)
	}
	t.Logf("%d of %d files changed (%d shards)", len(changed), len(after), st.Shards)
}

// TestSpillSameBytes: an index whose postings were spilled to run files
// (many small runs, a few large ones) is byte for byte the index built in
// memory, whatever the order and concurrency of Add; and the run files
// leave nothing in their directory.
func TestSpillSameBytes(t *testing.T) {
	docs := testDocs()
	for i := 0; i < 1500; i++ {
		docs = append(docs, syntheticDoc(i))
	}
	// Equal URLs and dates: ordered by the records read back.
	for _, title := range []string{"乙案", "甲案", "丙案"} {
		docs = append(docs, Doc{Kind: KindDecision, URL: "/c/SAME/", Title: title, Year: 2025, Date: "2025-05-05"})
	}
	write := func(b *Builder) (files, Stats) {
		out := files{}
		st, err := b.Write(func(rel string, data []byte) error { out[rel] = data; return nil })
		if err != nil {
			t.Fatal(err)
		}
		return out, st
	}
	inMemory := NewBuilderOptions(Options{MemoryBudget: -1})
	for _, d := range docs {
		inMemory.Add(d)
	}
	want, wst := write(inMemory)
	if wst.Runs != 0 {
		t.Fatalf("budget -1 spilled %d runs", wst.Runs)
	}
	for round, budget := range []int64{1, 16 << 10, 1 << 20} {
		tmp := t.TempDir()
		b := NewBuilderOptions(Options{MemoryBudget: budget, TempDir: tmp})
		shuffled := slices.Clone(docs)
		r := rand.New(rand.NewPCG(uint64(round), 9))
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		addConcurrently(b, shuffled)
		if left, _ := os.ReadDir(tmp); len(left) > 0 {
			t.Errorf("budget %d: run files left in the temporary directory: %v", budget, left)
		}
		flushed := b.recFlushed
		got, st := write(b)
		b.recFlushed = flushed
		if st.Runs < 2 {
			t.Fatalf("budget %d: %d runs, want several", budget, st.Runs)
		}
		if budget < 1<<20 && b.recFlushed == 0 {
			t.Fatalf("budget %d: no display record went to the record file", budget)
		}
		if st.Tokens != wst.Tokens || st.Postings != wst.Postings || st.Shards != wst.Shards {
			t.Errorf("budget %d: %d tokens, %d postings, %d shards; in memory %d, %d, %d", budget, st.Tokens, st.Postings, st.Shards, wst.Tokens, wst.Postings, wst.Shards)
		}
		if len(got) != len(want) {
			t.Fatalf("budget %d: %d files, want %d", budget, len(got), len(want))
		}
		for rel, data := range want {
			if !bytes.Equal(got[rel], data) {
				t.Fatalf("budget %d (%d runs): %s differs from the in-memory index", budget, st.Runs, rel)
			}
		}
	}
}

// addConcurrently adds docs from four goroutines, as a build's workers do.
func addConcurrently(b *Builder, docs []Doc) {
	var wg sync.WaitGroup
	next := make(chan Doc)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range next {
				b.Add(d)
			}
		}()
	}
	for _, d := range docs {
		next <- d
	}
	close(next)
	wg.Wait()
}

// TestSpillFailureReported: when the run files cannot be created the
// builder keeps working in memory and Write reports why, in Chinese,
// instead of writing an index.
func TestSpillFailureReported(t *testing.T) {
	b := NewBuilderOptions(Options{MemoryBudget: 1, TempDir: filepath.Join(t.TempDir(), "missing")})
	for i := 0; i < 50; i++ {
		b.Add(syntheticDoc(i))
	}
	wrote := 0
	_, err := b.Write(func(string, []byte) error { wrote++; return nil })
	if err == nil || !strings.Contains(err.Error(), "搜索索引的临时文件写入失败") {
		t.Fatalf("Write: %v, want the temporary file failure", err)
	}
	if wrote != 0 {
		t.Errorf("%d index files written despite the failure", wrote)
	}
}
