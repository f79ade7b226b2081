package search

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/bits"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Sizing. Shards are cut from the token space (16-bit hash buckets) so
// that each holds about targetShardBytes of postings before compression;
// a token denser than that sits alone. Record files hold at least
// minChunkDocs documents. Both counts are capped, which keeps a
// million-document index at about 10,000 files. The shard cap was 2048:
// a million documents' shards were then 200 KB of postings each, and a
// one-decision edit, whose few hundred tokens reach as many shards,
// decoded and encoded 60 MB of them (10 s of CPU); at 8192 a shard is
// 50 KB, which also means a smaller download for each query token.
const (
	targetShardBytes = 8 << 10
	maxShards        = 8192
	maxChunks        = 2048
	minChunkDocs     = 16
	pageSize         = 10
	formatVersion    = 2
	// Dir is where the index lives, relative to the site root: the search
	// page is Dir's index.html, so the script finds the index next to it.
	Dir = "search/"
)

// Stats describes a written index.
type Stats struct {
	Docs     int   // documents
	Tokens   int   // distinct tokens
	Postings int64 // document–token pairs
	Shards   int   // token shard files
	Chunks   int   // display record files
	Files    int   // all files written
	Bytes    int64 // all bytes written
	Memory   int64 // approximate bytes the builder held at most (postings, vocabulary, records)
	Runs     int   // postings spilled to temporary run files, merged by Write
	// With Options.Previous: the documents whose postings were taken from
	// the previous index, and its shard files kept as they were.
	Kept, KeptShards int
}

// manifest is search/index.json.
type manifest struct {
	Version  int         `json:"version"`
	Build    string      `json:"build"` // 8 hex digits; also in every .bin header
	Docs     int         `json:"docs"`
	PageSize int         `json:"pageSize"`
	Kinds    []kindJSON  `json:"kinds"`
	Agencies [][2]string `json:"agencies"` // [id, name], by id
	Ranges   [][4]int    `json:"ranges"`   // [kind index, year, first document, count]: documents are ordered by kind, then year (newest first)
	Shards   int         `json:"shards"`
	Bounds   string      `json:"bounds"` // base64 of uvarint deltas: first hash bucket (top 16 bits) of shards 1…n-1
	Chunk    int         `json:"chunk"`  // documents per record file
}

