package render

import (
	"encoding/binary"
	"math"
	"strings"
	"sync"
	"unique"

	"zfgs/generator/internal/model"
	"zfgs/generator/internal/pii"
	"zfgs/generator/internal/wire"
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

// summaryStore keeps the summaries of a build without pointers: each one
// encoded into a byte arena, and a fixed-size sumRef beside it with what
// the lists sort and group by. At a million decisions the summaries were
// half a gigabyte of pointer-rich structs that every garbage collection
// scanned; encoded they are about 300 bytes a case that it never scans, and
// a list page decodes only the rows it shows.
type summaryStore struct {
	arena []byte
	refs  []sumRef

	digestOnce sync.Once
	digests    [][16]byte // see rowDigests; made once every summary is in
}

// sumRef is one summary's sort and group keys and where it is encoded.
type sumRef struct {
	off        int64
	decided    model.Date
	published  model.Date
	year       int32
	onTime     bool
	tombstoned bool
}

func (st *summaryStore) add(s *Summary) {
	ref, enc := encodeSummary(s)
	st.addEncoded(ref, enc)
}

// addEncoded adds a summary encoded by encodeSummary.
func (st *summaryStore) addEncoded(ref sumRef, enc []byte) {
	ref.off = int64(len(st.arena))
	st.refs = append(st.refs, ref)
	st.arena = append(st.arena, enc...)
}

// encodeSummary returns s's keys and encoding (ref.off is left at zero).
func encodeSummary(s *Summary) (sumRef, []byte) {
	ref := sumRef{
		decided: s.Decided, published: s.Published,
		year: int32(s.Year), onTime: s.OnTime, tombstoned: s.Tombstoned,
	}
	a := make([]byte, 0, 256)
	for _, f := range [...]string{s.ID, s.Agency, s.Number, s.Title, s.Party, s.PartyKind, s.CreditCode,
		s.AgencyName, s.Category, s.ItemCode, s.Status} {
		a = binary.AppendUvarint(a, uint64(len(f)))
		a = append(a, f...)
	}
	a = binary.AppendUvarint(a, uint64(len(s.Kinds)))
	for _, k := range s.Kinds {
		a = binary.AppendUvarint(a, uint64(len(k)))
		a = append(a, k...)
	}
	for _, f := range [...]*float64{s.Fine, s.Confisc} {
		if f == nil {
			a = append(a, 0)
			continue
		}
		a = append(a, 1)
		a = binary.LittleEndian.AppendUint64(a, math.Float64bits(*f))
	}
	a = binary.AppendVarint(a, int64(s.Deadline))
	return ref, a
}

// append writes the keys of a summary for a case memo (not off).
func (ref sumRef) append(b []byte) []byte {
	b = binary.AppendVarint(b, int64(ref.decided))
	b = binary.AppendVarint(b, int64(ref.published))
	b = binary.AppendVarint(b, int64(ref.year))
	b = wire.AppendBool(b, ref.onTime)
	return wire.AppendBool(b, ref.tombstoned)
}

func readSumRef(r *wire.Reader) sumRef {
	return sumRef{
		decided: model.Date(r.Int()), published: model.Date(r.Int()), year: int32(r.Int()),
		onTime: r.Bool(), tombstoned: r.Bool(),
	}
}

// validSummary reports whether enc is exactly one summary as
// encodeSummary writes it, so that get cannot run off its end.
func validSummary(enc []byte) bool {
	r := wire.NewReader(enc)
	for range 11 {
		r.Bytes()
	}
	for n := r.Uvarint(); n > 0 && r.Err() == nil; n-- {
		r.Bytes()
	}
	for range 2 {
		if r.Bool() {
			r.Fixed(8)
		}
	}
	r.Varint()
	return r.Err() == nil && len(r.Rest()) == 0
}

// field returns the first n encoded strings of summary i, unconverted.
func (st *summaryStore) field(i int32, n int) []byte {
	b := st.arena[st.refs[i].off:]
	var f []byte
	for ; n > 0; n-- {
		l, k := binary.Uvarint(b)
		f, b = b[k:k+int(l)], b[k+int(l):]
	}
	return f
}

// id is summary i's case id, agency its agency id.
func (st *summaryStore) id(i int32) []byte     { return st.field(i, 1) }
func (st *summaryStore) agency(i int32) string { return string(st.field(i, 2)) }

// get decodes summary i. Strings drawn from small sets come back interned.
func (st *summaryStore) get(i int32) *Summary {
	r := &st.refs[i]
	b := st.arena[r.off:]
	str := func() string {
		l, k := binary.Uvarint(b)
		s := string(b[k : k+int(l)])
		b = b[k+int(l):]
		return s
	}
	s := &Summary{Decided: r.decided, Published: r.published, Year: int(r.year), OnTime: r.onTime, Tombstoned: r.tombstoned}
	s.ID, s.Agency, s.Number, s.Title, s.Party = str(), intern(str()), str(), str(), str()
	s.PartyKind, s.CreditCode, s.AgencyName = intern(str()), str(), intern(str())
	s.Category, s.ItemCode, s.Status = intern(str()), intern(str()), intern(str())
	nk, k := binary.Uvarint(b)
	b = b[k:]
	s.Kinds = make([]string, nk)
	for j := range s.Kinds {
		s.Kinds[j] = intern(str())
	}
	for _, f := range [...]**float64{&s.Fine, &s.Confisc} {
		present := b[0] == 1
		b = b[1:]
		if present {
			v := math.Float64frombits(binary.LittleEndian.Uint64(b))
			*f = &v
			b = b[8:]
		}
	}
	d, _ := binary.Varint(b)
	s.Deadline = model.Date(d)
	return s
}

// gets decodes the summaries at list.
func (st *summaryStore) gets(list []int32) []*Summary {
	out := make([]*Summary, len(list))
	for k, i := range list {
		out[k] = st.get(i)
	}
	return out
}
