package search

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"zfgs/generator/internal/wire"
)

// Kinds of documents, in the order results of equal rank are listed.
const (
	KindItem      = "item"      // 执法事项 (catalogue item)
	KindBenchmark = "benchmark" // 裁量基准
	KindLeniency  = "leniency"  // 四张清单 entry
	KindTask      = "task"      // 检查计划任务
	KindOfficer   = "officer"   // 执法人员
	KindDecision  = "decision"  // 执法决定
)

// kindLabels are the labels the search page shows (written into the
// manifest, so the page's script has no copy of them).
var kindOrder = []struct{ ID, Label string }{
	{KindItem, "执法事项"},
	{KindBenchmark, "裁量基准"},
	{KindLeniency, "四张清单"},
	{KindTask, "检查计划"},
	{KindOfficer, "执法人员"},
	{KindDecision, "执法决定"},
}

func kindRank(k string) int {
	for i, o := range kindOrder {
		if o.ID == k {
			return i
		}
	}
	return len(kindOrder)
}

// Doc is one searchable document: a decision, a catalogue item, a
// benchmark, a leniency entry, a plan task or an officer. Everything in it
// is published as is: the caller masks what must be masked (see CaseDoc).
type Doc struct {
	Kind       string   // one of the Kind constants (others are accepted and listed last)
	URL        string   // site-root-relative link without the base path, e.g. "/c/JM-1/"
	Title      string   // shown as the link; indexed as a primary field
	Subtitle   string   // shown under the title; not indexed
	Agency     string   // agency id, for the agency filter ("" = none)
	AgencyName string   // shown
	Year       int      // for the year filter; 0 = none
	Date       string   // "2025-03-02", optional: newer first within a year; shown
	Keys       []string // identifiers indexed as primary fields: 文号, 事项编码, 执法证号, 信用代码, ids
	Text       []string // fields to index, title first (a Text[0] equal to Title is not indexed twice)
}

// Builder collects documents and writes the sharded index. Add is safe for
// concurrent use; Write must be called once, after every Add has returned,
// or Close if the index is abandoned.
//
// Memory: a compact display record per document, and the postings (varint
// deltas of document numbers) with their vocabulary up to a budget; texts
// are dropped once tokenised. Past the budget the postings are sorted and
// spilled to a temporary run file, and Write merges the runs, so a million
// decisions (46 million postings at 200,000) index in bounded memory.
type Builder struct {
	docMu    sync.Mutex
	arena    []byte // display records not yet spilled, back to back
	keys     []byte // each document's sort keys: date, URL
	docs     []docInfo
	kinds    []string          // docInfo.kind indexes this
	agencies map[string]string // id → name

	// Display records past a quarter of the budget go to recFile (unlinked);
	// a record's offset counts from the first record ever written, so
	// offsets below recFlushed are in the file and the rest in arena.
	recFile    *os.File
	recFlushed int64
	recErr     error

	// spillMu is held shared by Add while it touches the stripes and
	// exclusively by a spill, which takes every stripe's postings at once.
	spillMu sync.RWMutex
	stripes [nStripes]stripe
	held    atomic.Int64 // estimated bytes of postings and vocabulary in the stripes
	budget  int64
	tempDir string
	runs    []*os.File // spilled runs, unlinked: they vanish with the process
	peak    int64      // largest held seen, for Stats.Memory
	err     error      // the first spill failure, reported by Write

	pool sync.Pool // *docState

	compressed Compressed                          // nil: compress every file
	prev       *Previous                           // nil: every document is tokenised here
	kept       func(rel string, sum [32]byte) bool // Options.Kept
	state      *writeState
}

