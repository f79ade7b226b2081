package rules

import (
	"crypto/sha256"
	"fmt"
	"sort"
	"sync"

	"zfgs/generator/internal/diag"
	"zfgs/generator/internal/model"
)

// CaseChecker checks cases one at a time against the resolved lists. It is
// safe for concurrent use; the rules that span cases (unique 决定书文号 per
// agency, on-site inspections per party a year, statistics owed) keep only
// compact keys, never the cases themselves, and are reported by Finish in a
// deterministic order whatever order the cases came in.
type CaseChecker struct {
	site  *model.Site
	days  Workdays
	now   model.Date
	diags *diag.List
	ids   map[string]struct{}

	mu        sync.Mutex
	numbers   map[[16]byte]string // hash of agency \x00 number → first file seen (a hash: a million keys)
	dupNums   map[string][]string // same key → every file, when more than one
	onsite    map[string][]onsiteVisit
	caseYears map[string]map[int]bool // agency → years with decisions
}

type onsiteVisit struct {
	decided model.Date
	file    string
	pos     diag.Pos
}

// NewCaseChecker prepares the case rules for a site already checked by CheckSite.
func NewCaseChecker(s *model.Site, now model.Date, diags *diag.List) *CaseChecker {
	ids := make(map[string]struct{}, len(s.Cases))
	for _, r := range s.Cases {
		ids[r.ID] = struct{}{}
	}
	return &CaseChecker{
		site: s, days: NewWorkdays(&s.Calendar), now: now, diags: diags, ids: ids,
		numbers: map[[16]byte]string{}, dupNums: map[string][]string{},
		onsite: map[string][]onsiteVisit{}, caseYears: map[string]map[int]bool{},
	}
}

// Exists reports whether a case file with this id exists (any status).
func (cc *CaseChecker) Exists(id string) bool {
	_, ok := cc.ids[id]
	return ok
}

// Workdays returns the working-day counter of the site.
func (cc *CaseChecker) Workdays() Workdays { return cc.days }

// Check resolves the case's references (agency, item, benchmark, tier,
// leniency) and reports every rule it breaks.
func (cc *CaseChecker) Check(c *model.Case, ref model.CaseRef) { cc.CheckTo(cc.diags, c, ref) }

// CheckTo is Check reporting to d instead of the checker's list: a run
// that remembers each case's findings (casememo) collects them per case.
func (cc *CaseChecker) CheckTo(d *diag.List, c *model.Case, ref model.CaseRef) {
	s := cc.site
	a := s.Agency[ref.Agency]
	c.Agency = a
	if a == nil {
		return
	}
	cc.record(c, a)

	if c.ItemCode != "" {
		c.Item = findItem(a, c.ItemCode)
		switch {
		case c.Item == nil:
			d.Add(c.Src.Field("item"), diag.ERef, "事项 %s 不在 %s 的执法事项目录中（自有或认领）", c.ItemCode, a.Name)
		case c.Category != "" && c.Item.Type != c.Category:
			d.Add(c.Src.Field("category"), diag.ETypeMismatch, "案件类别“%s”与事项 %s 的类型“%s”不一致", c.Category, c.ItemCode, c.Item.Type)
		}
		if c.Item != nil && c.Item.Status == "取消" && (c.Item.Updated == 0 || c.Decided >= c.Item.Updated) {
			d.Add(c.Src.Field("item"), diag.ECancelledItem, "事项 %s 已取消%s，不能再用于 %s 作出的决定", c.ItemCode, since(c.Item.Updated), c.Decided)
		}
	}
	cc.checkDiscretion(d, c, a)
	cc.checkDeadline(d, c)
	cc.checkOfficers(d, c, a)
	cc.checkSuperseded(d, c.ID, c.SupersededBy, c.Src.Field("superseded_by"))
}

// checkSuperseded: the one check of a case that depends on other case
// files (the new decision's must exist), so Replay repeats it.
func (cc *CaseChecker) checkSuperseded(d *diag.List, id, by string, at diag.Pos) {
	if by == "" {
		return
	}
	if _, ok := cc.ids[by]; !ok || by == id {
		d.Add(at, diag.ERef, "superseded_by 指向的案件 %s 不存在（应为变更后新决定的案件编号，即其文件名）", by)
	}
}

