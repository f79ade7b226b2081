package search

import (
	"strings"

	"zfgs/generator/internal/model"
	"zfgs/generator/internal/pii"
)

// Documents from the site model. The URL of each is the caller's (the
// renderer owns the URL scheme); everything else is taken here, so that what
// is findable is decided in one place.

// CaseDoc returns the search document of a decision, and false when the
// decision must not be findable: a minor's case (never published), a
// tombstone (已撤销, 停止公示 — including one that rules.ApplyExpiry or the
// renderer's expiry turned into 停止公示: pass the status the page shows),
// or a case without an agency. A natural person's name is masked in every
// field (张三 → 张某) and their credit code left out, as on the case page.
func CaseDoc(c *model.Case, url string) (Doc, bool) {
	if c == nil || c.Party.Minor || c.Tombstoned() || c.Agency == nil {
		return Doc{}, false
	}
	name := strings.TrimSpace(c.Party.Name)
	natural := c.Party.Kind == model.PartyNatural && name != ""
	party := c.Party.Name
	// show masks what is displayed; index masks what is only indexed, on
	// the normalised text, so that a Traditional, full-width or otherwise
	// variant spelling of the name is caught as well.
	show := func(s string) string { return s }
	index := show
	if natural {
		party = pii.MaskName(name)
		nn := Normalize(name)
		index = func(s string) string { return pii.MaskIn(Normalize(s), nn) }
		show = func(s string) string {
			s = pii.MaskIn(s, name)
			if strings.Contains(Normalize(s), nn) {
				s = index(s)
			}
			return s
		}
	}
	title := show(c.Title)
	if strings.TrimSpace(title) == "" {
		title = show(c.Number)
		if c.Item != nil {
			title = party + c.Item.Name
		}
	}
	d := Doc{
		Kind: KindDecision, URL: url, Title: title,
		Agency: c.Agency.ID, AgencyName: c.Agency.Name,
		Keys: []string{index(c.Number), c.ID},
	}
	if c.Decided != 0 {
		d.Year = c.Decided.Year()
		d.Date = c.Decided.String()
	}
	sub := []string{show(c.Number)}
	if d.Date != "" {
		sub = append(sub, d.Date)
	}
	if k := strings.Join(c.Decision.Kinds, "、"); k != "" {
		sub = append(sub, k)
	} else if c.Category != "" {
		sub = append(sub, c.Category)
	}
	d.Subtitle = strings.Join(sub, " · ")
	if !natural && c.Party.CreditCode != "" {
		d.Keys = append(d.Keys, c.Party.CreditCode)
	}
	d.Text = []string{title, party, c.Agency.Name, c.Category, c.ItemCode}
	if c.Item != nil {
		d.Text = append(d.Text, c.Item.Name)
	}
	if b := c.Discretion.Benchmark; b != nil {
		d.Text = append(d.Text, b.Violation)
	}
	if l := c.Discretion.Leniency; l != nil {
		d.Text = append(d.Text, l.List, l.Violation)
	}
	d.Text = append(d.Text, strings.Join(c.Decision.Kinds, " "), index(c.Decision.Text), index(c.Body))
	return d, true
}

// ItemDoc is a catalogue item (行政执法事项).
func ItemDoc(it *model.Item, url string) Doc {
	d := Doc{
		Kind: KindItem, URL: url, Title: it.Name, Keys: []string{it.Code},
		Subtitle: joinNonEmpty(" · ", it.Code, it.Type, it.Status),
		Text:     []string{it.Name, it.Type, it.Department, strings.Join(it.Level, " "), it.Basis},
	}
	setAgency(&d, it.Agency)
	return d
}

// BenchmarkDoc is a 裁量基准 row with its tiers' conditions and standards.
func BenchmarkDoc(b *model.Benchmark, url string) Doc {
	d := Doc{
		Kind: KindBenchmark, URL: url, Title: b.Violation, Keys: []string{b.ID, b.ItemCode},
		Subtitle: joinNonEmpty(" · ", b.ID, b.Group),
		Text:     []string{b.Violation, b.Group, b.ViolationBasis, b.PenaltyBasis},
	}
	if b.Item != nil {
		d.Text = append(d.Text, b.Item.Name)
	}
	for _, t := range b.Tiers {
		d.Text = append(d.Text, t.Level, strings.Join(t.Conditions, "；"), strings.Join(t.Penalty, "；"))
	}
	d.Text = append(d.Text, b.Notes)
	setAgency(&d, b.Agency)
	return d
}

// LeniencyDoc is an entry of the four lists (不予处罚, 从轻, 减轻, 不予强制…).
func LeniencyDoc(e *model.LeniencyEntry, url string) Doc {
	cond := e.Conditions
	if cond == "" && e.Agency != nil && e.Agency.Leniency != nil {
		cond = e.Agency.Leniency.Conditions[e.List]
	}
	d := Doc{
		Kind: KindLeniency, URL: url, Title: e.Violation, Keys: []string{e.ID, e.ItemCode},
		Subtitle: joinNonEmpty(" · ", e.List+"清单", e.ID, e.Group),
		Text:     []string{e.Violation, e.List, e.Group, e.ViolationBasis, e.Basis, cond, e.Handling},
	}
	if e.Item != nil {
		d.Text = append(d.Text, e.Item.Name)
	}
	setAgency(&d, e.Agency)
	return d
}

// TaskDoc is a task of an annual inspection plan.
func TaskDoc(t *model.Task, url string) Doc {
	d := Doc{
		Kind: KindTask, URL: url, Title: t.Name, Keys: []string{t.ID, t.ItemCode},
		Subtitle: joinNonEmpty(" · ", t.ID, t.Method, t.Targets),
		Text:     []string{t.Name, t.Kind, t.Method, t.Targets, t.Population, t.Ratio, t.MaxFrequency, t.Basis},
	}
	if t.Item != nil {
		d.Text = append(d.Text, t.Item.Name)
	}
	if t.Plan != nil {
		d.Year = t.Plan.Year
		setAgency(&d, t.Plan.Agency)
	}
	return d
}

// OfficerDoc is an enforcement officer (name and 执法证号 are public by law).
func OfficerDoc(o *model.Officer, url string) Doc {
	d := Doc{
		Kind: KindOfficer, URL: url, Title: o.Name, Keys: []string{o.CertNo},
		Subtitle: joinNonEmpty(" · ", "执法证号 "+o.CertNo, o.Field, o.Status),
		Text:     []string{o.Name, o.Field, o.Status},
	}
	setAgency(&d, o.Agency)
	if o.Agency != nil {
		d.Text = append(d.Text, o.Agency.Name)
	}
	return d
}

func setAgency(d *Doc, a *model.Agency) {
	if a != nil {
		d.Agency, d.AgencyName = a.ID, a.Name
	}
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
