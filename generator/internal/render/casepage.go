package render

import (
	"crypto/sha256"
	"html/template"
	"strconv"
	"strings"

	"zfgs/generator/internal/model"
	"zfgs/generator/internal/rules"
	"zfgs/generator/internal/wire"
)

// caseView is the case page (/c/<id>/, the QR target).
type caseView struct {
	ID, Number, Title, Category, Status string
	Agency                              *agencyRef
	Item                                *itemRef
	ItemCode                            string
	SupersededBy                        string // 已变更: the new decision's id
	Party                               partyView
	Kinds                               string
	Fine, Confiscated                   *float64
	DecisionText                        string
	Discretion                          *discretionView
	Officers                            []officerRef
	Steps                               []model.Step
	Decided, Published, Deadline        model.Date
	OnTime                              bool
	PublishDays                         int
	Body                                template.HTML
	QR                                  QRImages
	PrintHref                           string // the QR label (print view)
	URL                                 string // what the QR code encodes
	YearHref                            string
}

type itemRef struct{ Code, Name, Href string }

// agencyRef is what the case pages and the decision lists show of an
// agency: who it is and where to complain, never its lists. Their cache
// keys cover the agency's lists but not its plans and statistics (package
// scope), so a layout must not be able to reach those from here.
type agencyRef struct {
	ID, Name, ShortName, Level, Region, Address, Phone string
	Supervision                                        model.Supervision
}

// agencyRefs makes each agency's view once.
func agencyRefs(s *model.Site) map[*model.Agency]*agencyRef {
	m := make(map[*model.Agency]*agencyRef, len(s.Agencies))
	for _, a := range s.Agencies {
		m[a] = &agencyRef{ID: a.ID, Name: a.Name, ShortName: a.ShortName, Level: a.Level, Region: a.Region,
			Address: a.Address, Phone: a.Phone, Supervision: a.Supervision}
	}
	return m
}

type partyView struct {
	Kind, Name, CreditCode string
	Natural                bool
}

type officerRef struct{ Name, CertNo, Href string }

// discretionView is 裁量基准适用: which benchmark, tier and leniency entry the
// decision applied, with the conditions and standard as published.
type discretionView struct {
	BenchmarkID, BenchmarkHref, Violation, AgencyName string
	Tier                                              string
	TierConditions, TierPenalty                       []string
	Leniency                                          *leniencyRef
}

type leniencyRef struct {
	ID, List, ListTitle, ListHref, Violation, Conditions, Handling string
}

// tombstoneView is all a revoked or withdrawn case still shows.
type tombstoneView struct {
	ID, Number, Status, Reason string
	Agency                     *agencyRef
}

// Case renders one case page and records its summary. It is called from
// several goroutines at once. A minor's case produces nothing at all.
// With Options.Cache, a page whose inputs are unchanged since the previous
// build is taken over from it instead, and Case returns what ReplayCase
// needs to take the case over in a later build without the case (nil
// without Options.Cache, or when the page could not be written).
func (b *Build) Case(c *model.Case) (memo []byte) {
	if !Publishes(c) {
		return []byte{0}
	}
	r := b.r
	m := maskCase(c)
	// The publish_months* rules have already turned an expired case into
	// 停止公示 (rules.ApplyExpiry, applied as each case is streamed).
	status, reason := c.Status, m.StatusReason
	sum := r.summarize(c, m, status)
	prints := !sum.Tombstoned && r.opt.QR != nil && r.opt.QR(c.ID).SVG != ""

	var w Writer = b.w
	var gw GroupWriter
	var key [32]byte
	if cache := r.opt.Cache; cache != nil {
		key = r.caseKey(c)
		if cache.Reuse(casePath(c.ID), key) {
			return b.done(sum, prints, key)
		}
		gw = cache.Group(casePath(c.ID), key)
		w = gw
	}
	p := &page{Path: casePath(c.ID), Nav: "cases"}
	p.Crumbs = []link{{"首页", "/"}, {c.Agency.Name, agencyPath(c.Agency.ID)}}
	layout := "case.html"
	if sum.Tombstoned {
		p.Title = c.Number
		p.D = &tombstoneView{ID: c.ID, Number: c.Number, Status: status, Reason: reason, Agency: r.agencies[c.Agency]}
		layout = "tombstone.html"
	} else {
		p.Title = sum.Title
		if sum.Year != 0 {
			p.Crumbs = append(p.Crumbs, link{strconv.Itoa(sum.Year) + "年执法决定", casesPath(c.Agency.ID, sum.Year, 1)})
		}
		p.D = r.caseView(c, m, sum)
	}
	html, err := r.exec(layout, p)
	if err == nil {
		err = w.WriteFile(pageFile(p.Path), html)
	}
	if err == nil && prints {
		err = b.casePrint(w, c, sum)
	}
	if err != nil {
		b.fail(err)
		return nil
	}
	if gw != nil {
		gw.Done()
	}
	return b.done(sum, false, key)
}

// done records a case page written (or taken over, with its print view)
// and returns the case's memo (see Case).
func (b *Build) done(sum Summary, printed bool, key [32]byte) []byte {
	ref, enc := encodeSummary(&sum)
	b.addSummary(ref, enc, printed)
	if b.r.opt.Cache == nil {
		return nil // nothing to take over next time without the cache
	}
	memo := make([]byte, 0, 1+len(key)+16+len(enc))
	memo = append(memo, 1)
	memo = append(memo, key[:]...)
	memo = ref.append(memo)
	return append(memo, enc...)
}

