package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"

	"zfgs/generator/internal/assets"
	"zfgs/generator/internal/diag"
	"zfgs/generator/internal/model"
	"zfgs/generator/internal/publish"
	"zfgs/generator/internal/render"
	"zfgs/generator/internal/safefs"
	"zfgs/generator/internal/search"
	"zfgs/generator/internal/site"
	"zfgs/generator/internal/urllock"
	"zfgs/generator/internal/wire"
	"zfgs/web"
)

// cmdBuild validates the site and writes the portal to --out atomically: the
// new output is assembled beside it and swapped in only when complete, so a
// failed or killed build leaves the previous site untouched.
func cmdBuild(args []string, stdout, stderr io.Writer) int {
	fset := newFlagSet("build", stderr)
	var cf commonFlags
	cf.register(fset)
	out := fset.String("out", "", "输出目录（默认 <source>/public）")
	cpuprofile := fset.String("cpuprofile", "", "把 CPU 性能剖析写入此文件（pprof 格式，供开发者分析）")
	memprofile := fset.String("memprofile", "", "在案件全部处理完、列表页生成前把堆内存剖析写入此文件（供开发者分析）")
	cacheDir := fset.String("cache", "", "构建缓存目录（默认 <source>/.cache；未改动的案件页面和二维码直接沿用上次的输出）")
	noCache := fset.Bool("no-cache", false, "不用构建缓存，重新生成每个文件（输出与用缓存时逐字节相同）")
	inPlace := fset.Bool("in-place", false, "就地更新输出目录：只写入有变化的文件，大站点重建快得多；发布的几毫秒内访问者可能看到新旧页面混合，中断后下次生成自动补完（默认整体替换）")
	opt, ok := cf.parse(fset, args, stderr)
	if !ok {
		return 2
	}
	if *out == "" {
		*out = filepath.Join(cf.source, "public")
	}
	// The swap replaces --out whole: never the site, its content or a file.
	var err error
	if *out, err = publish.CheckOut(*out, cf.source, "content", "layouts"); err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	stop, ok := startCPUProfile(*cpuprofile, stderr)
	if !ok {
		return 2
	}
	defer stop()

	tx, err := publish.Begin(*out)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	var cache *buildCache
	sitefs := safefs.New(cf.source)
	if !*noCache {
		if *cacheDir == "" {
			*cacheDir = filepath.Join(cf.source, ".cache")
		}
		cache = startCache(tx, cf.source, *cacheDir, *inPlace)
	}
	if cache != nil {
		// What each case file gave the last build: an unchanged case is
		// not read, parsed, checked or tokenised again.
		if opt.Memo = openCaseMemo(*cacheDir, cache.scope.Env(), sitefs, false); opt.Memo != nil {
			defer opt.Memo.Close()
		}
	}
	if *memprofile != "" {
		opt.Streamed = func() { writeHeapProfile(*memprofile, stderr) }
	}
	res, b, err := buildSite(sitefs, siteLayouts(cf.source), opt, tx, cache)
	if res.Diags.HasErrors() {
		tx.Abort()
		res.Diags.Print(stdout)
		fmt.Fprintln(stdout, "内容有错误，未生成网站；原有输出保持不变。")
		return 1
	}
	if err != nil {
		tx.Abort()
		res.Diags.Print(stdout)
		fmt.Fprintln(stderr, err)
		return 1
	}
	if err := tx.Commit(); err != nil {
		res.Diags.Print(stdout)
		fmt.Fprintln(stderr, err)
		return 1
	}
	if cache != nil && cache.deflated != nil {
		// Only cache bookkeeping: the site is published either way.
		cache.deflated.Save()
	}
	if opt.Memo != nil {
		if err := opt.Memo.Commit(); err != nil {
			// The site is published; the next build just reads every case.
			fmt.Fprintf(stderr, "提示：无法更新构建缓存（%v），下次生成会重新读取全部案件\n", err)
		}
	}
	// Record every case URL now published, so a later build that loses one
	// fails with E_URL_GONE.
	if err := urllock.Write(cf.source, res.Lock, b.CaseIDs()); err != nil {
		fmt.Fprintf(stderr, "网站已生成，但无法更新 %s：%v\n", urllock.File, err)
		return 1
	}
	res.Diags.Print(stdout)
	how := "整体替换"
	if tx.InPlace() {
		how = "就地更新"
	}
	fmt.Fprintf(stdout, "已生成 %d 个页面（其中执法决定 %d 件），输出到 %s（%s）：新写入 %d 个文件，%d 个未变的文件沿用上次输出\n", b.Pages(), b.Count(), *out, how, tx.Written(), tx.Reused())
	if opt.Memo != nil {
		if st := opt.Memo.Stats(); st.Unchanged+st.SameBytes > 0 {
			fmt.Fprintf(stdout, "案件缓存：%d 个案件文件未改动，沿用上次的检查和索引结果（其中 %d 个核对了内容）；%d 个重新读取\n", st.Unchanged+st.SameBytes, st.SameBytes, st.Stored)
		}
	}
	if cache != nil && cache.deflated != nil {
		if st := cache.deflated.stats; st.Kept > 0 {
			fmt.Fprintf(stdout, "搜索索引：%d 个未改动的条目沿用上次的索引，%d 个重新分词；%d 个索引分片未变，%d 个重新生成\n", st.Kept, st.Docs-st.Kept, st.KeptShards, st.Shards-st.KeptShards)
		}
	}
	return 0
}

