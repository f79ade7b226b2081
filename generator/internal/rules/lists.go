// Package rules enforces the content contract's rules (E_*) on the model.
// CheckSite resolves and checks the lists; a CaseChecker checks cases one at a
// time (in parallel) against in-memory indexes of the lists, and Finish
// reports the rules that span many cases.
package rules

import (
	"fmt"
	"strings"

	"zfgs/generator/internal/diag"
	"zfgs/generator/internal/model"
)

// CheckSite resolves references between the lists (parents, claims,
// benchmarks, leniency, plans, stats) and checks the list rules. It fills
// the site's lookup maps.
func CheckSite(s *model.Site, diags *diag.List) {
	resolveParents(s, diags)
	indexLists(s, diags)
	for _, a := range s.Agencies {
		resolveClaims(s, a, diags)
	}
	for _, a := range s.Agencies {
		for _, b := range a.Benchmarks {
			checkBenchmark(s, a, b, diags)
		}
		if a.Leniency != nil {
			for _, e := range a.Leniency.Entries {
				if e.ItemCode != "" {
					e.Item = findItem(a, e.ItemCode)
					if e.Item == nil {
						diags.Add(e.Src.Field("item"), diag.ERef, "清单条目 %s 引用的事项 %s 不在本主体的执法事项目录中（自有或认领）", e.ID, e.ItemCode)
					}
				}
			}
		}
		for _, p := range a.Plans {
			checkPlan(s, a, p, diags)
		}
		for _, st := range a.Stats {
			checkStats(s, st, diags)
		}
	}
}

func resolveParents(s *model.Site, diags *diag.List) {
	for _, a := range s.Agencies {
		if a.ParentID == "" {
			continue
		}
		p := s.Agency[a.ParentID]
		if p == nil {
			diags.Add(a.Src.Field("parent"), diag.ERef, "上级主体 %q 不存在：应为 content/agencies/ 下的文件夹名", a.ParentID)
			continue
		}
		a.Parent = p
	}
	// Break cycles so that every later walk up the chain ends.
	for _, a := range s.Agencies {
		seen := map[*model.Agency]bool{a: true}
		for p := a.Parent; p != nil; p = p.Parent {
			if seen[p] {
				diags.Add(a.Src.Field("parent"), diag.ERef, "上级主体链形成循环（%s → … → %s）：请检查 parent", a.ID, p.ID)
				a.Parent = nil
				break
			}
			seen[p] = true
		}
	}
}

// indexLists fills the site-wide maps and reports duplicates with both places.
func indexLists(s *model.Site, diags *diag.List) {
	for _, a := range s.Agencies {
		for _, o := range a.Officers {
			addUnique(s.Officer, o.CertNo, o, "cert_no", "执法证号", diags)
		}
		for _, it := range a.Items {
			addUnique(s.Item, it.Code, it, "code", "事项编码", diags)
		}
		for _, b := range a.Benchmarks {
			addUnique(s.Benchmark, b.ID, b, "id", "裁量基准编号", diags)
		}
		if a.Leniency != nil {
			for _, e := range a.Leniency.Entries {
				addUnique(s.Leniency, e.ID, e, "id", "清单条目编号", diags)
			}
		}
		for _, p := range a.Plans {
			for _, t := range p.Tasks {
				addUnique(s.Task, t.ID, t, "id", "检查任务编号", diags)
			}
		}
	}
}

// addUnique records v under key in m, or reports E_DUP_ID at v's field with
// a note at the first definition. Empty keys are already E_REQUIRED.
func addUnique[T interface{ Source() model.Where }](m map[string]T, key string, v T, field, what string, diags *diag.List) {
	if key == "" {
		return
	}
	if first, dup := m[key]; dup {
		dupErr(diags, v.Source().Field(field), first.Source().Field(field), what, key)
		return
	}
	m[key] = v
}

func dupErr(diags *diag.List, at, first diag.Pos, what, id string) {
	diags.AddNote(at, diag.EDupID, diag.Note{Pos: first, Message: "首次定义于此"}, "%s %s 重复定义（须全站唯一）", what, id)
}