func since(d model.Date) string {
	if d == 0 {
		return ""
	}
	return "（" + d.String() + "）"
}

func (cc *CaseChecker) record(c *model.Case, a *model.Agency) {
	cc.recordKeys(a, c.File, KeysOf(c))
}

// CaseKeys is what the rules that span cases (and the superseded_by
// check) need of a case: a run that remembers cases (casememo) stores them
// and hands them to Replay instead of the case.
type CaseKeys struct {
	Number       string
	Decided      model.Date
	Onsite       bool // a planned (not triggered) on-site inspection of CreditCode
	CreditCode   string
	OnsiteAt     diag.Pos
	SupersededBy string
	SupersededAt diag.Pos
}

// KeysOf returns c's keys.
func KeysOf(c *model.Case) CaseKeys {
	k := CaseKeys{Number: c.Number, Decided: c.Decided, SupersededBy: c.SupersededBy}
	if k.SupersededBy != "" {
		k.SupersededAt = c.Src.Field("superseded_by")
	}
	if c.Category == model.CategoryInspect && c.Onsite && !c.Triggered && c.Party.CreditCode != "" && c.Decided != 0 {
		k.Onsite, k.CreditCode, k.OnsiteAt = true, c.Party.CreditCode, c.Src.Field("onsite")
	}
	return k
}

// Replay records a case unchanged since a run that stored its keys, as
// CheckTo would have, and repeats its one check that depends on other
// case files.
func (cc *CaseChecker) Replay(d *diag.List, ref model.CaseRef, k CaseKeys) {
	a := cc.site.Agency[ref.Agency]
	if a == nil {
		return
	}
	cc.recordKeys(a, ref.File, k)
	cc.checkSuperseded(d, ref.ID, k.SupersededBy, k.SupersededAt)
}

func (cc *CaseChecker) recordKeys(a *model.Agency, file string, k CaseKeys) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if k.Number != "" {
		key := a.ID + "\x00" + k.Number
		// 128 bits of SHA-256: a false duplicate among a million numbers
		// has a probability of about 10⁻²⁷.
		sum := sha256.Sum256([]byte(key))
		h := [16]byte(sum[:16])
		if first, dup := cc.numbers[h]; dup {
			if len(cc.dupNums[key]) == 0 {
				cc.dupNums[key] = []string{first}
			}
			cc.dupNums[key] = append(cc.dupNums[key], file)
		} else {
			cc.numbers[h] = file
		}
	}
	if k.Decided != 0 {
		ys := cc.caseYears[a.ID]
		if ys == nil {
			ys = map[int]bool{}
			cc.caseYears[a.ID] = ys
		}
		ys[k.Decided.Year()] = true
	}
	if k.Onsite {
		key := fmt.Sprintf("%s\x00%s\x00%d", a.ID, k.CreditCode, k.Decided.Year())
		cc.onsite[key] = append(cc.onsite[key], onsiteVisit{k.Decided, file, k.OnsiteAt})
	}
}

