package content

import (
	"strconv"
	"strings"

	"zfgs/generator/internal/diag"
	"zfgs/generator/internal/model"
)

var caseKeys = []string{"number", "category", "item", "title", "onsite", "triggered", "decided", "published",
	"status", "status_reason", "superseded_by", "officers", "party", "discretion", "decision", "timeline"}

// ParseCase reads one case file. It returns nil when the file cannot be
// parsed at all (E_ENCODING, E_PARSE); otherwise a case with every field that
// could be read, the defects reported to diags.
func ParseCase(ref model.CaseRef, data []byte, diags *diag.List) *model.Case {
	data = checkEncoding(ref.File, data, diags)
	if data == nil {
		return nil
	}
	front, body, fmLine, bodyLine, ok := splitFrontMatter(data)
	if !ok {
		diags.Add(diag.Pos{File: ref.File, Line: 1, Col: 1}, diag.EParse,
			"案件文件须以 +++ 开头的 TOML front matter 开始，并以单独一行 +++ 结束")
		return nil
	}
	m, f := parseTOML(ref.File, front, fmLine, diags)
	if m == nil {
		return nil
	}
	t := table{f: f, m: m}
	t.known(caseKeys...)
	c := &model.Case{
		ID:           ref.ID,
		File:         ref.File,
		Number:       t.str("number", true),
		Category:     t.str("category", true),
		ItemCode:     t.str("item", true),
		Title:        t.str("title", false),
		Onsite:       t.boolean("onsite", false),
		Triggered:    t.boolean("triggered", false),
		Decided:      t.date("decided", true),
		Published:    t.date("published", true),
		Status:       t.str("status", false),
		StatusReason: t.str("status_reason", false),
		SupersededBy: t.str("superseded_by", false),
		Officers:     t.strs("officers", false),
		Body:         string(body),
		BodyLine:     bodyLine,
		Src:          t.where(),
	}
	scanBodyPII(diags, ref.File, c.Body, bodyLine)
	checkMarkdownBody(diags, ref.File, c.Body, bodyLine)
	t.enum("category", c.Category, itemTypes)
	if c.Status == "" {
		c.Status = model.StatusActive
	}
	t.enum("status", c.Status, caseStatus)
	if (c.Status == model.StatusRevoked || c.Status == model.StatusWithdrawn) && strings.TrimSpace(c.StatusReason) == "" {
		t.f.diags.Add(t.pos("status"), diag.ERequired, "状态为“%s”的案件须填写 status_reason（将显示在公示页上）", c.Status)
	}
	if c.Status == model.StatusChanged && c.SupersededBy == "" {
		t.f.diags.Add(t.pos("status"), diag.ERequired, "状态为“已变更”的案件须填写 superseded_by（变更后的案件编号）")
	}

	p := t.sub("party")
	p.known("kind", "name", "credit_code", "minor")
	if p.m == nil {
		t.missing("party")
	}
	c.Party = model.Party{
		Kind:       p.str("kind", p.m != nil),
		Name:       p.str("name", p.m != nil),
		CreditCode: p.str("credit_code", false),
		Minor:      p.boolean("minor", false),
	}
	p.enum("kind", c.Party.Kind, partyKinds)

	d := t.sub("discretion")
	d.known("benchmark", "tier", "leniency")
	c.Discretion = model.Discretion{
		BenchmarkID: d.str("benchmark", false),
		TierLevel:   d.str("tier", false),
		LeniencyID:  d.str("leniency", false),
	}

	dec := t.sub("decision")
	dec.known("kinds", "fine", "confiscated", "base_amount", "text")
	c.Decision = model.Decision{
		Kinds:       dec.strs("kinds", false),
		Fine:        dec.num("fine"),
		Confiscated: dec.num("confiscated"),
		BaseAmount:  dec.num("base_amount"),
		Text:        dec.str("text", false),
	}
	if c.Category == model.CategoryPenalty {
		for i, k := range c.Decision.Kinds {
			if !contains(penaltyKinds, k) {
				dec.f.diags.Add(dec.f.at("decision.kinds["+strconv.Itoa(i)+"]"), diag.EEnum,
					"处罚种类 %q 不是允许的取值；应为：%s", k, joinList(penaltyKinds))
			}
		}
	}
	for _, st := range t.list("timeline") {
		st.known("step", "date")
		c.Timeline = append(c.Timeline, model.Step{Step: st.str("step", true), Date: st.date("date", true)})
	}
	return c
}
