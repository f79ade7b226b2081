// Package site runs the front of the pipeline: load the lists, check them,
// then stream every case through the case rules (in parallel, one case in
// memory per worker) and hand each checked case to the caller, e.g. the
// renderer. check and build share it.
package site

import (
	"io/fs"
	"runtime"
	"sync"

	"zfgs/generator/internal/casememo"
	"zfgs/generator/internal/content"
	"zfgs/generator/internal/diag"
	"zfgs/generator/internal/model"
	"zfgs/generator/internal/rules"
	"zfgs/generator/internal/scope"
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
	// Memo, when set, remembers each case's results (its findings, its
	// keys, and what the CaseFunc returned) so that a case whose file has
	// not changed is not read, parsed or checked again: Replay gets what
	// the CaseFunc returned for it instead. The caller commits the memo
	// once the run's results are published.
	Memo *casememo.Memo
	// Scope is what each agency's cases are made from besides their own
	// files (package scope). Required with Memo: a remembered case is
	// taken over only while its agency's key is the one it was stored
	// with, and the Result's Scope gives the keys.
	Scope *scope.Inputs
	// Replay takes over an unchanged case from what the CaseFunc returned
	// for it; false: it cannot (say its page is gone from the output), and
	// the case is read and handed to the CaseFunc after all. memo is only
	// valid during the call: it keeps nothing of it uncopied.
	Replay func(ref model.CaseRef, memo []byte) bool
}

// Result of a run.
type Result struct {
	Site    *model.Site
	Diags   *diag.List
	Checker *rules.CaseChecker
	Lock    []urllock.Entry // the permanence record as read
	// Scope are the agencies' keys (with Options.Scope; else nil).
	Scope *scope.Keys
}

// CaseFunc receives each checked case and returns what Options.Replay
// needs to take it over in a later run without reading it (nil: the case
// is not remembered). It is called from several goroutines
// at once; the case is dropped after it returns. Once the run has an error,
// the remaining cases are still read and checked (so every diagnostic is
// reported) but no longer handed on: whatever they would build is
// discarded, and rendering a defective case can be slow (a body nested too
// deeply for goldmark is E_LIMIT precisely because rendering it would take
// hours).
type CaseFunc func(c *model.Case, ref model.CaseRef) (memo []byte)

// Run loads and checks the site at fsys. each may be nil (check only).
func Run(fsys fs.FS, opt Options, each CaseFunc) *Result {
	diags := diag.NewList(opt.Strict)
	s := content.LoadSite(fsys, diags)
	rules.CheckSite(s, diags)
	cc := rules.NewCaseChecker(s, opt.Now, diags)
	lock := urllock.Read(fsys, diags)
	urllock.Check(lock, cc.Exists, diags)
	res := &Result{Site: s, Diags: diags, Checker: cc, Lock: lock}
	if opt.Scope != nil {
		res.Scope = opt.Scope.Keys(s)
	}
	// With errors in the lists the run fails anyway, and a duplicate id
	// can make a reference resolve outside the case's scope: every case
	// is read (package scope).
	remember := opt.Memo != nil && res.Scope != nil && !diags.HasErrors()
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
			var buf []byte // the memo payload of this worker's current case
			for i := range next {
				ref := s.Cases[i]
				if remember {
					runRemembered(fsys, opt, res, ref, each, &buf)
					continue
				}
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

// runRemembered is a case's turn with a memo: replayed when its file is
// unchanged, else read, checked and handed on like any other, and stored
// when it has no error.
func runRemembered(fsys fs.FS, opt Options, res *Result, ref model.CaseRef, each CaseFunc, buf *[]byte) {
	memo, s, diags, cc := opt.Memo, res.Site, res.Diags, res.Checker
	scope := res.Scope.Of(ref.Agency)
	st := memo.Stat(ref.File)
	if hit, ok := memo.Lookup(ref.File, st, buf); ok {
		if p, ok := decodePayload(hit.Payload); ok && p.scope == scope && (p.ends != 0 && opt.Now >= p.ends) == p.expired &&
			(each == nil || diags.HasErrors() || (len(p.build) > 0 && opt.Replay != nil && opt.Replay(ref, p.build))) {
			diags.Append(p.diags...)
			cc.Replay(diags, ref, p.keys)
			memo.Keep(hit)
			return
		}
	}
	local := diag.NewList(false)
	c := content.ReadCase(fsys, ref, local)
	p := casePayload{scope: scope}
	if c != nil {
		cc.CheckTo(local, c, ref)
		if c.Status == model.StatusActive || c.Status == model.StatusChanged {
			p.ends = rules.PublicationEnds(&s.Config, c)
		}
		rules.ApplyExpiry(&s.Config, c, opt.Now)
		p.expired = p.ends != 0 && opt.Now >= p.ends
	}
	clean := !local.HasErrors()
	p.diags = local.Take()
	diags.Append(p.diags...)
	if c == nil || diags.HasErrors() {
		return
	}
	if each != nil {
		if p.build = each(c, ref); p.build == nil {
			return
		}
	}
	if clean {
		p.keys = rules.KeysOf(c)
		memo.Store(ref.File, st, c.Digest, p.append(nil))
	}
}