func (cc *CaseChecker) checkDiscretion(d *diag.List, c *model.Case, a *model.Agency) {
	disc := &c.Discretion
	if disc.LeniencyID != "" {
		e := cc.site.Leniency[disc.LeniencyID]
		switch {
		case e == nil:
			d.Add(c.Src.Field("discretion.leniency"), diag.ERef, "适用的清单条目 %s 不存在", disc.LeniencyID)
		case e.Agency != a && !isAncestor(e.Agency, a):
			d.Add(c.Src.Field("discretion.leniency"), diag.ERef, "清单条目 %s 属于 %s，不是本主体或其上级主体的清单", disc.LeniencyID, e.Agency.Name)
		default:
			disc.Leniency = e
		}
	}
	noPenalty := disc.Leniency != nil && (disc.Leniency.List == "不予处罚" || disc.Leniency.List == "可以不予处罚")
	if disc.BenchmarkID != "" {
		b := cc.site.Benchmark[disc.BenchmarkID]
		switch {
		case b == nil:
			d.Add(c.Src.Field("discretion.benchmark"), diag.ERef, "适用的裁量基准 %s 不存在", disc.BenchmarkID)
		case b.Agency != a && !isAncestor(b.Agency, a):
			d.Add(c.Src.Field("discretion.benchmark"), diag.ERef, "裁量基准 %s 属于 %s，不是本主体或其上级主体的基准", disc.BenchmarkID, b.Agency.Name)
		case c.ItemCode != "" && b.ItemCode != c.ItemCode:
			d.Add(c.Src.Field("discretion.benchmark"), diag.ETypeMismatch, "裁量基准 %s 适用于事项 %s，而本案事项是 %s", b.ID, b.ItemCode, c.ItemCode)
		default:
			disc.Benchmark = b
		}
		if disc.TierLevel == "" {
			d.Add(c.Src.Field("discretion"), diag.ERequired, "适用裁量基准时须填写 discretion.tier（裁量阶次）")
		} else if disc.Benchmark != nil {
			disc.Tier = disc.Benchmark.Tier(disc.TierLevel)
			if disc.Tier == nil {
				d.Add(c.Src.Field("discretion.tier"), diag.ERef, "裁量基准 %s 没有“%s”阶次；可用阶次：%s", b.ID, disc.TierLevel, tierNames(disc.Benchmark))
			}
		}
	} else if c.Category == model.CategoryPenalty && !noPenalty && c.Status != model.StatusRevoked {
		d.Add(c.Src.Field("discretion"), diag.ERequired, "行政处罚案件须填写 [discretion] benchmark 和 tier（适用的裁量基准及阶次），适用不予处罚清单的除外")
	}

	fine := 0.0
	if c.Decision.Fine != nil {
		fine = *c.Decision.Fine
	}
	if noPenalty {
		for i, k := range c.Decision.Kinds {
			if k != "不予处罚" && k != "没收违法所得" && k != "没收非法财物" {
				d.Add(c.Src.Field(fmt.Sprintf("decision.kinds[%d]", i)), diag.ELeniency, "适用了“%s”清单条目 %s，却作出“%s”处罚", disc.Leniency.List, disc.Leniency.ID, k)
			}
		}
		if fine > 0 {
			d.Add(c.Src.Field("decision.fine"), diag.ELeniency, "适用了“%s”清单条目 %s，却处以罚款 %s 元", disc.Leniency.List, disc.Leniency.ID, num(fine))
		}
	}
	if disc.Leniency != nil && disc.Leniency.List == "不予强制" && c.Category == model.CategoryCoercion {
		for i, k := range c.Decision.Kinds {
			if k != "不予强制" && k != "不予实施行政强制措施" {
				d.Add(c.Src.Field(fmt.Sprintf("decision.kinds[%d]", i)), diag.ELeniency, "适用了不予实施行政强制措施清单条目 %s，却采取了“%s”", disc.Leniency.ID, k)
			}
		}
	}
	if disc.Tier != nil && !noPenalty {
		cc.checkFine(d, c, disc.Tier, fine)
	}
}