type kindJSON struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// Write writes the index through write (paths relative to the site root,
// under Dir), one file at a time and in a fixed order. The bytes depend
// only on the set of documents added, not on the order of Add calls. The
// builder is spent afterwards: postings are freed as their shard is
// written.
func (b *Builder) Write(write func(rel string, data []byte) error) (Stats, error) {
	b.docMu.Lock()
	defer b.docMu.Unlock()
	defer b.Close()
	n := len(b.docs)
	st := Stats{Docs: n}
	var keptFiles atomic.Int64 // taken over by Options.Kept, not passed to write
	put := func(rel string, data []byte) error {
		if data == nil {
			return nil // taken over (Options.Kept), or its work failed: see the error
		}
		st.Files++
		st.Bytes += int64(len(data))
		return write(Dir+rel, data)
	}

	// Final document order: kind, year (newest first), date (newest
	// first), URL, then everything else.
	if b.recErr != nil {
		return st, b.recErr
	}
	order, err := b.finalOrder() // final → provisional
	if err != nil {
		return st, err
	}
	perm := make([]uint32, n) // provisional → final
	for f, p := range order {
		perm[p] = uint32(f)
	}

	m := manifest{Version: formatVersion, Docs: n, PageSize: pageSize}
	agIdx := map[string]int{}
	agIDs := make([]string, 0, len(b.agencies))
	for id := range b.agencies {
		agIDs = append(agIDs, id)
	}
	sort.Strings(agIDs)
	for i, id := range agIDs {
		agIdx[id] = i
		m.Agencies = append(m.Agencies, [2]string{id, b.agencies[id]})
	}
	kindIdx := map[string]int{}
	for _, p := range order {
		k := b.kinds[b.docs[p].kind]
		if _, ok := kindIdx[k]; !ok {
			kindIdx[k] = len(m.Kinds)
			label := k
			if r := kindRank(k); r < len(kindOrder) {
				label = kindOrder[r].Label
			}
			m.Kinds = append(m.Kinds, kindJSON{k, label})
		}
	}
	for f, p := range order {
		d := &b.docs[p]
		k, y := kindIdx[b.kinds[d.kind]], int(d.year)
		if l := len(m.Ranges); l > 0 && m.Ranges[l-1][0] == k && m.Ranges[l-1][1] == y {
			m.Ranges[l-1][3]++
		} else {
			m.Ranges = append(m.Ranges, [4]int{k, y, f, 1})
		}
	}

	st.Memory = b.memory()
	if st.Runs = len(b.runs); st.Runs > 0 {
		st.Memory = max(st.Memory, b.peak+int64(cap(b.arena)+cap(b.keys)))
	}
	if b.err != nil {
		return st, b.err
	}

	// The tokens: the spilled runs and what the stripes still hold,
	// merged in shard order (hash, then token). A first pass counts them
	// (the shard count depends on the total); the second encodes.
	runs := []run{b.memoryRun()}
	for _, f := range b.runs {
		fr, err := newFileRun(f)
		if err != nil {
			return st, err
		}
		runs = append(runs, fr)
	}
	defer func() {
		for si := range b.stripes {
			b.stripes[si].ids, b.stripes[si].lists = nil, nil
		}
	}()
	mg := newMerger(runs)
	for p := range b.docs {
		st.Postings += int64(b.docs[p].toks)
	}

	// The build id: a hash of the whole content (every document's fields
	// in final order) and the format version.
	h := uint64(14695981039346656037)
	mix := func(v uint64) {
		for i := 0; i < 8; i++ {
			h ^= v & 0xff
			h *= 1099511628211
			v >>= 8
		}
	}
	mix(formatVersion)
	for _, p := range order {
		mix(b.docs[p].sum)
	}
	m.Build = fmt.Sprintf("%08x", uint32(h^h>>32))

	// Cut shards at fixed bucket boundaries: the 65,536 hash buckets in
	// equal ranges, as many (a power of two) as give about
	// targetShardBytes a shard. Balanced cuts moved every boundary, and so
	// changed every shard, whenever anything changed; with fixed ranges a
	// shard whose tokens are untouched is byte-identical from one build to
	// the next, and a rebuild after one edit writes only the few shards
	// the edit reaches. The count changes only when the index doubles.
	// The size is estimated at 1.5 bytes a posting: the postings are
	// known without the tokens of the documents kept from the previous
	// index (Options.Previous), which are not in this builder.
	shards := 0
	if total := st.Postings * 3 / 2; total > 0 {
		shards = 1
		for shards < maxShards && int64(shards)*targetShardBytes < total {
			shards *= 2
		}
	}
	var bounds []byte
	for k := 1; k < shards; k++ {
		bounds = appendUvarint(bounds, uint64(1<<16/shards))
	}
	m.Shards = shards
	m.Bounds = base64.StdEncoding.EncodeToString(bounds)
	st.Shards = shards

	// Where each document of the previous index went (noDoc: gone), and
	// whether every one kept its number.
	var newOf []uint32
	stable := false
	if b.prev != nil {
		newOf = make([]uint32, len(b.prev.docs))
		for i := range newOf {
			newOf[i] = noDoc
		}
		for f, p := range order {
			if o := b.docs[p].old; o > 0 {
				newOf[o-1] = uint32(f)
			}
		}
		stable = true
		for i, f := range newOf {
			if f != uint32(i) {
				stable = false
				break
			}
		}
	}
	ws := &writeState{order: order, shards: make([]prevShard, shards)}
	titles := make([]uint8, n) // each document's title meta, by final number
	for f, p := range order {
		titles[f] = b.docs[p].title
	}
	var shardMu sync.Mutex
	var shardErr error
	var keptShards atomic.Int64
	fail := func(err error) {
		shardMu.Lock()
		shardErr = cmp.Or(shardErr, err)
		shardMu.Unlock()
	}

	// One goroutine merges the runs into shards, in order, a bounded
	// number ahead of the encoders.
	if err := mg.start(true); err != nil {
		return st, err
	}
	shardToks := make([]chan []mergedToken, shards)
	for i := range shardToks {
		shardToks[i] = make(chan []mergedToken, 1)
	}
	ahead := make(chan struct{}, 2*runtime.GOMAXPROCS(0)+2)
	var mergeErr error
	go func() {
		var pending mergedToken
		have := false
		for k := 0; k < shards; k++ {
			ahead <- struct{}{}
			end := uint32((k + 1) * (1 << 16 / shards)) // exclusive, in hash>>16
			var toks []mergedToken
			for mergeErr == nil {
				if !have {
					t, ok, err := mg.next(true)
					if err != nil {
						mergeErr = err
						break
					}
					if !ok {
						break
					}
					pending, have = t, true
				}
				if pending.hash>>16 >= end {
					break
				}
				toks = append(toks, pending)
				have = false
			}
			shardToks[k] <- toks
		}
	}()
	err = inOrder(shards, func(si int, sc *scratch) (string, []byte) {
		toks := <-shardToks[si]
		defer func() { <-ahead }()
		rel := shardName(si)
		var old []oldToken
		if p := b.prev; p != nil && len(p.shards) > 0 {
			width := uint32(1<<16) / uint32(shards)
			same := len(p.shards) == shards && len(toks) == 0 // nothing new in it
			moved := !stable
			if !same || moved {
				var err error
				if old, moved, err = p.oldTokens(sc, uint32(si)*width, uint32(si+1)*width, newOf); err != nil {
					fail(err)
					return rel, nil
				}
			}
			if same && !moved {
				// The previous file as it is: none of its documents is gone
				// or renumbered, and no new document has its tokens.
				if b.kept != nil && b.kept(rel, p.shards[si].sum) {
					ws.shards[si] = p.shards[si]
					keptShards.Add(1)
					keptFiles.Add(1)
					return rel, nil // taken over: nothing to write
				}
				data, err := p.shardFile(p.read, si)
				if err != nil {
					fail(err)
				}
				ws.shards[si] = p.shards[si]
				keptShards.Add(1)
				return rel, data
			}
		}
		body, info, err := b.encodeShard(sc, toks, old, perm, newOf, titles)
		if err != nil {
			fail(err)
			return rel, nil
		}
		data := b.deflate(sc, rel, body)
		info.sum = sha256.Sum256(data)
		ws.shards[si] = info
		return rel, data
	}, put)
	if err == nil {
		err = mergeErr // read after every shard was received: the merge is over
	}
	if err == nil {
		err = shardErr
	}
	if err != nil {
		return st, err
	}
	for _, s := range ws.shards {
		st.Tokens += int(s.tokens)
	}
	st.KeptShards = int(keptShards.Load())
	st.Files += int(keptFiles.Load())
	for p := range b.docs {
		if b.docs[p].old > 0 {
			st.Kept++
		}
	}
	b.state = ws
	b.closeRuns()
	for si := range b.stripes {
		b.stripes[si].ids, b.stripes[si].lists = nil, nil
	}

	// Display records.
	chunk := max(minChunkDocs, (n+maxChunks-1)/maxChunks)
	m.Chunk = chunk
	st.Chunks = (n + chunk - 1) / chunk
	var readMu sync.Mutex
	var readErr error
	err = inOrder(st.Chunks, func(c int, sc *scratch) (string, []byte) {
		first := c * chunk
		last := min(n, first+chunk)
		body := append(sc.body[:0], magicRecord...)
		body = appendUvarint(body, uint64(first))
		body = appendUvarint(body, uint64(last-first))
		for _, p := range order[first:last] {
			d := &b.docs[p]
			f, rec, err := b.record(int(p), sc.rec) // url, title, subtitle, agency, date
			sc.rec = rec
			if err != nil {
				readMu.Lock()
				readErr = cmp.Or(readErr, err)
				readMu.Unlock()
				break
			}
			body = appendUvarint(body, uint64(kindIdx[b.kinds[d.kind]]))
			ag := uint64(0)
			if i, ok := agIdx[string(f[3])]; ok {
				ag = uint64(i) + 1
			}
			body = appendUvarint(body, ag)
			body = appendUvarint(body, uint64(max(d.year, 0)))
			body = appendString(body, string(f[0]))
			body = appendString(body, string(f[1]))
			body = appendString(body, string(f[2]))
			body = appendString(body, string(f[4]))
		}
		sc.body = body
		rel := fmt.Sprintf("r/%d.bin", c)
		return rel, b.deflate(sc, rel, body)
	}, put)
	if err == nil {
		err = readErr // the build fails: what was written is never published
	}
	if err != nil {
		return st, err
	}

	if err := put("t2s.bin", deflate(t2sBody())); err != nil {
		return st, err
	}
	js, err := json.Marshal(m)
	if err != nil {
		return st, err
	}
	if err := put("index.json", append(js, '\n')); err != nil {
		return st, err
	}
	return st, nil
}

