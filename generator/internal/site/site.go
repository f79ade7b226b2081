// Package site runs the front of the pipeline: load the lists, check them,
// then stream every case through the case rules (in parallel, one case in
// memory per worker) and hand each checked case to the caller, e.g. the
// renderer. check and build share it.
package site

import (
	"io/fs"
	"runtime"
	"sync"

	"zfgs/generator/internal/content"
	"zfgs/generator/internal/diag"
	"zfgs/generator/internal/model"
	"zfgs/generator/internal/rules"
	"zfgs/generator/internal/urllock"
)

// Options of a run.
type Options struct {
	Now     model.Date // the date the date rules are judged at
	Strict  bool       // warnings become errors
	Workers int        // parallel case workers; 0 = GOMAXPROCS
	// Ready, when set, is called once the lists are loaded and checked and
	// before the first case is streamed, with the Result so far (Site,
	// Diags, Checker, Lock): build creates its renderer here, because
	// rendering a case needs the resolved site.
	Ready func(*Result)
	// Streamed, when set, is called once every case has been streamed
	// (build --memprofile: the peak of what cases leave behind).
	Streamed func()
}

// Result of a run.
type Result struct {
	Site    *model.Site
	Diags   *diag.List
	Checker *rules.CaseChecker
	Lock    []urllock.Entry // the permanence record as read
}

// CaseFunc receives each checked case. It is called from several goroutines
// at once; the case is dropped after it returns. Once the run has an error,
// the remaining cases are still read and checked (so every diagnostic is
// reported) but no longer handed on: whatever they would build is
// discarded, and rendering a defective case can be slow (a body nested too
// deeply for goldmark is E_LIMIT precisely because rendering it would take
// hours).
type CaseFunc func(c *model.Case, ref model.CaseRef)

// Run loads and checks the site at fsys. each may be nil (check only).
func Run(fsys fs.FS, opt Options, each CaseFunc) *Result {
	diags := diag.NewList(opt.Strict)
	s := content.LoadSite(fsys, diags)
	rules.CheckSite(s, diags)
	cc := rules.NewCaseChecker(s, opt.Now, diags)
	lock := urllock.Read(fsys, diags)
	urllock.Check(lock, cc.Exists, diags)
	res := &Result{Site: s, Diags: diags, Checker: cc, Lock: lock}
	if opt.Ready != nil {
		opt.Ready(res)
	}

	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	next := make(chan int, 256)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				ref := s.Cases[i]
				c := content.ReadCase(fsys, ref, diags)
				if c == nil {
					continue
				}
				cc.Check(c, ref)
				rules.ApplyExpiry(&s.Config, c, opt.Now)
				if each != nil && !diags.HasErrors() {
					each(c, ref)
				}
			}
		}()
	}
	for i := range s.Cases {
		next <- i
	}
	close(next)
	wg.Wait()
	if opt.Streamed != nil {
		opt.Streamed()
	}
	cc.Finish()
	return res
}