// checkFine compares the fine with the applied tier: fine_min..fine_max, or
// multiple_min..multiple_max times the case's base amount. A 减轻处罚 entry
// lifts the lower bound (减轻 means below the tier), not the upper.
func (cc *CaseChecker) checkFine(d *diag.List, c *model.Case, t *model.Tier, fine float64) {
	reduced := c.Discretion.Leniency != nil && c.Discretion.Leniency.List == "减轻处罚"
	lo, hi := t.FineMin, t.FineMax
	what := fmt.Sprintf("%s「%s」档", c.Discretion.BenchmarkID, t.Level)
	if t.MultipleMin != nil || t.MultipleMax != nil {
		base := c.Decision.BaseAmount
		if base == nil {
			if lo == nil && hi == nil && !c.Src.Written("decision.base_amount") {
				d.Add(c.Src.Field("decision"), diag.ERequired, "所适用阶次按%s的倍数罚款，须填写 decision.base_amount（%s金额，元）", t.MultipleOf, t.MultipleOf)
				return
			}
		} else {
			lo, hi = mul(t.MultipleMin, *base), mul(t.MultipleMax, *base)
			what += fmt.Sprintf("（%s %s 元的 %s 倍）", t.MultipleOf, num(*base), multRange(t))
		}
	}
	if lo == nil && hi == nil {
		return
	}
	if c.Decision.Fine == nil {
		if contains(c.Decision.Kinds, "罚款") && !c.Src.Written("decision.fine") {
			d.Add(c.Src.Field("decision"), diag.ERequired, "处罚种类含罚款，须填写 decision.fine（元）")
		}
		return
	}
	const eps = 0.005
	if (!reduced && lo != nil && fine < *lo-eps) || (hi != nil && fine > *hi+eps) {
		hint := ""
		if lo != nil && fine < *lo-eps {
			hint = "；如适用减轻处罚，请在 discretion.leniency 填写减轻处罚清单条目"
		}
		d.Add(c.Src.Field("decision.fine"), diag.EFineRange, "罚款 %s 元超出裁量基准 %s（%s）%s", num(fine), what, fmtRange(lo, hi, "元"), hint)
	}
}

func mul(m *float64, base float64) *float64 {
	if m == nil {
		return nil
	}
	v := *m * base
	return &v
}

func multRange(t *model.Tier) string {
	switch {
	case t.MultipleMin != nil && t.MultipleMax != nil:
		return num(*t.MultipleMin) + "–" + num(*t.MultipleMax)
	case t.MultipleMin != nil:
		return num(*t.MultipleMin) + " 以上"
	case t.MultipleMax != nil:
		return num(*t.MultipleMax) + " 以下"
	}
	return ""
}

// PublishDays is the number of working days allowed from decision to
// publication for a category.
func PublishDays(cfg *model.Config, category string) int {
	if category == model.CategoryPenalty || category == model.CategoryPermit {
		return cfg.Rules.PublishDaysPermitPenalty
	}
	return cfg.Rules.PublishDaysOther
}

// Deadline is the last day a case may be published on time.
func (cc *CaseChecker) Deadline(c *model.Case) model.Date {
	due, _ := cc.days.Deadline(c.Decided, PublishDays(&cc.site.Config, c.Category))
	return due
}

func (cc *CaseChecker) checkDeadline(diags *diag.List, c *model.Case) {
	if c.Decided == 0 || c.Published == 0 {
		return
	}
	if c.Published < c.Decided {
		diags.Add(c.Src.Field("published"), diag.ELate, "公示日期 %s 早于决定日期 %s：请核对日期", c.Published, c.Decided)
		return
	}
	n := PublishDays(&cc.site.Config, c.Category)
	due, uncovered := cc.days.Deadline(c.Decided, n)
	if uncovered != 0 {
		diags.Add(c.Src.Field("decided"), diag.ECalendar, "工作日历（content/calendar.toml）未包含 %d 年的放假安排，公示期限暂按周一至周五计算", uncovered)
	}
	if c.Published > due {
		late := 0
		for d := due + 1; d <= c.Published; d++ {
			if cc.days.IsWorkday(d) {
				late++
			}
		}
		diags.Add(c.Src.Field("published"), diag.ELate, "%s决定应自作出之日起 %d 个工作日内公示（%s 决定，最迟 %s），实际 %s 公示，逾期 %d 个工作日", c.Category, n, c.Decided, due, c.Published, late)
	}
}

