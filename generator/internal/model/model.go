// Package model is the resolved site: plain types, no I/O. The content
// package fills it from files; rules check it; render presents it.
//
// Lists (agencies, catalogues, benchmarks, leniency, plans, stats) are small
// and held in memory. Cases are not: the site holds a CaseRef per case file
// and each Case is loaded, checked, rendered and dropped in turn.
package model

import (
	"time"

	"zfgs/generator/internal/diag"
)

// Where tells the source position of an object's fields; every object read
// from a file carries one so that a rule can point at the offending value
// ("fine", "tier[2].fine_min", "officers[1]"). An empty field name means the
// object itself (its table header).
type Where interface {
	Field(name string) diag.Pos
	// Written reports whether the file writes the field, whatever its
	// value: a field whose value was refused (and reported) is written,
	// so a rule does not also call it missing.
	Written(name string) bool
}

// Config is config.toml.
type Config struct {
	Title    string
	BaseURL  string
	Language string
	Footer   Footer
	Rules    RulesConfig
	Src      Where
}

// Footer is shown on every page (政府网站页脚).
type Footer struct {
	Sponsor, SiteCode, ICP, Police string
}

// RulesConfig holds the tunable rules; zero values mean "off" or the default
// documented in the spec.
type RulesConfig struct {
	PublishDaysPermitPenalty int
	PublishDaysOther         int
	StatsDueMonth            time.Month
	StatsDueDay              int
	QuietDays                []int
	MaxOnsitePerYear         int
	QRECC                    string
	PublishMonthsMinor       int
	MinorFinePerson          float64
	MinorFineOrg             float64
	PublishMonths            int
}

// Site is everything but the cases' contents.
type Site struct {
	Config        Config
	Calendar      Calendar
	Intro         *Page
	StatsTemplate *StatsTemplate
	Agencies      []*Agency // sorted by level (省 市 县 镇) then id
	Agency        map[string]*Agency
	Item          map[string]*Item      // by code, own items only
	Benchmark     map[string]*Benchmark // by id
	Leniency      map[string]*LeniencyEntry
	Officer       map[string]*Officer // by cert_no
	Task          map[string]*Task
	Cases         []CaseRef // every case file, sorted by path
}

// Calendar is calendar.toml: the working-day schedule.
type Calendar struct {
	Holidays map[Date]bool
	Workdays map[Date]bool
	Years    map[int]bool
	Src      Where
}

// Page is a Markdown page with TOML front matter (content/_index.md).
type Page struct {
	Title    string
	Body     string // Markdown
	BodyLine int    // line of the body's first line in File
	File     string
}

// Agency is one enforcement body (执法主体).
type Agency struct {
	ID          string
	Dir         string // content/agencies/<id>
	Name        string
	ShortName   string
	Level       string // 省 市 县 镇
	ParentID    string
	Parent      *Agency
	Region      string
	Address     string
	Phone       string
	Duties      string // Markdown
	Supervision Supervision
	Officers    []*Officer

	Items      []*Item  // own catalogue items, in file order
	Claims     []*Claim // items claimed from ancestors, in file order
	Benchmarks []*Benchmark
	Leniency   *LeniencyList // nil when the agency has no leniency.toml
	Plans      []*Plan       // by year
	Stats      []*Stats      // by year

	Src Where
}

// Supervision is 监督与救济.
type Supervision struct {
	ComplaintPhone  string
	ComplaintURL    string
	Reconsideration string
	Court           string
}

// Officer is an enforcement officer (执法人员).
type Officer struct {
	Name       string
	CertNo     string
	Field      string
	Status     string // 在岗 暂扣 注销
	ValidFrom  Date
	ValidUntil Date
	Agency     *Agency
	Src        Where
}

// Item is a catalogue item (行政执法事项).
type Item struct {
	Code       string
	Name       string
	Type       string
	Basis      string
	Level      []string
	Department string
	Status     string // 有效 暂停 取消
	Updated    Date
	Agency     *Agency
	Src        Where
}

// Claim is an item claimed (认领) from an ancestor.
type Claim struct {
	Code   string
	Item   *Item // resolved; nil if unknown
	Agency *Agency
	Src    Where
}

// Benchmark is one row of 行政裁量权基准.
type Benchmark struct {
	ID             string
	ItemCode       string
	Item           *Item
	Group          string
	Violation      string
	ViolationBasis string
	PenaltyBasis   string
	RefinesID      string
	Refines        *Benchmark
	Notes          string // Markdown
	Tiers          []*Tier
	Agency         *Agency
	Src            Where
}

// Tier is a 裁量阶次.
type Tier struct {
	Level       string
	Conditions  []string
	Penalty     []string
	FineMin     *float64
	FineMax     *float64
	MultipleMin *float64
	MultipleMax *float64
	MultipleOf  string
	Src         Where
}

// Tier returns the benchmark's tier with the given label, or nil.
func (b *Benchmark) Tier(level string) *Tier {
	for _, t := range b.Tiers {
		if t.Level == level {
			return t
		}
	}
	return nil
}

// LeniencyList is leniency.toml: the four lists of one agency.
type LeniencyList struct {
	Conditions map[string]string // list-level 适用条件 by list name
	Entries    []*LeniencyEntry
	Src        Where
}

// LeniencyEntry is one row of a leniency list.
type LeniencyEntry struct {
	ID             string
	List           string
	ItemCode       string
	Item           *Item
	Group          string
	Violation      string
	ViolationBasis string
	Basis          string
	Conditions     string // the row's own; see EffectiveConditions
	Handling       string
	ObservationDay int
	Agency         *Agency
	Src            Where
}

// Plan is an annual inspection plan.
type Plan struct {
	Year      int
	Approved  Date
	Published Date
	Tasks     []*Task
	Agency    *Agency
	File      string
	Src       Where
}

// Task is one inspection task of a plan.
type Task struct {
	ID           string
	Name         string
	ItemCode     string
	Item         *Item
	Kind         string
	Method       string
	Targets      string
	Population   string
	Ratio        string
	MaxFrequency string
	Enterprise   *bool
	Months       []int
	WindowFrom   Date
	WindowTo     Date
	Onsite       bool
	JointWith    []string
	Basis        string
	Plan         *Plan
	Src          Where
}

// Stats is one agency's annual statistics, tables as published.
type Stats struct {
	Year      int
	Published Date
	Tables    []*StatsTable
	Agency    *Agency
	File      string
	Src       Where
}

// StatsTable is one published table; Columns keep the file's order.
type StatsTable struct {
	Title   string
	Unit    string
	Total   string
	Columns []StatsValue
	Src     Where
}

// StatsValue is one column of a table.
type StatsValue struct {
	Label string
	Value float64
}

// StatsTemplate is content/stats.toml.
type StatsTemplate struct {
	Tables []*TemplateTable
	Src    Where
}

// TemplateTable is one table of the city's template.
type TemplateTable struct {
	Title   string
	Unit    string
	Total   string
	Columns []string
	Src     Where
}

// CaseRef names a case file without loading it.
type CaseRef struct {
	ID     string
	Agency string
	Year   int    // from the folder name
	File   string // relative to the site root
}

// Source returns where the object was read; it lets a rule report any list
// row's duplicate the same way.
func (o *Officer) Source() Where { return o.Src }

// Source: see Officer.Source.
func (i *Item) Source() Where { return i.Src }

// Source: see Officer.Source.
func (b *Benchmark) Source() Where { return b.Src }

// Source: see Officer.Source.
func (e *LeniencyEntry) Source() Where { return e.Src }

// Source: see Officer.Source.
func (t *Task) Source() Where { return t.Src }