// scratch is one worker's reusable buffers.
type scratch struct {
	z                deflater
	body             []byte
	rec              []byte // a display record read back from the record file
	ids, others, pos []uint32
	pairs            []uint64
	metas            []uint8
	both             [][2]int // encodeShard's token union
	merged64         []uint64
	merged32         []uint32
	// Reading the previous index (Options.Previous).
	unz            inflater
	bodies         [][]byte
	old            []oldToken
	oldIDs, oldPos []uint32
	oldMetas       []uint8
	oldPairs       []uint64
	oldOthers      []uint32
	bits           []uint64 // sortIDs' bitmap
}

// encodeShard encodes the tokens of one shard: those added to this
// builder (toks) and those of the previous index (old, see oldTokens),
// both in (hash, token) order. A previous token that no document left,
// moved or joined is copied as it is. Each token's postings are dropped
// once encoded (shards are disjoint, so workers never share one). info
// has the shard's token count and what its bitset title blocks lose.
func (b *Builder) encodeShard(sc *scratch, toks []mergedToken, old []oldToken, perm []uint32, newOf []uint32, titles []uint8) (_ []byte, info prevShard, err error) {
	// The union of the two lists, in order: (index in toks, in old), -1
	// where a token is in one only. A previous token whose documents are
	// all gone is left out.
	both := sc.both[:0]
	for i, j := 0, 0; i < len(toks) || j < len(old); {
		switch {
		case j == len(old) || i < len(toks) && cmp.Or(cmp.Compare(toks[i].hash, old[j].hash), cmp.Compare(toks[i].tok, string(old[j].tok))) < 0:
			both = append(both, [2]int{i, -1})
			i++
		case i == len(toks) || toks[i].hash != old[j].hash || toks[i].tok != string(old[j].tok):
			if !old[j].moved || b.prev.keepsAny(sc, &old[j], newOf) {
				both = append(both, [2]int{-1, j})
			}
			j++
		default:
			both = append(both, [2]int{i, j})
			i++
			j++
		}
	}
	sc.both = both
	var exc []byte
	body := append(sc.body[:0], magicShard...)
	body = appendUvarint(body, uint64(len(both)))
	info.tokens = uint32(len(both))
	for _, ij := range both {
		pairs, others := sc.pairs[:0], sc.others[:0]
		var tok string
		if ij[0] < 0 && !old[ij[1]].moved {
			// As it was: same documents, same numbers.
			ot := &old[ij[1]]
			body = appendUvarint(body, uint64(len(ot.tok)))
			body = append(body, ot.tok...)
			body = append(body, ot.raw...)
			if ot.title {
				exc = append(exc, ot.exc...)
			}
			continue
		}
		if ij[0] >= 0 {
			tk := &toks[ij[0]]
			tok = tk.tok
			// Decode the provisional lists of every run, renumber, sort.
			for _, seg := range tk.t {
				rd := reader{b: seg}
				prov := int64(0)
				for len(rd.b) > 0 {
					prov += unzigzag(rd.uvarint())
					meta := rd.bytes(1)
					pairs = append(pairs, uint64(perm[prov])<<8|uint64(meta[0]))
				}
			}
			slices.Sort(pairs)
			for _, seg := range tk.o {
				rd := reader{b: seg}
				prov := int64(0)
				for len(rd.b) > 0 {
					prov += unzigzag(rd.uvarint())
					others = append(others, perm[prov])
				}
			}
			sc.sortIDs(others, len(perm))
			*tk = mergedToken{} // free as we go
		}
		if ij[1] >= 0 {
			ot := &old[ij[1]]
			tok = string(ot.tok)
			// Disjoint from the new documents' and sorted already.
			op, oo, err := b.prev.decode(sc, ot, newOf, sc.oldPairs[:0], sc.oldOthers[:0])
			if err != nil {
				return nil, info, err
			}
			sc.oldPairs, sc.oldOthers = op, oo
			sc.merged64 = mergeSorted(sc.merged64[:0], pairs, op)
			pairs, sc.merged64 = sc.merged64, pairs
			sc.merged32 = mergeSorted(sc.merged32[:0], others, oo)
			others, sc.merged32 = sc.merged32, others
		}
		body = appendString(body, tok)
		// Merge: every document, and the positions of the title ones.
		ids, pos, metas := sc.ids[:0], sc.pos[:0], sc.metas[:0]
		i, j := 0, 0
		for i < len(pairs) || j < len(others) {
			if j == len(others) || i < len(pairs) && uint32(pairs[i]>>8) < others[j] {
				pos = append(pos, uint32(len(ids)))
				metas = append(metas, uint8(pairs[i]))
				ids = append(ids, uint32(pairs[i]>>8))
				i++
			} else {
				ids = append(ids, others[j])
				j++
			}
		}
		body = appendIDs(body, ids)
		var bitset bool
		if body, bitset = appendTitle(body, pos, metas, len(ids)); bitset {
			exc = appendExceptions(exc, ids, pos, metas, titles)
		}
		sc.pairs, sc.others, sc.ids, sc.pos, sc.metas = pairs, others, ids, pos, metas
	}
	sc.body = body
	info.exc = exc
	return body, info, nil
}