func (cc *CaseChecker) checkOfficers(d *diag.List, c *model.Case, a *model.Agency) {
	if c.Officers == nil {
		return // optional field: absent means not declared (older content)
	}
	distinct := map[string]bool{}
	for i, no := range c.Officers {
		at := c.Src.Field(fmt.Sprintf("officers[%d]", i))
		o := cc.site.Officer[no]
		switch {
		case o == nil:
			d.Add(at, diag.EOfficer, "执法证号 %s 不在任何执法主体的执法人员名单中", no)
			continue
		case o.Agency != a:
			d.Add(at, diag.EOfficer, "执法人员 %s（%s）属于 %s，不是本案执法主体 %s 的执法人员", o.Name, no, o.Agency.Name, a.Name)
		case c.Decided != 0 && (o.ValidFrom != 0 && c.Decided < o.ValidFrom || o.ValidUntil != 0 && c.Decided > o.ValidUntil):
			d.Add(at, diag.EOfficer, "执法人员 %s（%s）的执法证有效期为 %s 至 %s，决定日期 %s 不在有效期内", o.Name, no, orDash(o.ValidFrom), orDash(o.ValidUntil), c.Decided)
		}
		distinct[no] = true
	}
	if len(distinct) < 2 {
		d.Add(c.Src.Field("officers"), diag.EOfficer, "执法人员不得少于两人：本案只列出 %d 名（officers 填写至少两个执法证号）", len(distinct))
	}
}

func orDash(d model.Date) string {
	if d == 0 {
		return "—"
	}
	return d.String()
}

// Finish reports the rules that span cases. Call it once after every case
// has been checked.
func (cc *CaseChecker) Finish() {
	d := cc.diags
	keys := make([]string, 0, len(cc.dupNums))
	for k := range cc.dupNums {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		files := cc.dupNums[k]
		sort.Strings(files)
		number := k[len(cc.site.Agency[agencyOf(k)].ID)+1:]
		for _, f := range files[1:] {
			d.AddNote(diag.Pos{File: f, Line: 1, Col: 1}, diag.EDupID, diag.Note{Pos: diag.Pos{File: files[0], Line: 1, Col: 1}, Message: "同一文号的另一案件"},
				"决定书文号“%s”在本主体内重复", number)
		}
	}
	if max := cc.site.Config.Rules.MaxOnsitePerYear; max > 0 {
		keys = keys[:0]
		for k, v := range cc.onsite {
			if len(v) > max {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := cc.onsite[k]
			sort.Slice(v, func(i, j int) bool {
				if v[i].decided != v[j].decided {
					return v[i].decided < v[j].decided
				}
				return v[i].file < v[j].file
			})
			for i := max; i < len(v); i++ {
				d.AddNote(v[i].pos, diag.EOnsiteFreq, diag.Note{Pos: v[0].pos, Message: "同年第一次现场检查"},
					"同一主体本年度第 %d 次对该企业现场检查，超过每年 %d 次的上限（触发式检查不计）", i+1, max)
			}
		}
	}
	cc.checkStatsOwed()
}

func agencyOf(key string) string {
	for i := 0; i < len(key); i++ {
		if key[i] == 0 {
			return key[:i]
		}
	}
	return key
}

// checkStatsOwed reports E_STATS_MISSING: after stats_due of year Y+1 an
// agency with decisions in Y has no stats/Y.toml.
func (cc *CaseChecker) checkStatsOwed() {
	for _, a := range cc.site.Agencies {
		have := map[int]bool{}
		for _, st := range a.Stats {
			have[st.Year] = true
		}
		years := make([]int, 0, len(cc.caseYears[a.ID]))
		for y := range cc.caseYears[a.ID] {
			years = append(years, y)
		}
		sort.Ints(years)
		for _, y := range years {
			due := StatsDue(&cc.site.Config, y)
			if !have[y] && cc.now <= due && cc.now.Year() == y+1 {
				cc.diags.Add(a.Src.Field("name"), diag.EStatsDue,
					"提醒：%s %d 年有行政执法决定，%d 年度统计数据须于 %s 前公开（%s）：请添加 %s/stats/%d.toml", a.Name, y, y, due, daysLeft(due-cc.now), a.Dir, y)
			}
			if !have[y] && cc.now > due {
				cc.diags.Add(a.Src.Field("name"), diag.EStatsMissing,
					"%s %d 年有行政执法决定，但截至 %s 仍未公开 %d 年度统计数据（截止日 %s）：请添加 %s/stats/%d.toml", a.Name, y, cc.now, y, due, a.Dir, y)
			}
		}
	}
}

func daysLeft(n model.Date) string {
	if n == 0 {
		return "今天截止"
	}
	return fmt.Sprintf("还剩 %d 天", n)
}