// siteLayouts is the site's own layouts/ folder, or nil when it has none.
func siteLayouts(source string) fs.FS {
	dir := filepath.Join(source, "layouts")
	if st, err := os.Lstat(dir); err == nil && (st.IsDir() || st.Mode()&fs.ModeSymlink != 0) {
		// Through the site root's safefs, so that layouts/ itself being a
		// symbolic link is refused like a link inside it.
		sub, err := fs.Sub(safefs.New(source), "layouts")
		if err == nil {
			return sub
		}
	}
	return nil
}

// buildSite runs the pipeline into w: load and check (site.Run), render each
// case as it streams past, then the lists. res is never nil; err is a
// rendering or writing failure (content errors are in res.Diags). Nothing
// is rendered once the lists have errors: the build will be discarded.
//
// With cache, unchanged case pages and QR codes are taken over from the
// previous output instead of being made again (w is then cache.tx).
func buildSite(fsys fs.FS, layouts fs.FS, opt site.Options, w render.Writer, cache *buildCache) (*site.Result, *render.Build, error) {
	bundle, err := assets.Build(web.FS)
	if err != nil {
		return &site.Result{Diags: diag.NewList(opt.Strict)}, nil, err
	}
	var b *render.Build
	var codes *qrWriter
	var setupErr error
	// The search index is built from the model in the same pass: each case
	// as it streams past (tombstones and minors are refused by CaseDoc),
	// the lists afterwards.
	// Past its memory budget it spills postings to unlinked files in the
	// system's temporary directory.
	var sopt search.Options
	if cache != nil && cache.deflated != nil {
		sopt.Compressed = cache.deflated
		// The live output's index: its unchanged documents are not
		// tokenised again.
		// A shard file the manifest still vouches for (same identity,
		// same SHA-256) is neither read to check it nor, when no change
		// reaches it, read and written again: it is taken over.
		tx := cache.tx
		sopt.Previous = cache.deflated.previous(func(rel string, sum [32]byte) bool { return tx.Holds(search.Dir+rel, sum) })
		sopt.Kept = func(rel string, sum [32]byte) bool { return tx.Reuse(search.Dir+rel, sum) }
	}
	index := search.NewBuilderOptions(sopt)
	defer index.Close()
	if cache != nil {
		opt.Scope = cache.scope // the keys of the cached case pages
	}
	// A case unchanged since the last build (opt.Memo) is taken over from
	// what the function below returned for it then.
	opt.Replay = func(ref model.CaseRef, memo []byte) bool {
		if b == nil {
			return false
		}
		page, publishes, doc, ok := readCaseMemo(memo)
		var findable search.Memo
		if ok && doc != nil {
			// Its postings come from the live output's index; without
			// it (its state lost), the case is read and tokenised.
			findable, ok = search.ParseMemo(doc)
			ok = ok && index.Has(findable)
		}
		if !ok || !b.ReplayCase(page) {
			return false
		}
		if publishes {
			codes.writeCase(ref.ID)
		}
		if doc != nil {
			index.AddFromMemo(findable)
		}
		return true
	}
	opt.Ready = func(res *site.Result) {
		if res.Diags.HasErrors() {
			return
		}
		q, err := newQRWriter(&res.Site.Config, w)
		if err != nil {
			setupErr = err
			return
		}
		ropt := render.Options{
			Layouts:   layouts,
			CSS:       bundle.CSS,
			JS:        bundle.JS,
			Search:    bundle.Search,
			Now:       opt.Now,
			Deadline:  res.Checker.Deadline,
			QR:        render.CaseQR,
			OfficerQR: render.OfficerQR,
		}
		if cache != nil {
			ropt.Cache, ropt.Scope = renderCache{cache.tx}, res.Scope
			q.cache = cache
		}
		r, err := render.New(res.Site, ropt)
		if err == nil {
			err = q.writeOfficers(res.Site)
		}
		if err != nil {
			setupErr = err
			return
		}
		b, codes = r.Start(w), q
	}
	// Every published case page, tombstones included, gets its QR code in
	// the same worker: a printed code must keep scanning to its page.
	remember := opt.Memo != nil
	res := site.Run(fsys, opt, func(c *model.Case, _ model.CaseRef) []byte {
		if b == nil {
			return nil
		}
		page := b.Case(c)
		publishes := render.Publishes(c)
		if publishes {
			codes.writeCase(c.ID)
		}
		var doc []byte
		if d, ok := search.CaseDoc(c, render.CasePath(c.ID)); ok {
			if !remember {
				index.Add(d)
			} else if doc = index.AddMemo(d); doc == nil {
				return nil
			}
		}
		if !remember || page == nil {
			return nil
		}
		return caseMemo(page, publishes, doc)
	})
	if setupErr != nil {
		return res, nil, setupErr
	}
	if res.Diags.HasErrors() || b == nil {
		return res, b, errors.New("内容有错误")
	}
	if err := codes.Err(); err != nil {
		return res, b, err
	}
	for _, f := range bundle.Files {
		if err := w.WriteFile(f.Path, f.Data); err != nil {
			return res, b, err
		}
	}
	for _, d := range render.ListSearchDocs(res.Site) {
		index.Add(d)
	}
	// The search index and the list pages are independent: write them at
	// the same time (each is only partly parallel on its own).
	indexErr := make(chan error, 1)
	go func() {
		st, err := index.Write(w.WriteFile)
		if err == nil && cache != nil && cache.deflated != nil {
			cache.deflated.keepState(st, index.State())
		}
		indexErr <- err
	}()
	finishErr := b.Finish()
	if err := <-indexErr; err != nil {
		return res, b, fmt.Errorf("写入搜索索引失败：%w", err)
	}
	return res, b, finishErr
}

