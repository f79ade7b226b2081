package render

import (
	"strings"
	"unique"

	"zfgs/generator/internal/model"
	"zfgs/generator/internal/pii"
)

// Summary is what a build keeps of a case after its page is written: enough
// for the lists, the timeliness report, the feed and the data files, and
// nothing that must not be published (the party's name is already masked,
// a natural person's credit code is dropped, there is no body).
type Summary struct {
	ID         string
	Number     string
	Title      string // masked
	Party      string // masked for natural persons
	PartyKind  string
	CreditCode string // "" for natural persons
	Agency     string // agency id
	AgencyName string
	Category   string
	ItemCode   string
	Kinds      []string
	Fine       *float64
	Confisc    *float64
	Decided    model.Date
	Published  model.Date
	Deadline   model.Date
	OnTime     bool
	Status     string // the status shown (may be 停止公示 by the expiry rules)
	Year       int    // of the decision
	Tombstoned bool   // only a tombstone page: left out of lists and data
}

// masked is a case's published text with a natural person's full name
// replaced everywhere it occurs (CONTENT.md "Privacy").
type masked struct {
	Title, Party, Body, DecisionText, StatusReason string
	Steps                                          []model.Step
}

func maskCase(c *model.Case) masked {
	m := masked{
		Title: c.Title, Party: c.Party.Name, Body: c.Body,
		DecisionText: c.Decision.Text, StatusReason: c.StatusReason, Steps: c.Timeline,
	}
	if c.Party.Kind != model.PartyNatural || strings.TrimSpace(c.Party.Name) == "" {
		return m
	}
	name := c.Party.Name
	m.Party = pii.MaskName(name)
	m.Title = pii.MaskIn(c.Title, name)
	m.Body = pii.MaskIn(c.Body, name)
	m.DecisionText = pii.MaskIn(c.Decision.Text, name)
	m.StatusReason = pii.MaskIn(c.StatusReason, name)
	m.Steps = make([]model.Step, len(c.Timeline))
	for i, s := range c.Timeline {
		m.Steps[i] = model.Step{Step: pii.MaskIn(s.Step, name), Date: s.Date}
	}
	return m
}

// displayTitle is the case's title, or a fallback built from its item.
func (r *Renderer) displayTitle(c *model.Case, m masked) string {
	if strings.TrimSpace(m.Title) != "" {
		return m.Title
	}
	if c.Item != nil {
		return m.Party + c.Item.Name
	}
	return c.Number
}

// summarize builds the Summary of a case; status is the shown status.
func (r *Renderer) summarize(c *model.Case, m masked, status string) Summary {
	// A summary outlives its case: Clone its own strings, so it does not
	// pin the case's buffers through shared substrings, and intern the
	// ones drawn from small sets (kinds, category, status, item codes), so
	// a million summaries hold one copy of each.
	kinds := make([]string, len(c.Decision.Kinds))
	for i, k := range c.Decision.Kinds {
		kinds[i] = intern(k)
	}
	s := Summary{
		ID: strings.Clone(c.ID), Number: strings.Clone(c.Number), Title: strings.Clone(r.displayTitle(c, m)),
		Party: strings.Clone(m.Party), PartyKind: intern(c.Party.Kind), Category: intern(c.Category),
		ItemCode: intern(c.ItemCode), Kinds: kinds, Fine: c.Decision.Fine, Confisc: c.Decision.Confiscated,
		Decided: c.Decided, Published: c.Published, Deadline: r.opt.Deadline(c),
		Status: intern(status), Year: c.Decided.Year(),
	}
	if c.Party.Kind != model.PartyNatural {
		s.CreditCode = strings.Clone(c.Party.CreditCode)
	}
	if c.Agency != nil {
		s.Agency, s.AgencyName = c.Agency.ID, c.Agency.Name
	}
	if c.Decided == 0 {
		s.Year = 0
	}
	s.OnTime = c.Published != 0 && (s.Deadline == 0 || c.Published <= s.Deadline)
	s.Tombstoned = status == model.StatusRevoked || status == model.StatusWithdrawn
	return s
}

// intern returns the canonical copy of s (package unique): one allocation
// per distinct value for the whole build.
func intern(s string) string { return unique.Make(s).Value() }
