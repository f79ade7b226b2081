package search

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"zfgs/generator/internal/browsertest"
	"zfgs/generator/internal/gendemo"
	"zfgs/generator/internal/model"
	"zfgs/generator/internal/site"
)

var benchDir = flag.String("bench.dir", "", "keep the generated sites under this folder (default: a temporary one)")

var benchTrace = flag.Bool("bench.trace", false, "log each cold query's resource timings")

var benchSizes = flag.String("bench.search", "", "comma-separated decision counts: build a gen-demo site of each size, index it and measure queries in Chromium (e.g. 20000,100000)")

// TestBenchSearch is the search benchmark (skipped unless -bench.search):
//
//	go test ./generator/internal/search -run TestBenchSearch -bench.search 20000,100000 -v -timeout 60m
//
// For each size it generates the demo city (gen-demo, 60 agencies, seed 1:
// the corpus the Pagefind anchor was measured on), loads and checks it with
// site.Run, turns every published decision and every list row into a Doc,
// then measures Add+Write alone (time, heap), the index (bytes, files) and,
// in headless Chromium, each query of benchQueries cold (fresh cache: the
// page, the script and the index files) and warm (same tab, next query).
func TestBenchSearch(t *testing.T) {
	if *benchSizes == "" {
		t.Skip("set -bench.search=N[,N…] to run the search benchmark")
	}
	for _, f := range strings.Split(*benchSizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		if *benchDir != "" {
			dir = filepath.Join(*benchDir, strconv.Itoa(n))
		}
		r := Bench(t, dir, n)
		t.Log(r)
	}
}

// BenchResult holds the figures of one run.
type BenchResult struct {
	Decisions, Docs  int
	Build            time.Duration // Add of every doc (2 workers) + Write
	Write            time.Duration // of which Write
	HeapPeak         uint64        // peak heap (live and garbage) above the baseline during Add+Write
	HeapLive         uint64        // live heap of the builder after every Add (before Write)
	CPU              time.Duration // user+system CPU of Add+Write (the machine is shared: wall times vary)
	Stats            Stats
	Queries          []QueryFigure
	BundleBytes      int // search.js, minified
	ManifestBytes    int
	SiteRunWithIndex time.Duration // site.Run + Add (the real pipeline), for reference
}

// QueryFigure is one query in Chromium.
type QueryFigure struct {
	Query             string
	Results           int
	ColdBytes         int64 // everything the page loaded: HTML, script, index files
	ColdIndexBytes    int64 // the index files alone
	ColdRequests      int
	ColdMS, WarmMS    float64 // navigation start → results shown
	WarmBytes         int64
	GoShards, GoTotal int
}

func (r BenchResult) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n== %d decisions, %d docs ==\n", r.Decisions, r.Docs)
	fmt.Fprintf(&b, "index: %.1f MB in %d files (%d shards, %d record files), %d tokens, %d postings; manifest %d B; search.js %d B\n",
		float64(r.Stats.Bytes)/1e6, r.Stats.Files, r.Stats.Shards, r.Stats.Chunks, r.Stats.Tokens, r.Stats.Postings, r.ManifestBytes, r.BundleBytes)
	fmt.Fprintf(&b, "build: Add+Write %.2f s wall, %.2f s CPU (Write %.2f s wall), builder holds %.0f MB (live heap +%.0f MB), peak heap +%.0f MB; site.Run with indexing %.1f s\n",
		r.Build.Seconds(), r.CPU.Seconds(), r.Write.Seconds(), float64(r.Stats.Memory)/1e6, float64(r.HeapLive)/1e6, float64(r.HeapPeak)/1e6, r.SiteRunWithIndex.Seconds())
	fmt.Fprintf(&b, "%-24s %8s %10s %10s %5s %8s %8s %9s\n", "query", "results", "cold KB", "index KB", "reqs", "cold ms", "warm ms", "warm KB")
	for _, q := range r.Queries {
		fmt.Fprintf(&b, "%-24s %8d %10.1f %10.1f %5d %8.0f %8.0f %9.1f\n", q.Query, q.Results, float64(q.ColdBytes)/1e3, float64(q.ColdIndexBytes)/1e3, q.ColdRequests, q.ColdMS, q.WarmMS, float64(q.WarmBytes)/1e3)
	}
	return b.String()
}