func resolveClaims(s *model.Site, a *model.Agency, diags *diag.List) {
	seen := map[string]bool{}
	for _, it := range a.Items {
		seen[it.Code] = true
	}
	for _, c := range a.Claims {
		if c.Code == "" {
			continue
		}
		it := s.Item[c.Code]
		if it == nil {
			diags.Add(c.Src.Field("code"), diag.ERef, "认领的事项 %s 不存在：请核对上级主体目录中的事项编码", c.Code)
			continue
		}
		if !isAncestor(it.Agency, a) && !parentUnresolved(a) {
			diags.Add(c.Src.Field("code"), diag.ERef, "事项 %s 属于 %s，不是本主体的上级主体，不能认领（只能认领上级主体公布的事项）", c.Code, it.Agency.Name)
			continue
		}
		if seen[c.Code] {
			diags.Add(c.Src.Field("code"), diag.EDupID, "事项 %s 在本主体目录中已存在，不必重复认领", c.Code)
			continue
		}
		seen[c.Code] = true
		c.Item = it
	}
}

// parentUnresolved reports whether the agency's chain is cut by a bad parent
// reference (already reported): the ancestor rules are then not judged, so
// that one typo gives one error, not one per claim.
func parentUnresolved(a *model.Agency) bool {
	for ; a != nil; a = a.Parent {
		if a.ParentID != "" && a.Parent == nil {
			return true
		}
	}
	return false
}

// isAncestor reports whether anc is a strict ancestor of a.
func isAncestor(anc, a *model.Agency) bool {
	for p := a.Parent; p != nil; p = p.Parent {
		if p == anc {
			return true
		}
	}
	return false
}

// findItem returns the agency's own or claimed item with code, or nil.
func findItem(a *model.Agency, code string) *model.Item {
	for _, it := range a.Items {
		if it.Code == code {
			return it
		}
	}
	for _, c := range a.Claims {
		if c.Code == code && c.Item != nil {
			return c.Item
		}
	}
	return nil
}

func checkBenchmark(s *model.Site, a *model.Agency, b *model.Benchmark, diags *diag.List) {
	if b.ItemCode != "" {
		b.Item = findItem(a, b.ItemCode)
		switch {
		case b.Item == nil:
			diags.Add(b.Src.Field("item"), diag.ERef, "基准 %s 引用的事项 %s 不在本主体的执法事项目录中（自有或认领）", b.ID, b.ItemCode)
		case b.Item.Type != model.CategoryPenalty:
			diags.Add(b.Src.Field("item"), diag.ETypeMismatch, "裁量基准只适用于行政处罚事项，事项 %s 的类型是“%s”", b.ItemCode, b.Item.Type)
		}
	}
	if b.RefinesID == "" {
		return
	}
	p := s.Benchmark[b.RefinesID]
	if p == nil {
		diags.Add(b.Src.Field("refines"), diag.ERef, "被细化的上级基准 %s 不存在", b.RefinesID)
		return
	}
	if !isAncestor(p.Agency, a) && !parentUnresolved(a) {
		diags.Add(b.Src.Field("refines"), diag.ERef, "基准 %s 属于 %s，不是本主体的上级主体，不能细化", b.RefinesID, p.Agency.Name)
		return
	}
	b.Refines = p
	for _, t := range b.Tiers {
		pt := p.Tier(t.Level)
		if pt == nil {
			diags.Add(t.Src.Field("level"), diag.ERefineRange, "上级基准 %s 没有“%s”阶次：细化基准的阶次名称须与上级一致（上级阶次：%s）", p.ID, t.Level, tierNames(p))
			continue
		}
		checkInside(diags, t, pt, p.ID, t.FineMin, t.FineMax, pt.FineMin, pt.FineMax, "fine", "元")
		checkInside(diags, t, pt, p.ID, t.MultipleMin, t.MultipleMax, pt.MultipleMin, pt.MultipleMax, "multiple", "倍")
	}
}

