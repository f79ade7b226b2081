package model

// Case statuses.
const (
	StatusActive     = "生效"
	StatusRevoked    = "已撤销"
	StatusChanged    = "已变更"
	StatusWithdrawn  = "停止公示"
	PartyNatural     = "自然人"
	CategoryPenalty  = "行政处罚"
	CategoryPermit   = "行政许可"
	CategoryInspect  = "行政检查"
	CategoryCoercion = "行政强制"
)

// Case is one decision (行政执法决定), loaded from its file on demand.
type Case struct {
	ID           string
	Agency       *Agency
	File         string
	Number       string
	Category     string
	ItemCode     string
	Item         *Item
	Title        string
	Onsite       bool
	Triggered    bool
	Decided      Date
	Published    Date
	Status       string
	StatusReason string
	SupersededBy string
	Officers     []string
	Party        Party
	Discretion   Discretion
	Decision     Decision
	Timeline     []Step
	Body         string // Markdown
	BodyLine     int    // line in File of the body's first line
	Src          Where
	// Digest is the SHA-256 of the case file's bytes: with the rest of the
	// site's inputs, it keys the build cache of the case's page.
	Digest [32]byte
}

// Party is 当事人.
type Party struct {
	Kind       string
	Name       string
	CreditCode string
	Minor      bool
}

// Discretion is 裁量权基准适用.
type Discretion struct {
	BenchmarkID string
	Benchmark   *Benchmark
	TierLevel   string
	Tier        *Tier
	LeniencyID  string
	Leniency    *LeniencyEntry
}

// Decision is 行政执法决定 (kinds and amounts).
type Decision struct {
	Kinds       []string
	Fine        *float64
	Confiscated *float64
	BaseAmount  *float64
	Text        string
}

// Step is one step of the procedure timeline (执法基本流程).
type Step struct {
	Step string
	Date Date
}

// Tombstoned reports whether the case shows only a tombstone (已撤销 or 停止公示).
func (c *Case) Tombstoned() bool {
	return c.Status == StatusRevoked || c.Status == StatusWithdrawn
}