// startCPUProfile starts writing a CPU profile to path ("" does nothing)
// and returns the function that stops it; false: it could not, said on
// stderr.
func startCPUProfile(path string, stderr io.Writer) (stop func(), ok bool) {
	if path == "" {
		return func() {}, true
	}
	f, err := os.Create(path)
	if err == nil {
		if err = pprof.StartCPUProfile(f); err != nil {
			f.Close()
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "无法写入 CPU 性能剖析文件 %s：%v\n", path, err)
		return nil, false
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, true
}

func writeHeapProfile(path string, stderr io.Writer) {
	f, err := os.Create(path)
	if err == nil {
		runtime.GC()
		err = pprof.WriteHeapProfile(f)
		f.Close()
	}
	if err != nil {
		fmt.Fprintf(stderr, "无法写入内存剖析文件 %s：%v\n", path, err)
	}
}

// caseMemo is what a build remembers of a case for the next one: its page
// (render.Build.ReplayCase), whether it has QR codes, and its search
// document (search.Builder.AddFromMemo; nil: not findable).
func caseMemo(page []byte, publishes bool, doc []byte) []byte {
	m := make([]byte, 0, len(page)+len(doc)+8)
	m = binary.AppendUvarint(m, uint64(len(page)))
	m = append(m, page...)
	m = wire.AppendBool(m, publishes)
	m = wire.AppendBool(m, doc != nil)
	return append(m, doc...)
}

func readCaseMemo(m []byte) (page []byte, publishes bool, doc []byte, ok bool) {
	r := wire.NewReader(m)
	page = r.Bytes()
	publishes = r.Bool()
	if r.Bool() {
		doc = r.Rest()
	}
	return page, publishes, doc, r.Err() == nil
}