func tierNames(b *model.Benchmark) string {
	var n []string
	for _, t := range b.Tiers {
		n = append(n, t.Level)
	}
	return strings.Join(n, "、")
}

// checkInside reports a refining tier's bound that lies outside the parent
// tier's range. A bound the child leaves open where the parent is closed is
// outside too.
func checkInside(diags *diag.List, t, pt *model.Tier, parentID string, lo, hi, plo, phi *float64, field, unit string) {
	if plo == nil && phi == nil {
		return
	}
	rng := fmtRange(plo, phi, unit)
	if plo != nil && (lo == nil && hi != nil && *hi < *plo || lo != nil && *lo < *plo) {
		at := t.Src.Field(field + "_min")
		diags.Add(at, diag.ERefineRange, "“%s”阶次下限低于上级基准 %s 同一阶次（%s）", t.Level, parentID, rng)
	}
	if phi != nil && (hi == nil && lo != nil || hi != nil && *hi > *phi) {
		at := t.Src.Field(field + "_max")
		diags.Add(at, diag.ERefineRange, "“%s”阶次上限超出上级基准 %s 同一阶次（%s）", t.Level, parentID, rng)
	}
}

func fmtRange(lo, hi *float64, unit string) string {
	switch {
	case lo != nil && hi != nil:
		return fmt.Sprintf("%s–%s %s", num(*lo), num(*hi), unit)
	case lo != nil:
		return fmt.Sprintf("%s %s以上", num(*lo), unit)
	case hi != nil:
		return fmt.Sprintf("%s %s以下", num(*hi), unit)
	}
	return "不限"
}

func num(f float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.4f", f), "0"), ".")
}

func checkPlan(s *model.Site, a *model.Agency, p *model.Plan, diags *diag.List) {
	for _, t := range p.Tasks {
		if t.ItemCode != "" {
			t.Item = findItem(a, t.ItemCode)
			switch {
			case t.Item == nil:
				diags.Add(t.Src.Field("item"), diag.ERef, "检查任务 %s 的事项 %s 不在本主体的执法事项目录中（清单之外无检查）", t.ID, t.ItemCode)
			case t.Item.Type != model.CategoryInspect:
				diags.Add(t.Src.Field("item"), diag.ETypeMismatch, "检查任务只能对应行政检查事项，事项 %s 的类型是“%s”", t.ItemCode, t.Item.Type)
			case t.Item.Status == "取消":
				diags.Add(t.Src.Field("item"), diag.ECancelledItem, "检查任务 %s 使用了已取消的事项 %s", t.ID, t.ItemCode)
			}
		}
		for i, j := range t.JointWith {
			if s.Agency[j] == nil {
				diags.Add(t.Src.Field(fmt.Sprintf("joint_with[%d]", i)), diag.ERef, "联合检查单位 %q 不存在：应为 content/agencies/ 下的文件夹名", j)
			}
		}
		if t.WindowFrom != 0 && t.WindowTo != 0 && t.Onsite && s.Config.Rules.QuietDays != nil {
			if insideQuietDays(s.Config.Rules.QuietDays, t.WindowFrom, t.WindowTo) {
				diags.Add(t.Src.Field("window_from"), diag.EQuietDays, "现场检查时段 %s 至 %s 全部落在企业宁静日（每月 %d–%d 日）内", t.WindowFrom, t.WindowTo, s.Config.Rules.QuietDays[0], quietEnd(s.Config.Rules.QuietDays))
			}
		}
	}
}

// insideQuietDays: quiet_days = [from, to] is a range of days of each month.
func insideQuietDays(q []int, from, to model.Date) bool {
	if len(q) == 0 {
		return false
	}
	lo, hi := q[0], quietEnd(q)
	for d := from; d <= to; d++ {
		if d.Day() < lo || d.Day() > hi {
			return false
		}
	}
	return true
}

func quietEnd(q []int) int {
	if len(q) >= 2 {
		return q[1]
	}
	return q[0]
}
