package content

import (
	"fmt"
	"strings"

	"zfgs/generator/internal/diag"
	"zfgs/generator/internal/model"
)

func readAgency(t table, a *model.Agency) {
	t.known("name", "short_name", "level", "parent", "region", "address", "phone", "duties", "supervision", "officer")
	a.Name = t.str("name", true)
	a.ShortName = t.str("short_name", false)
	a.Level = t.str("level", true)
	t.enum("level", a.Level, agencyLevels)
	a.ParentID = t.str("parent", false)
	a.Region = t.str("region", false)
	a.Address = t.str("address", false)
	a.Phone = t.str("phone", false)
	a.Duties = t.markdown("duties")
	a.Src = t.where()
	s := t.sub("supervision")
	s.known("complaint_phone", "complaint_url", "reconsideration", "court")
	a.Supervision = model.Supervision{
		ComplaintPhone:  s.str("complaint_phone", false),
		ComplaintURL:    s.str("complaint_url", false),
		Reconsideration: s.str("reconsideration", false),
		Court:           s.str("court", false),
	}
	for _, o := range t.list("officer") {
		o.known("name", "cert_no", "field", "status", "valid_from", "valid_until")
		off := &model.Officer{
			Name:       o.str("name", true),
			CertNo:     o.str("cert_no", true),
			Field:      o.str("field", false),
			Status:     o.str("status", false),
			ValidFrom:  o.date("valid_from", false),
			ValidUntil: o.date("valid_until", false),
			Agency:     a,
			Src:        o.where(),
		}
		// The number is a URL segment (/officers/<cert_no>/, the badge's QR
		// code): characters that end or escape a path segment are refused.
		if off.CertNo != "" && (!validItemCode(off.CertNo) || strings.ContainsAny(off.CertNo, `?#%\`)) {
			o.f.diags.Add(o.pos("cert_no"), diag.EID, "执法证号 %q 只能由英文字母、数字和连字符等符号组成，不能含空格、中文或 / ? # %% \\", off.CertNo)
		}
		if off.Status == "" {
			off.Status = "在岗"
		}
		o.enum("status", off.Status, officerStatus)
		a.Officers = append(a.Officers, off)
	}
}

func readCatalogue(t table, a *model.Agency) {
	t.known("item", "claim")
	for _, it := range t.list("item") {
		it.known("code", "name", "type", "basis", "level", "department", "status", "updated")
		item := &model.Item{
			Code:       it.str("code", true),
			Name:       it.str("name", true),
			Type:       it.str("type", true),
			Basis:      it.str("basis", true),
			Level:      it.strs("level", false),
			Department: it.str("department", false),
			Status:     it.str("status", false),
			Updated:    it.date("updated", false),
			Agency:     a,
			Src:        it.where(),
		}
		if item.Code != "" && !validItemCode(item.Code) {
			it.f.diags.Add(it.pos("code"), diag.EID, "事项编码 %q 不能含空格、“/”或中文字符", item.Code)
		}
		it.enum("type", item.Type, itemTypes)
		if item.Status == "" {
			item.Status = "有效"
		}
		it.enum("status", item.Status, itemStatus)
		for i, l := range item.Level {
			if !contains(agencyLevels, l) {
				it.f.diags.Add(it.f.at(fmt.Sprintf("%s.level[%d]", it.path, i)), diag.EEnum, "行使层级 %q 不是允许的取值；应为：省、市、县、镇", l)
			}
		}
		a.Items = append(a.Items, item)
	}
	for _, c := range t.list("claim") {
		c.known("code")
		a.Claims = append(a.Claims, &model.Claim{Code: c.str("code", true), Agency: a, Src: c.where()})
	}
}

func readBenchmarks(t table, a *model.Agency) {
	t.known("benchmark")
	for _, bt := range t.list("benchmark") {
		bt.known("id", "item", "group", "violation", "violation_basis", "penalty_basis", "refines", "notes", "tier")
		b := &model.Benchmark{
			ID:             bt.id("id"),
			ItemCode:       bt.str("item", true),
			Group:          bt.str("group", false),
			Violation:      bt.str("violation", false),
			ViolationBasis: bt.str("violation_basis", false),
			PenaltyBasis:   bt.str("penalty_basis", false),
			RefinesID:      bt.str("refines", false),
			Notes:          bt.markdown("notes"),
			Agency:         a,
			Src:            bt.where(),
		}
		tiers := bt.list("tier")
		if len(tiers) == 0 {
			bt.f.diags.Add(bt.pos(""), diag.ERequired, "基准 %s 没有裁量阶次：至少添加一个 [[benchmark.tier]]", b.ID)
		}
		seen := map[string]diag.Pos{}
		for _, tt := range tiers {
			tt.known("level", "conditions", "penalty", "fine_min", "fine_max", "multiple_min", "multiple_max", "multiple_of")
			tier := &model.Tier{
				Level:       tt.str("level", true),
				Conditions:  tt.strs("conditions", false),
				Penalty:     tt.strs("penalty", true),
				FineMin:     tt.num("fine_min"),
				FineMax:     tt.num("fine_max"),
				MultipleMin: tt.num("multiple_min"),
				MultipleMax: tt.num("multiple_max"),
				MultipleOf:  tt.str("multiple_of", false),
				Src:         tt.where(),
			}
			if tier.Level != "" {
				if first, dup := seen[tier.Level]; dup {
					tt.f.diags.AddNote(tt.pos("level"), diag.EDupID, diag.Note{Pos: first, Message: "首次定义于此"},
						"基准 %s 的阶次 %q 重复", b.ID, tier.Level)
				} else {
					seen[tier.Level] = tt.pos("level")
				}
			}
			if tier.FineMin != nil && tier.FineMax != nil && *tier.FineMin > *tier.FineMax {
				tt.f.diags.Add(tt.pos("fine_min"), diag.EFineRange, "阶次 %q 的 fine_min（%s 元）大于 fine_max（%s 元）", tier.Level, yuan(*tier.FineMin), yuan(*tier.FineMax))
			}
			if tier.MultipleMin != nil && tier.MultipleMax != nil && *tier.MultipleMin > *tier.MultipleMax {
				tt.f.diags.Add(tt.pos("multiple_min"), diag.EFineRange, "阶次 %q 的 multiple_min 大于 multiple_max", tier.Level)
			}
			if (tier.MultipleMin != nil || tier.MultipleMax != nil) && tier.MultipleOf == "" {
				tt.f.diags.Add(tt.pos(""), diag.ERequired, "阶次 %q 按倍数规定罚款，须填写 multiple_of（如“违法所得”“货值金额”）", tier.Level)
			}
			b.Tiers = append(b.Tiers, tier)
		}
		a.Benchmarks = append(a.Benchmarks, b)
	}
}

func readLeniency(t table, a *model.Agency) {
	t.known("conditions", "entry")
	l := &model.LeniencyList{Conditions: map[string]string{}, Src: t.where()}
	ct := t.sub("conditions")
	for k := range ct.m {
		if !contains(leniencyLists, k) {
			ct.f.diags.Add(ct.pos(k), diag.EEnum, "清单名称 %q 不是允许的取值；应为：%s", k, joinList(leniencyLists))
			continue
		}
		l.Conditions[k] = ct.str(k, true)
	}
	for _, et := range t.list("entry") {
		et.known("id", "list", "item", "group", "violation", "violation_basis", "basis", "conditions", "handling", "observation_days")
		e := &model.LeniencyEntry{
			ID:             et.id("id"),
			List:           et.str("list", true),
			ItemCode:       et.str("item", false),
			Group:          et.str("group", false),
			Violation:      et.str("violation", true),
			ViolationBasis: et.str("violation_basis", false),
			Basis:          et.str("basis", false),
			Handling:       et.str("handling", false),
			ObservationDay: et.integer("observation_days", false),
			Agency:         a,
			Src:            et.where(),
		}
		e.Conditions = joinLines(et.strs("conditions", false))
		et.enum("list", e.List, leniencyLists)
		if e.Conditions == "" && e.List != "" && l.Conditions[e.List] == "" {
			et.f.diags.Add(et.pos(""), diag.ERequired, "清单条目 %s 缺少适用条件 conditions（或在 [conditions] 中为“%s”填写清单级适用条件）", e.ID, e.List)
		}
		l.Entries = append(l.Entries, e)
	}
	a.Leniency = l
}

func readPlan(t table, p *model.Plan, fileYear int) {
	t.known("year", "approved", "published", "task")
	p.Year = t.integer("year", true)
	if t.has("year") && p.Year != fileYear {
		t.f.diags.Add(t.pos("year"), diag.EID, "year = %d 与文件名年份 %d 不一致", p.Year, fileYear)
	}
	p.Year = fileYear
	p.Approved = t.date("approved", false)
	p.Published = t.date("published", true)
	p.Src = t.where()
	for _, tt := range t.list("task") {
		tt.known("id", "name", "item", "kind", "method", "targets", "population", "ratio", "max_frequency", "enterprise", "months", "window_from", "window_to", "onsite", "joint_with", "basis")
		task := &model.Task{
			ID:           tt.id("id"),
			Name:         tt.str("name", true),
			ItemCode:     tt.str("item", true),
			Kind:         tt.str("kind", false),
			Method:       tt.str("method", true),
			Targets:      tt.str("targets", true),
			Population:   tt.str("population", false),
			Ratio:        tt.str("ratio", false),
			MaxFrequency: tt.str("max_frequency", false),
			Enterprise:   tt.optBool("enterprise"),
			Months:       tt.ints("months"),
			WindowFrom:   tt.date("window_from", false),
			WindowTo:     tt.date("window_to", false),
			Onsite:       tt.boolean("onsite", true),
			JointWith:    tt.strs("joint_with", false),
			Basis:        tt.str("basis", false),
			Plan:         p,
			Src:          tt.where(),
		}
		tt.enum("kind", task.Kind, taskKinds)
		for i, m := range task.Months {
			if m < 1 || m > 12 {
				tt.f.diags.Add(tt.f.at(fmt.Sprintf("%s.months[%d]", tt.path, i)), diag.EEnum, "月份 %d 应在 1–12 之间", m)
			}
		}
		if (task.WindowFrom == 0) != (task.WindowTo == 0) {
			tt.f.diags.Add(tt.pos(""), diag.ERequired, "window_from 和 window_to 须同时填写或同时省略")
		} else if task.WindowFrom > task.WindowTo {
			tt.f.diags.Add(tt.pos("window_to"), diag.EEnum, "window_to（%s）早于 window_from（%s）", task.WindowTo, task.WindowFrom)
		}
		p.Tasks = append(p.Tasks, task)
	}
}

func readStats(t table, s *model.Stats, fileYear int) {
	t.known("year", "published", "table")
	s.Year = t.integer("year", true)
	if t.has("year") && s.Year != fileYear {
		t.f.diags.Add(t.pos("year"), diag.EID, "year = %d 与文件名年份 %d 不一致", s.Year, fileYear)
	}
	s.Year = fileYear
	s.Published = t.date("published", true)
	s.Src = t.where()
	for _, tt := range t.list("table") {
		tt.known("title", "unit", "total", "values")
		st := &model.StatsTable{Title: tt.str("title", true), Unit: tt.str("unit", false), Total: tt.str("total", false), Src: tt.where()}
		vt := tt.sub("values")
		// The published column order is the file's order, which a Go map
		// loses: take it from the position index.
		for _, label := range orderedKeys(vt) {
			if v := vt.num(label); v != nil {
				st.Columns = append(st.Columns, model.StatsValue{Label: label, Value: *v})
			}
		}
		s.Tables = append(s.Tables, st)
	}
}

func readStatsTemplate(t table, st *model.StatsTemplate) {
	t.known("table")
	st.Src = t.where()
	for _, tt := range t.list("table") {
		tt.known("title", "unit", "total", "columns")
		st.Tables = append(st.Tables, &model.TemplateTable{
			Title: tt.str("title", true), Unit: tt.str("unit", false), Total: tt.str("total", false),
			Columns: tt.strs("columns", true), Src: tt.where(),
		})
	}
}

// orderedKeys returns the table's keys in file order; keys the index missed
// (never expected) follow sorted, so nothing is dropped.
func orderedKeys(t table) []string {
	order := t.f.ix.Keys(t.path)
	out := make([]string, 0, len(t.m))
	seen := make(map[string]bool, len(t.m))
	for _, k := range order {
		if _, ok := t.m[k]; ok && !seen[k] {
			out = append(out, k)
			seen[k] = true
		}
	}
	var rest []string
	for k := range t.m {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sortStrings(rest)
	return append(out, rest...)
}