// addSummary records an encoded summary; printed: its print view was
// taken over (one more page).
func (b *Build) addSummary(ref sumRef, enc []byte, printed bool) {
	b.mu.Lock()
	b.summaries.addEncoded(ref, enc)
	if printed {
		b.unlisted++
	}
	b.mu.Unlock()
}

// ReplayCase takes over a case unchanged since the build whose Case
// returned memo: its page and print view stay as they are in the output
// and its summary joins the lists. False when it cannot (the memo is
// damaged, or the page is no longer in the output): nothing is recorded
// then, and the caller renders the case.
func (b *Build) ReplayCase(memo []byte) bool {
	if len(memo) == 1 && memo[0] == 0 {
		return true // a minor's case: nothing to publish
	}
	cache := b.r.opt.Cache
	if cache == nil || len(memo) == 0 || memo[0] != 1 {
		return false
	}
	r := wire.NewReader(memo[1:])
	k := r.Fixed(32)
	ref := readSumRef(r)
	enc := r.Rest()
	if r.Err() != nil || len(k) != 32 || !validSummary(enc) {
		return false
	}
	key := [32]byte(k)
	st := summaryStore{arena: enc, refs: []sumRef{ref}}
	st.refs[0].off = 0
	id := string(st.id(0))
	if !cache.Reuse(casePath(id), key) {
		return false
	}
	b.addSummary(ref, enc, !ref.tombstoned && b.r.opt.QR != nil && b.r.opt.QR(id).SVG != "")
	return true
}

// caseKey sums up what a case page is made from: its agency's scope key,
// the case file's bytes, and what the build date did to it (the status after
// the publication period rules). Nothing else about the date shows on a
// case page.
func (r *Renderer) caseKey(c *model.Case) [32]byte {
	h := sha256.New()
	scope := r.opt.Scope.Of(c.Agency.ID)
	h.Write(scope[:])
	h.Write(c.Digest[:])
	h.Write([]byte(c.Status + "\x00" + c.StatusReason))
	var k [32]byte
	h.Sum(k[:0])
	return k
}

func (r *Renderer) caseView(c *model.Case, m masked, s Summary) *caseView {
	v := &caseView{
		ID: c.ID, Number: c.Number, Title: s.Title, Category: c.Category, Status: s.Status,
		Agency: r.agencies[c.Agency], ItemCode: c.ItemCode,
		Party:        partyView{Kind: c.Party.Kind, Name: m.Party, CreditCode: s.CreditCode, Natural: c.Party.Kind == model.PartyNatural},
		Kinds:        strings.Join(c.Decision.Kinds, "、"),
		Fine:         c.Decision.Fine,
		Confiscated:  c.Decision.Confiscated,
		DecisionText: m.DecisionText,
		Steps:        m.Steps,
		Decided:      c.Decided, Published: c.Published, Deadline: s.Deadline, OnTime: s.OnTime,
		PublishDays: rules.PublishDays(&r.site.Config, c.Category),
		Body:        r.markdown.HTML(m.Body, 3),
	}
	if c.Status == model.StatusChanged {
		v.SupersededBy = c.SupersededBy
	}
	if c.Item != nil && c.Item.Agency != nil {
		v.Item = &itemRef{Code: c.Item.Code, Name: c.Item.Name, Href: itemHref(c.Item.Agency.ID, c.Item.Code)}
	}
	if s.Year != 0 {
		v.YearHref = casesPath(c.Agency.ID, s.Year, 1)
	}
	for _, no := range c.Officers {
		o := r.site.Officer[no]
		ref := officerRef{CertNo: no}
		if o != nil {
			ref.Name = o.Name
			if validSegment(no) {
				ref.Href = officerPath(no)
			}
		}
		v.Officers = append(v.Officers, ref)
	}
	v.Discretion = discretion(&c.Discretion)
	if r.opt.QR != nil {
		if v.QR = r.opt.QR(c.ID); v.QR.SVG != "" {
			v.PrintHref = casePrintPath(c.ID)
			v.URL = r.info.BaseURL + casePath(c.ID)
		}
	}
	return v
}

func discretion(d *model.Discretion) *discretionView {
	if d.Benchmark == nil && d.Leniency == nil {
		return nil
	}
	v := &discretionView{}
	if b := d.Benchmark; b != nil {
		v.BenchmarkID, v.Violation = b.ID, b.Violation
		if b.Agency != nil {
			v.BenchmarkHref = benchmarkHref(b.Agency.ID, b.ID)
			v.AgencyName = b.Agency.Name
		}
	}
	if t := d.Tier; t != nil {
		v.Tier, v.TierConditions, v.TierPenalty = t.Level, t.Conditions, t.Penalty
	}
	if e := d.Leniency; e != nil {
		v.Leniency = leniencyEntryRef(e)
	}
	return v
}

func leniencyEntryRef(e *model.LeniencyEntry) *leniencyRef {
	ref := &leniencyRef{
		ID: e.ID, List: e.List, ListTitle: leniencyTitle(e.List),
		Violation: e.Violation, Conditions: effectiveConditions(e), Handling: e.Handling,
	}
	if e.Agency != nil {
		ref.ListHref = leniencyPath(e.Agency.ID, leniencySlug(e.List)) + "#" + e.ID
	}
	return ref
}

// effectiveConditions is an entry's own 适用条件, or the list-level
// conditions its agency published for the whole list.
func effectiveConditions(e *model.LeniencyEntry) string {
	if strings.TrimSpace(e.Conditions) != "" {
		return e.Conditions
	}
	if e.Agency != nil && e.Agency.Leniency != nil {
		return e.Agency.Leniency.Conditions[e.List]
	}
	return ""
}