// Options tune a Builder; the zero value is the default.
type Options struct {
	// MemoryBudget is about how many bytes of postings and vocabulary
	// the builder keeps before spilling them to a run file (default
	// DefaultMemoryBudget; negative: never spill).
	MemoryBudget int64
	// TempDir holds the run files (default os.TempDir()). They are
	// unlinked as soon as they are created.
	TempDir string
	// Compressed, when set, knows the compressed form of index files
	// from an earlier build: Write compresses only the bodies it has
	// not seen (a rebuild after one edit changes a few shards).
	Compressed Compressed
	// Previous, when set, is the index of an earlier build (LoadPrevious):
	// a document unchanged since is not tokenised again, and Write takes
	// its postings from the earlier shards.
	Previous *Previous
	// Kept, when set with Previous, takes over the previous output's
	// index file rel (a path under Dir, like "s/3.bin") into this build when it is still
	// the file whose SHA-256 is sum, and reports whether it did: Write
	// then neither reads nor writes a shard that no change reaches.
	Kept func(rel string, sum [32]byte) bool
}

// Compressed remembers what index file bodies deflate to. Its methods are
// called from several goroutines at once.
type Compressed interface {
	// Get returns the raw DEFLATE of body, the index file rel, when known.
	Get(rel string, body []byte) ([]byte, bool)
	// Put records that body, the index file rel, deflates to out.
	Put(rel string, body, out []byte)
}

// DefaultMemoryBudget keeps the builder's postings near 64 MiB: at a
// million decisions that is about twenty runs, merged in one pass.
const DefaultMemoryBudget = 64 << 20

const nStripes = 32

// docInfo is what the builder keeps of a document in memory. It holds no
// pointers, so a million of them cost the garbage collector nothing.
type docInfo struct {
	off      int64  // of the display record (see Builder.recFlushed)
	keyOff   int64  // of the sort keys in Builder.keys
	recLen   uint32 // of the display record
	kind     uint16 // index in Builder.kinds
	kindRank uint16
	year     int32
	sum      uint64 // hash of every field: the last tie-breaker
	url      uint64 // urlHash: with sum, its identity for the next build
	old      uint32 // 1 + its number in Options.Previous, when kept from there; 0: tokenised here
	toks     uint32 // its distinct tokens (postings)
	title    uint8  // the meta of its title's tokens (see Previous)
}

type stripe struct {
	mu    sync.Mutex
	ids   map[string]uint32
	lists []plist
}

// plist is a token's postings while building: provisional document numbers
// as zig-zag varint deltas (Add calls may finish out of order), title
// entries followed by their meta byte.
type plist struct {
	t, o         []byte
	tLast, oLast uint32
	tn, on       uint32
}

func (p *plist) add(doc uint32, meta uint8) {
	if meta > 0 {
		p.t = appendZigzag(p.t, int64(doc)-int64(p.tLast))
		p.t = append(p.t, meta)
		p.tLast = doc
		p.tn++
		return
	}
	p.o = appendZigzag(p.o, int64(doc)-int64(p.oLast))
	p.oLast = doc
	p.on++
}

type docState struct {
	toks     map[string]uint8 // token → meta (0: not in a primary field)
	units    []unit
	byStripe [nStripes][]tokMeta
}

type tokMeta struct {
	tok  string
	meta uint8
}

// NewBuilder returns an empty builder with the default options.
func NewBuilder() *Builder { return NewBuilderOptions(Options{}) }

// NewBuilderOptions returns an empty builder.
func NewBuilderOptions(opt Options) *Builder {
	b := &Builder{agencies: map[string]string{}, budget: opt.MemoryBudget, tempDir: opt.TempDir, compressed: opt.Compressed, prev: opt.Previous, kept: opt.Kept}
	if b.budget == 0 {
		b.budget = DefaultMemoryBudget
	}
	for i := range b.stripes {
		b.stripes[i].ids = map[string]uint32{}
	}
	b.pool.New = func() any { return &docState{toks: map[string]uint8{}} }
	return b
}

// Add tokenises d and records it. Documents without a URL are ignored.
func (b *Builder) Add(d Doc) { b.add(&d) }