// appendExceptions records what a bitset title block loses: its metas,
// as what most of them are plus the exceptions. Most are either each
// document's title meta (titles, by number: a token of the titles) or one
// value (a token of a key of about the same length in every document,
// such as the 文号): the header says which, then come the title
// documents whose meta differs.
func appendExceptions(exc []byte, ids, pos []uint32, metas []uint8, titles []uint8) []byte {
	var count [256]int
	byTitle := 0
	for i, q := range pos {
		count[metas[i]]++
		if metas[i] != titles[ids[q]] {
			byTitle++
		}
	}
	mode := 0
	for v := range count {
		if count[v] > count[mode] {
			mode = v
		}
	}
	expect := func(i int) uint8 { return titles[ids[pos[i]]] }
	header, n := uint64(0), byTitle
	if len(pos)-count[mode] < byTitle {
		header, n = uint64(mode)<<1|1, len(pos)-count[mode]
		expect = func(int) uint8 { return uint8(mode) }
	}
	exc = appendUvarint(exc, header)
	exc = appendUvarint(exc, uint64(n))
	last := 0
	for i := range pos {
		if metas[i] != expect(i) {
			exc = appendUvarint(exc, uint64(i-last))
			exc = append(exc, metas[i])
			last = i
		}
	}
	return exc
}