// benchQueries are typical: a company-name fragment and a 文号 in another
// bracket form (both taken from a decision of the corpus), Traditional
// characters, a credit-code fragment, an item code, an officer, a long
// phrase, a common word with filters, a violation.
func benchQueries(d Doc) []string {
	name := []rune(strings.TrimPrefix(d.Title, "江门市"))
	number := strings.NewReplacer("〔", "[", "〕", "]").Replace(d.Keys[0])
	number = number[strings.Index(number, "["):]
	return []string{
		"q=" + urlq(string(name[:min(8, len(name))])),
		"q=" + urlq(number),
		"q=" + urlq("江門市新會區"),
		"q=" + urlq("91440700MA"),
		"q=" + urlq("SCJG00-00"),
		"q=" + urlq("张伟明"),
		"q=" + urlq("销售不符合食品安全标准的食品"),
		"q=" + urlq("有限公司") + "&kind=decision&year=2025",
		"q=" + urlq("虚假宣传"),
	}
}

// Bench builds the index of an n-decision demo site under dir and measures
// it (see TestBenchSearch).
func Bench(t testing.TB, dir string, n int) BenchResult {
	r := BenchResult{Decisions: n}
	src := filepath.Join(dir, "src")
	if err := gendemo.Generate(src, gendemo.Options{Cases: n, Agencies: 60, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	// The real pipeline: site.Run hands each checked case to Add.
	now := model.DateOf(2026, 11, 24)
	var mu sync.Mutex
	var docs []Doc
	start := time.Now()
	b0 := NewBuilder()
	res := site.Run(os.DirFS(src), site.Options{Now: now}, func(c *model.Case, ref model.CaseRef) []byte {
		if d, ok := CaseDoc(c, "/c/"+c.ID+"/"); ok {
			b0.Add(d)
			mu.Lock()
			docs = append(docs, d)
			mu.Unlock()
		}
		return nil
	})
	r.SiteRunWithIndex = time.Since(start)
	if res.Diags.HasErrors() {
		t.Fatal("demo site has errors")
	}
	b0 = nil
	docs = append(docs, listDocs(res.Site)...)
	slices.SortFunc(docs, func(a, b Doc) int { return strings.Compare(a.URL, b.URL) })
	r.Docs = len(docs)
	var queries []string
	for _, d := range docs[len(docs)/3:] {
		if d.Kind == KindDecision && strings.Contains(d.Title, "有限公司") {
			queries = benchQueries(d)
			break
		}
	}

	// Add + Write alone, measured.
	out := filepath.Join(dir, "site")
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > base && m.HeapAlloc-base > peak.Load() {
				peak.Store(m.HeapAlloc - base)
			}
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()
	start = time.Now()
	cpu0 := cpuTime()
	b := NewBuilder()
	var wg sync.WaitGroup
	next := make(chan int, 256)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				b.Add(docs[i])
			}
		}()
	}
	for i := range docs {
		next <- i
	}
	close(next)
	wg.Wait()
	addDone := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&ms)
	r.HeapLive = ms.HeapAlloc - base
	runtime.KeepAlive(docs) // live during the measurement, as in base
	wstart := time.Now()
	st, err := b.Write(diskWriter(out))
	if err != nil {
		t.Fatal(err)
	}
	r.Write = time.Since(wstart)
	r.Build = addDone + r.Write
	r.CPU = cpuTime() - cpu0
	close(stop)
	r.HeapPeak = peak.Load()
	r.Stats = st
	docs = nil

	// The page and the script.
	page, err := os.ReadFile("testdata/page.html")
	if err != nil {
		t.Fatal(err)
	}
	js := bundle(t, "")
	r.BundleBytes = len(js)
	must(t, os.MkdirAll(filepath.Join(out, "assets"), 0o755))
	must(t, os.WriteFile(filepath.Join(out, "assets/search.js"), js, 0o644))
	must(t, os.WriteFile(filepath.Join(out, Dir, "index.html"), page, 0o644))
	if fi, err := os.Stat(filepath.Join(out, Dir, "index.json")); err == nil {
		r.ManifestBytes = int(fi.Size())
	}

	ix := openDir(t, out)
	srv := browsertest.Serve(t, out)
	ctx := browsertest.New(t)
	for _, qs := range queries {
		f := QueryFigure{Query: qs}
		q := queryOf(qs)
		gres, err := ix.Search(q)
		if err != nil {
			t.Fatal(err)
		}
		f.GoShards, f.GoTotal = gres.Shards, gres.Total
		ix = openDir(t, out) // cold again for the next query's shard count
		// Cold: a fresh tab with the cache disabled.
		tab, cancel := chromedp.NewContext(ctx)
		srv.Reset()
		var res pageResult
		var ms float64
		err = chromedp.Run(tab, network.Enable(), network.SetCacheDisabled(true),
			chromedp.Navigate(srv.URL+"/search/?"+qs),
			chromedp.Poll(settled, &res, chromedp.WithPollingTimeout(60*time.Second), chromedp.WithPollingInterval(5*time.Millisecond)),
			chromedp.Evaluate(`performance.now()`, &ms))
		if err != nil {
			t.Fatalf("%s: %v", qs, err)
		}
		f.ColdMS = ms
		if *benchTrace {
			var trace string
			must(t, chromedp.Run(tab, chromedp.Evaluate(`JSON.stringify({nav: performance.getEntriesByType('navigation').map(e => [Math.round(e.responseEnd), Math.round(e.domContentLoadedEventEnd)]), res: performance.getEntriesByType('resource').map(e => [e.name.replace(location.origin,'').replace(/\?v=.*/,''), Math.round(e.startTime), Math.round(e.responseEnd), e.transferSize])})`, &trace)))
			t.Logf("%s: %.0f ms %s", qs, ms, trace)
		}
		f.ColdBytes = srv.Bytes()
		f.ColdRequests = len(srv.Paths())
		f.ColdIndexBytes = f.ColdBytes - int64(len(js)) - int64(len(page))
		f.Results = resultsCount(res.Status)
		if f.Results != gres.Total {
			t.Errorf("%s: page shows %d results, Go finds %d", qs, f.Results, gres.Total)
		}
		// Warm: the same tab, caching on, a different query first.
		must(t, chromedp.Run(tab, network.SetCacheDisabled(false), chromedp.Navigate(srv.URL+"/search/?q="+urlq("执法")),
			chromedp.Poll(settled, &res, chromedp.WithPollingTimeout(60*time.Second))))
		srv.Reset()
		err = chromedp.Run(tab, chromedp.Navigate(srv.URL+"/search/?"+qs),
			chromedp.Poll(settled, &res, chromedp.WithPollingTimeout(60*time.Second), chromedp.WithPollingInterval(5*time.Millisecond)),
			chromedp.Evaluate(`performance.now()`, &ms))
		if err != nil {
			t.Fatalf("%s warm: %v", qs, err)
		}
		f.WarmMS, f.WarmBytes = ms, srv.Bytes()
		cancel()
		r.Queries = append(r.Queries, f)
	}
	return r
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// queryOf parses a bench query string.
func queryOf(qs string) Query {
	var q Query
	for _, kv := range strings.Split(qs, "&") {
		k, v, _ := strings.Cut(kv, "=")
		v = strings.NewReplacer("+", " ", "%25", "%", "%26", "&", "%23", "#", "%2B", "+").Replace(v)
		switch k {
		case "q":
			q.Q = v
		case "kind":
			q.Kind = v
		case "year":
			q.Year, _ = strconv.Atoi(v)
		case "agency":
			q.Agency = v
		}
	}
	return q
}