// AddMemo is Add, and returns what AddFromMemo needs to add the same
// document in a later build without even making it (a case whose file did
// not change); nil for a document without a URL. The memo holds the
// document's display record and identity, not its tokens: its postings
// are in the index this build writes, which the later build is given
// (Options.Previous).
func (b *Builder) AddMemo(d Doc) []byte {
	if d.URL == "" {
		return nil
	}
	rec := docRecord{d.Kind, d.URL, d.Title, d.Subtitle, d.Agency, d.AgencyName, d.Date, d.Year, docSum(&d)}
	b.addRecord(&d, &rec)
	return rec.append(nil)
}

func (b *Builder) add(d *Doc) {
	if d.URL == "" {
		return
	}
	rec := docRecord{d.Kind, d.URL, d.Title, d.Subtitle, d.Agency, d.AgencyName, d.Date, d.Year, docSum(d)}
	b.addRecord(d, &rec)
}

// addRecord adds d, whose record is rec: kept from the previous index
// when it has d unchanged, else tokenised.
func (b *Builder) addRecord(d *Doc, rec *docRecord) {
	if b.keep(rec) {
		return // its postings are in the previous index
	}
	st := b.pool.Get().(*docState)
	defer b.pool.Put(st)
	clear(st.toks)

	// Primary fields first: the title and the keys.
	primary := func(f string) uint8 {
		n := Normalize(f)
		units := 0
		st.units = groups(n, st.units, func(us []unit) { units += len(us) })
		meta := uint8(min(max(units, 1), 255))
		st.units = indexField(n, true, st.units, func(t string) {
			if old, ok := st.toks[t]; !ok || old > meta {
				st.toks[t] = meta
			}
		})
		return meta
	}
	titleMeta := primary(d.Title)
	for _, k := range d.Keys {
		primary(k)
	}
	for i, f := range d.Text {
		if i == 0 && f == d.Title {
			continue
		}
		n := Normalize(f)
		st.units = indexField(n, len(n) <= shortField, st.units, func(t string) {
			if _, ok := st.toks[t]; !ok {
				st.toks[t] = 0
			}
		})
	}
	if d.Agency != "" {
		st.toks[agencyMark+d.Agency] = 0
	}

	for t, m := range st.toks {
		s := hash32(t) % nStripes
		st.byStripe[s] = append(st.byStripe[s], tokMeta{t, m})
	}
	doc := b.addDoc(rec, len(st.toks), 0, titleMeta)
	grown := 0
	b.spillMu.RLock()
	for i := range st.byStripe {
		list := st.byStripe[i]
		if len(list) == 0 {
			continue
		}
		s := &b.stripes[i]
		s.mu.Lock()
		for _, tm := range list {
			grown += s.post(tm.tok, doc, tm.meta)
		}
		s.mu.Unlock()
		clear(list)
		st.byStripe[i] = list[:0]
	}
	b.spillMu.RUnlock()
	b.grew(grown)
}

// Memo is a document's memo (see AddMemo) that has been checked whole,
// ready for AddFromMemo.
type Memo struct {
	rec docRecord
}

// ParseMemo checks a memo read back from the build cache; false when it
// is damaged (then nothing must be added for it).
func ParseMemo(memo []byte) (Memo, bool) {
	r := wire.NewReader(memo)
	rec, ok := readDocRecord(r)
	if !ok || rec.URL == "" || len(r.Rest()) != 0 {
		return Memo{}, false
	}
	return Memo{rec: rec}, true
}

// Has reports whether AddFromMemo can add the document m describes: the
// previous index (Options.Previous) has it, unchanged and not yet taken.
// When it cannot, the caller makes the document again and adds it.
func (b *Builder) Has(m Memo) bool {
	if b.prev == nil {
		return false
	}
	b.docMu.Lock()
	defer b.docMu.Unlock()
	return b.prev.has(urlHash(m.rec.URL), m.rec.Sum)
}