// mergeSorted appends the union of two ascending lists to dst.
func mergeSorted[T cmp.Ordered](dst, a, b []T) []T {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if a[i] < b[j] {
			dst = append(dst, a[i])
			i++
		} else {
			dst = append(dst, b[j])
			j++
		}
	}
	dst = append(dst, a[i:]...)
	return append(dst, b[j:]...)
}

// deflate compresses the body of index file rel, or takes its compressed
// form from b.compressed.
func (b *Builder) deflate(sc *scratch, rel string, body []byte) []byte {
	if b.compressed == nil {
		return sc.z.deflate(body)
	}
	if out, ok := b.compressed.Get(rel, body); ok {
		return out
	}
	out := sc.z.deflate(body)
	b.compressed.Put(rel, body, out)
	return out
}

// sortIDs sorts distinct document numbers below n. A common token's
// list holds a good part of all documents: it is sorted through a bitmap
// of n bits, in time linear in n/64 + len(ids), instead of by comparisons.
func (sc *scratch) sortIDs(ids []uint32, n int) {
	words := (n + 63) / 64
	if len(ids) < 256 || len(ids)*4 < words {
		slices.Sort(ids)
		return
	}
	if cap(sc.bits) < words {
		sc.bits = make([]uint64, words)
	}
	bm := sc.bits[:words]
	for _, id := range ids {
		bm[id>>6] |= 1 << (id & 63)
	}
	out := ids[:0]
	for w, word := range bm {
		for word != 0 {
			out = append(out, uint32(w<<6+bits.TrailingZeros64(word)))
			word &= word - 1
		}
		bm[w] = 0
	}
}