func resultsCount(status string) int {
	i := strings.Index(status, "找到 ")
	if i < 0 {
		return 0
	}
	n, _ := strconv.Atoi(strings.Fields(status[i+len("找到 "):])[0])
	return n
}

// listDocs are the documents of the lists: items, benchmarks, leniency
// entries, plan tasks, officers. The URLs follow the renderer's scheme.
func listDocs(s *model.Site) []Doc {
	var docs []Doc
	for _, a := range s.Agencies {
		for _, it := range a.Items {
			docs = append(docs, ItemDoc(it, "/agencies/"+a.ID+"/catalogue/#"+it.Code))
		}
		for _, bm := range a.Benchmarks {
			docs = append(docs, BenchmarkDoc(bm, "/agencies/"+a.ID+"/benchmarks/#"+bm.ID))
		}
		if a.Leniency != nil {
			for _, e := range a.Leniency.Entries {
				docs = append(docs, LeniencyDoc(e, "/agencies/"+a.ID+"/leniency/#"+e.ID))
			}
		}
		for _, p := range a.Plans {
			for _, tk := range p.Tasks {
				docs = append(docs, TaskDoc(tk, fmt.Sprintf("/agencies/%s/plans/%d/#%s", a.ID, p.Year, tk.ID)))
			}
		}
		for _, o := range a.Officers {
			docs = append(docs, OfficerDoc(o, "/officers/"+o.CertNo+"/"))
		}
	}
	return docs
}