// AddFromMemo adds the document a parsed memo describes, as AddMemo added
// it, with its postings from the previous index. Call it only after Has
// said yes (between the two, nothing else adds a document of that URL);
// if it cannot, Write fails.
func (b *Builder) AddFromMemo(m Memo) {
	if !b.keep(&m.rec) {
		b.docMu.Lock()
		if b.recErr == nil {
			b.recErr = fmt.Errorf("search: %s is not in the previous index", m.rec.URL)
		}
		b.docMu.Unlock()
	}
}

// post records that doc has token tok (with meta) and returns the bytes
// the stripe grew by. s.mu is held.
func (s *stripe) post(tok string, doc uint32, meta uint8) int {
	idx, ok := s.ids[tok]
	grown := 0
	if !ok {
		idx = uint32(len(s.lists))
		s.ids[strings.Clone(tok)] = idx
		s.lists = append(s.lists, plist{})
		grown += len(tok) + tokenOverhead
	}
	p := &s.lists[idx]
	before := len(p.t) + len(p.o)
	p.add(doc, meta)
	return grown + len(p.t) + len(p.o) - before
}

// grew accounts for postings added, spilling them past the budget.
func (b *Builder) grew(n int) {
	if b.held.Add(int64(n)) > b.budget && b.budget > 0 {
		b.spill()
	}
}

// tokenOverhead approximates what a new token costs beyond its bytes: its
// map slot and string header, its plist, and the slack of both slices.
const tokenOverhead = 128

// docRecord is what the builder keeps of a document besides its tokens.
type docRecord struct {
	Kind, URL, Title, Subtitle, Agency, AgencyName, Date string
	Year                                                 int
	Sum                                                  uint64 // docSum
}

func (d *docRecord) append(b []byte) []byte {
	for _, f := range [...]string{d.Kind, d.URL, d.Title, d.Subtitle, d.Agency, d.AgencyName, d.Date} {
		b = wire.AppendString(b, f)
	}
	b = binary.AppendVarint(b, int64(d.Year))
	return binary.LittleEndian.AppendUint64(b, d.Sum)
}

func readDocRecord(r *wire.Reader) (d docRecord, ok bool) {
	d.Kind, d.URL, d.Title, d.Subtitle = r.String(), r.String(), r.String(), r.String()
	d.Agency, d.AgencyName, d.Date = r.String(), r.String(), r.String()
	d.Year = r.Int()
	if s := r.Fixed(8); s != nil {
		d.Sum = binary.LittleEndian.Uint64(s)
	}
	return d, r.Err() == nil
}

// docSum is the hash of every field of d: the last tie-breaker of the
// order of documents.
func docSum(d *Doc) uint64 {
	h := fnv.New64a()
	put := func(s string) { h.Write([]byte(s)); h.Write([]byte{0}) }
	put(d.Kind)
	put(d.URL)
	put(d.Title)
	put(d.Subtitle)
	put(d.Agency)
	put(d.AgencyName)
	put(strconv.Itoa(d.Year))
	put(d.Date)
	for _, k := range d.Keys {
		put(k)
	}
	put("\x01")
	for _, t := range d.Text {
		put(t)
	}
	return h.Sum64()
}

// keep adds d without postings when the previous index has it unchanged
// (Options.Previous), and reports whether it did.
func (b *Builder) keep(d *docRecord) bool {
	if b.prev == nil {
		return false
	}
	url := urlHash(d.URL)
	b.docMu.Lock()
	old, ok := b.prev.take(url, d.Sum)
	b.docMu.Unlock()
	if ok {
		p := &b.prev.docs[old]
		b.addDoc(d, int(p.toks), uint32(old)+1, p.title)
	}
	return ok
}