// inOrder computes files 0…n-1 on GOMAXPROCS workers and hands them to put
// in order, with a bounded number in flight.
func inOrder(n int, work func(i int, sc *scratch) (string, []byte), put func(string, []byte) error) error {
	type file struct {
		rel  string
		data []byte
	}
	workers := runtime.GOMAXPROCS(0)
	results := make([]chan file, n)
	for i := range results {
		results[i] = make(chan file, 1)
	}
	sem := make(chan struct{}, 4*workers)
	jobs := make(chan int)
	go func() {
		for i := 0; i < n; i++ {
			sem <- struct{}{}
			jobs <- i
		}
		close(jobs)
	}()
	for w := 0; w < workers; w++ {
		go func() {
			sc := &scratch{}
			for i := range jobs {
				rel, data := work(i, sc)
				results[i] <- file{rel, data}
			}
		}()
	}
	var err error
	for i := 0; i < n; i++ {
		f := <-results[i]
		<-sem
		if err == nil {
			err = put(f.rel, f.data)
		}
	}
	return err
}

// memory estimates what the builder holds: slices by capacity, map entries
// by their key bytes plus a fixed overhead.
func (b *Builder) memory() int64 {
	n := int64(cap(b.arena)+cap(b.keys)) + int64(cap(b.docs))*int64(unsafe.Sizeof(docInfo{}))
	for i := range b.stripes {
		s := &b.stripes[i]
		n += int64(cap(s.lists)) * int64(unsafe.Sizeof(plist{}))
		for j := range s.lists {
			n += int64(cap(s.lists[j].t) + cap(s.lists[j].o))
		}
		for tok := range s.ids {
			n += int64(len(tok)) + 40 // string header, value, map slot overhead
		}
	}
	return n
}

func unzigzag(v uint64) int64 { return int64(v>>1) ^ -int64(v&1) }