var benchBuild = flag.Int("bench.build", 0, "build the index of N synthetic decisions (gen-demo-like text, generated on the fly) and report time, memory and files; no browser")

// TestBenchBuild measures Add+Write alone at sizes gen-demo + site.Run make
// slow to reach (e.g. -bench.build 1000000): documents are generated on the
// fly from gen-demo's vocabulary and dropped after Add.
func TestBenchBuild(t *testing.T) {
	if *benchBuild == 0 {
		t.Skip("set -bench.build=N to run")
	}
	n := *benchBuild
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	start, cpu0 := time.Now(), cpuTime()
	b := NewBuilder()
	var wg sync.WaitGroup
	next := make(chan int, 256)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				b.Add(syntheticDoc(i))
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	add := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&ms)
	live := ms.HeapAlloc - base
	var files, bytes int
	wstart := time.Now()
	st, err := b.Write(func(rel string, data []byte) error { files++; bytes += len(data); return nil })
	if err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&ms)
	t.Logf("%d synthetic decisions: Add %.1f s, Write %.1f s wall, %.1f s CPU; builder holds %.0f MB (live heap after Add +%.0f MB), process heap sys %.0f MB; index %.1f MB in %d files (%d shards, %d record files), %d tokens, %d postings, %d runs",
		n, add.Seconds(), time.Since(wstart).Seconds(), (cpuTime() - cpu0).Seconds(), float64(st.Memory)/1e6, float64(live)/1e6, float64(ms.HeapSys)/1e6,
		float64(st.Bytes)/1e6, st.Files, st.Shards, st.Chunks, st.Tokens, st.Postings, st.Runs)
}

// syntheticDoc is decision i in gen-demo's style.
func syntheticDoc(i int) Doc {
	r := rand.New(rand.NewPCG(uint64(i), 1))
	districts := []string{"蓬江区", "江海区", "新会区", "台山市", "开平市", "鹤山市", "恩平市"}
	shops := []string{"食品", "餐饮", "五金", "建材", "药品", "电器", "服装", "物流", "汽车维修", "印刷", "化工", "家具"}
	violations := []string{"销售不符合食品安全标准的食品", "未按规定公示营业执照", "超过排放标准排放大气污染物", "未取得道路运输经营许可擅自从事经营", "未按规定进行安全生产培训", "使用未经检验的特种设备", "虚假宣传", "未按规定建立进货查验记录"}
	year := 2024 + r.IntN(3)
	party := fmt.Sprintf("江门市%s%s%d有限公司", districts[r.IntN(7)], shops[r.IntN(12)], 100+r.IntN(900))
	v := violations[r.IntN(8)]
	ag := r.IntN(60)
	id := fmt.Sprintf("A%02d-%d-%07d", ag, year, i)
	return Doc{
		Kind: KindDecision, URL: "/c/" + id + "/", Title: party + v + "案",
		Subtitle: fmt.Sprintf("江A%02d处罚〔%d〕%d号", ag, year, i), Agency: fmt.Sprintf("a%02d", ag), AgencyName: fmt.Sprintf("江门市第%d执法局", ag),
		Year: year, Date: fmt.Sprintf("%d-%02d-%02d", year, 1+r.IntN(12), 1+r.IntN(28)),
		Keys: []string{fmt.Sprintf("江A%02d处罚〔%d〕%d号", ag, year, i), id, fmt.Sprintf("91440700MA%08X", r.Uint32())},
		Text: []string{party, fmt.Sprintf("江门市第%d执法局", ag), "行政处罚", v, "罚款",
			"## 违法事实\n\n经查，当事人" + party + "存在" + v + "的行为。执法人员现场检查时制作了现场笔录，并依法调取了相关证据材料。\n\n## 处罚依据与裁量理由\n\n当事人的行为违反了相关法律法规的规定。综合考虑违法行为的事实、性质、情节以及社会危害程度，依据本机关公布的行政处罚裁量权基准作出本决定。\n\n## 救济途径\n\n当事人如不服本决定，可以在收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法提起行政诉讼。"},
	}
}