// addDoc stores d's display record and returns its provisional number:
// toks is how many distinct tokens it has, old its number in the previous
// index plus one (0: its postings are added here), title the meta of its
// title's tokens.
func (b *Builder) addDoc(d *docRecord, toks int, old uint32, title uint8) uint32 {
	url := urlHash(d.URL)
	b.docMu.Lock()
	defer b.docMu.Unlock()
	info := docInfo{
		off: b.recFlushed + int64(len(b.arena)), keyOff: int64(len(b.keys)),
		kind: b.kindIndex(d.Kind), kindRank: uint16(kindRank(d.Kind)),
		year: int32(d.Year), sum: d.Sum, url: url, old: old, toks: uint32(toks), title: title,
	}
	start := len(b.arena)
	b.arena = appendString(b.arena, d.URL)
	b.arena = appendString(b.arena, d.Title)
	b.arena = appendString(b.arena, d.Subtitle)
	b.arena = appendString(b.arena, d.Agency)
	b.arena = appendString(b.arena, d.Date)
	info.recLen = uint32(len(b.arena) - start)
	b.keys = appendString(b.keys, d.Date)
	b.keys = appendString(b.keys, d.URL)
	b.docs = append(b.docs, info)
	if d.Agency != "" {
		if old, ok := b.agencies[d.Agency]; !ok || (d.AgencyName != "" && (old == "" || d.AgencyName < old)) {
			b.agencies[d.Agency] = d.AgencyName
		}
	}
	if b.budget > 0 && int64(len(b.arena)) > b.budget/4 && b.recErr == nil {
		b.flushRecords()
	}
	return uint32(len(b.docs) - 1)
}

// kindIndex returns k's index in b.kinds, adding it (called with docMu
// held).
func (b *Builder) kindIndex(k string) uint16 {
	for i, have := range b.kinds {
		if have == k {
			return uint16(i)
		}
	}
	b.kinds = append(b.kinds, strings.Clone(k))
	return uint16(len(b.kinds) - 1)
}

// flushRecords appends the display records held in memory to the record
// file (called with docMu held). A failure is kept for Write, and the
// records stay in memory from then on.
func (b *Builder) flushRecords() {
	if b.recFile == nil {
		f, err := os.CreateTemp(b.tempDir, "zfgs-search-*.rec")
		if err == nil {
			if err = os.Remove(f.Name()); err != nil {
				f.Close()
			}
		}
		if err != nil {
			b.recErr = fmt.Errorf("搜索索引的临时文件写入失败：%w", err)
			return
		}
		b.recFile = f
	}
	if _, err := b.recFile.WriteAt(b.arena, b.recFlushed); err != nil {
		b.recErr = fmt.Errorf("搜索索引的临时文件写入失败：%w", err)
		return
	}
	b.recFlushed += int64(len(b.arena))
	b.arena = b.arena[:0]
}

// record returns the fields of provisional document i's display record
// (url, title, subtitle, agency, date). They share buf's bytes (grown as
// needed and returned) or the arena's; safe for concurrent use once every
// Add has returned.
func (b *Builder) record(i int, buf []byte) (f [5][]byte, _ []byte, err error) {
	d := &b.docs[i]
	var rec []byte
	if d.off >= b.recFlushed {
		at := d.off - b.recFlushed
		rec = b.arena[at : at+int64(d.recLen)]
	} else {
		buf = slices.Grow(buf[:0], int(d.recLen))[:d.recLen]
		if _, err := b.recFile.ReadAt(buf, d.off); err != nil {
			return f, buf, fmt.Errorf("搜索索引的临时文件读取失败：%w", err)
		}
		rec = buf
	}
	r := reader{b: rec}
	for k := range f {
		f[k] = r.bytes(r.uvarint())
	}
	return f, buf, nil
}

// sortKeys returns provisional document i's date and URL.
func (b *Builder) sortKeys(i int) (date, url []byte) {
	r := reader{b: b.keys[b.docs[i].keyOff:]}
	date = r.bytes(r.uvarint())
	url = r.bytes(r.uvarint())
	return date, url
}