// compareDocs orders provisional documents i and j: kind, year (newest
// first), date (newest first), URL, the other displayed fields, and the
// hash of everything. The records are read only on a tie of URLs.
func (b *Builder) compareDocs(i, j int) (int, error) {
	x, y := &b.docs[i], &b.docs[j]
	if c := cmp.Compare(x.kindRank, y.kindRank); c != 0 {
		return c, nil
	}
	if c := cmp.Compare(b.kinds[x.kind], b.kinds[y.kind]); c != 0 {
		return c, nil
	}
	if c := cmp.Compare(y.year, x.year); c != 0 {
		return c, nil
	}
	dx, ux := b.sortKeys(i)
	dy, uy := b.sortKeys(j)
	if c := bytes.Compare(dy, dx); c != 0 { // date, newest first
		return c, nil
	}
	if c := bytes.Compare(ux, uy); c != 0 {
		return c, nil
	}
	fx, _, err := b.record(i, nil)
	if err != nil {
		return 0, err
	}
	fy, _, err := b.record(j, nil)
	if err != nil {
		return 0, err
	}
	for k := 1; k < 4; k++ {
		if c := bytes.Compare(fx[k], fy[k]); c != 0 {
			return c, nil
		}
	}
	return cmp.Compare(x.sum, y.sum), nil
}

// finalOrder returns the documents' provisional numbers in final order
// (compareDocs).
//
// The documents kept from the previous index keep their relative order
// (their fields, and so their sort keys, are the same), so they come
// from their old numbers in one pass; only the others are sorted, and the
// two runs are merged. At a million documents and one edit, that is a
// million comparisons instead of twenty million. Should the kept run not
// be in order after all (a previous index made by another version), the
// whole set is sorted as in a build without one.
func (b *Builder) finalOrder() ([]uint32, error) {
	n := len(b.docs)
	var kept, fresh []uint32
	if b.prev != nil {
		byOld := make([]uint32, len(b.prev.docs)+1) // old number + 1 → provisional + 1
		for p := range b.docs {
			if o := b.docs[p].old; o > 0 && int(o) < len(byOld) {
				byOld[o] = uint32(p) + 1
			}
		}
		kept = make([]uint32, 0, n)
		for _, p := range byOld {
			if p > 0 {
				kept = append(kept, p-1)
			}
		}
		for p := range b.docs {
			if b.docs[p].old == 0 {
				fresh = append(fresh, uint32(p))
			}
		}
	}
	var sortErr error
	compare := func(x, y uint32) int {
		c, err := b.compareDocs(int(x), int(y))
		sortErr = cmp.Or(sortErr, err)
		return c
	}
	if len(kept)+len(fresh) == n {
		inOrder := true
		for i := 1; i < len(kept) && inOrder; i++ {
			inOrder = compare(kept[i-1], kept[i]) < 0
		}
		if sortErr != nil {
			return nil, sortErr
		}
		if inOrder {
			slices.SortFunc(fresh, compare)
			order := make([]uint32, 0, n)
			for len(kept) > 0 && len(fresh) > 0 {
				if compare(kept[0], fresh[0]) < 0 {
					order, kept = append(order, kept[0]), kept[1:]
				} else {
					order, fresh = append(order, fresh[0]), fresh[1:]
				}
			}
			order = append(append(order, kept...), fresh...)
			return order, sortErr
		}
	}
	order := make([]uint32, n)
	for i := range order {
		order[i] = uint32(i)
	}
	slices.SortFunc(order, compare)
	return order, sortErr
}

// t2sBody encodes the Traditional → Simplified table for the browser.
func t2sBody() []byte {
	keys := make([]rune, 0, len(t2s))
	for k := range t2s {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b := append([]byte(nil), magicT2S...)
	b = appendUvarint(b, uint64(len(keys)))
	prev, prevV := rune(0), rune(0)
	for _, k := range keys {
		b = appendUvarint(b, uint64(k-prev))
		b = appendZigzag(b, int64(t2s[k]-prevV))
		prev, prevV = k, t2s[k]
	}
	return b
}
