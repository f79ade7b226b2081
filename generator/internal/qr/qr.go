// Package qr makes the QR code printed on every decision document ("一案一码").
// The code encodes exactly {base_url}/c/<case-id>/ and is printed on paper
// that people scan for years, so the package optimises for one thing above
// all: the largest possible modules at a fixed printed size. It does so by
// picking the smallest QR version that holds the text (mixed-mode segments)
// and the mask the standard's penalty rules prefer.
//
// The symbol itself (Reed–Solomon, block interleaving, module placement,
// format and version information) comes from rsc.io/qr/coding, which is
// small, dependency-free and has been stable for a decade. rsc.io/qr's own
// Encode is not used because it always uses mask 0 (it carries a "TODO: Pick
// appropriate mask") and encodes the whole text in a single mode, which puts
// a lowercase URL with an uppercase case ID one version higher than needed.
// Both are done here on top of rsc.io/qr/coding.
//
// Output is deterministic: the same text and level give the same modules,
// SVG bytes and (for one Go toolchain) PNG bytes, so rebuilding a site does
// not churn a million files and a reprinted decision shows the same picture.
package qr

import (
	"errors"
	"fmt"
	"math/bits"
	"sync/atomic"

	"rsc.io/qr/coding"
)

// Level is a QR error-correction level. A higher level survives more damage
// (stains, folds, a staple through the code) at the price of a larger version
// and therefore smaller modules at the same printed size.
type Level int

// The four levels of ISO/IEC 18004, in rising order of redundancy. The
// values match rsc.io/qr/coding.Level so they convert directly.
const (
	L Level = iota // recovers about 7% of codewords
	M              // about 15%
	Q              // about 25%
	H              // about 30%
)

// String returns the level's letter, as ParseLevel accepts it.
func (l Level) String() string {
	if L <= l && l <= H {
		return "LMQH"[l : l+1]
	}
	return fmt.Sprintf("Level(%d)", int(l))
}

// ParseLevel parses "L", "M", "Q" or "H". It is strict (no lowercase, no
// spaces) because the value comes from site configuration, where a typo
// should be reported rather than silently mapped to a default.
func ParseLevel(s string) (Level, error) {
	switch s {
	case "L":
		return L, nil
	case "M":
		return M, nil
	case "Q":
		return Q, nil
	case "H":
		return H, nil
	}
	return 0, fmt.Errorf("qr: unknown error-correction level %q (want L, M, Q or H)", s)
}

// QuietZone is the width, in modules, of the light margin around the symbol.
// ISO/IEC 18004 requires 4; SVG and PNG always include it because the paper
// layout around the code (table rules, a seal) must not be relied on to be
// white.
const QuietZone = 4

// maxTextLen bounds the input before any work is done: 7089 is the numeric
// capacity of version 40-L, the most any QR code can hold.
const maxTextLen = 7089

// Code is an encoded QR symbol: a Size×Size grid of modules, without the
// quiet zone.
type Code struct {
	Size    int   // modules per side, 17+4*Version
	Version int   // 1..40
	Level   Level // error-correction level it was encoded at
	Mask    int   // 0..7, the mask pattern chosen (penalty rules, no false finder)

	mods []byte // Size*Size bytes, row-major, 1 = dark
}

// Black reports whether the module at column x, row y is dark. Coordinates
// outside the symbol (the quiet zone and beyond) are light, so callers can
// iterate over the padded area without bounds checks.
func (c *Code) Black(x, y int) bool {
	return 0 <= x && x < c.Size && 0 <= y && y < c.Size && c.mods[y*c.Size+x] != 0
}

// Encode encodes text at the given level in the smallest version that holds
// it. The text is split into numeric, alphanumeric and byte segments where
// that saves bits (so the uppercase case ID in a lowercase URL costs 5.5
// bits a character, not 8), and the mask with the lowest ISO/IEC 18004
// penalty is chosen among those without a false finder pattern (see
// finder.go). Bytes are encoded as they are, without an ECI header:
// URLs are ASCII, and an ECI would only confuse older scanners.
//
// Encode fails for an empty text (a code that scans to nothing is always a
// bug upstream), an unknown level, or a text too long for version 40.
func Encode(text string, level Level) (*Code, error) {
	if level < L || level > H {
		return nil, fmt.Errorf("qr: invalid level %d", int(level))
	}
	if text == "" {
		return nil, errors.New("qr: empty text")
	}
	if len(text) > maxTextLen {
		return nil, fmt.Errorf("qr: text of %d bytes is too long for a QR code", len(text))
	}
	l := coding.Level(level)

	// Find the smallest version whose capacity holds the optimal
	// segmentation for that version's size class (the class fixes the
	// width of the character-count fields, so the optimum can differ).
	var (
		segs    []coding.Encoding
		scratch = make([]uint8, 4*len(text))
		class   = -1
		v       coding.Version
	)
	for v = coding.MinVersion; ; v++ {
		if v > coding.MaxVersion {
			return nil, fmt.Errorf("qr: text of %d bytes is too long for a QR code at level %v", len(text), level)
		}
		if c := sizeClass(v); c != class {
			class = c
			segs = segment(segs[:0], text, class, scratch)
		}
		if bits, ok := segBits(segs, v, class); ok && bits <= v.DataBytes(l)*8 {
			break
		}
	}

	var b coding.Bits
	for _, s := range segs {
		s.Encode(&b, v)
	}
	b.AddCheckBytes(v, l)
	data := b.Bytes()

	// Score the eight masks, then take the lowest penalty whose symbol has
	// no false finder pattern (finder.go); if every mask has one (not seen
	// in practice), the lowest penalty.
	n := 17 + 4*int(v)
	mods := make([]byte, n*n)
	var lays [8]*layout
	var pens [8]int
	order := [8]int{0, 1, 2, 3, 4, 5, 6, 7}
	for m := range lays {
		lay, err := getLayout(v, l, m)
		if err != nil {
			return nil, err
		}
		lay.place(mods, data)
		lays[m], pens[m] = lay, penalty(mods, n)
	}
	// Insertion sort, stable: equal penalties keep the lower mask number.
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && pens[order[j]] < pens[order[j-1]]; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	mask, placed := order[0], -1
	for _, m := range order {
		lays[m].place(mods, data)
		placed = m
		if !hasFalseFinder(mods, n) {
			mask = m
			break
		}
	}
	if placed != mask {
		lays[mask].place(mods, data)
	}
	return &Code{Size: n, Version: int(v), Level: level, Mask: mask, mods: mods}, nil
}

// layouts caches, for each version, level and mask, where every module
// goes: built from an rsc.io/qr/coding plan once and shared. Building a plan
// allocates a grid per call, and a site build encodes up to a million codes
// over a handful of versions. Layouts are read-only after construction,
// which makes sharing them between goroutines safe.
var layouts [(coding.MaxVersion + 1) * 4 * 8]atomic.Pointer[layout]

// layout is a plan flattened for speed: the symbol as it looks when every
// codeword bit is 0 (function patterns, format and version information, and
// the mask already applied), and the module that each codeword bit flips.
type layout struct {
	base []byte   // Size*Size modules, 1 = dark
	pos  []uint16 // pos[i] is the module index of codeword bit i (MSB first)
}

// getLayout returns the layout of version v, level l and mask, building it
// on first use.
func getLayout(v coding.Version, l coding.Level, mask int) (*layout, error) {
	slot := &layouts[(int(v)*4+int(l))*8+mask]
	if lay := slot.Load(); lay != nil {
		return lay, nil
	}
	p, err := coding.NewPlan(v, l, coding.Mask(mask))
	if err != nil {
		return nil, err
	}
	n := len(p.Pixel)
	lay := &layout{
		base: make([]byte, n*n),
		pos:  make([]uint16, 8*(p.DataBytes+p.CheckBytes)),
	}
	for y, row := range p.Pixel {
		for x, pix := range row {
			if pix&coding.Black != 0 {
				lay.base[y*n+x] = 1
			}
			if r := pix.Role(); r == coding.Data || r == coding.Check {
				lay.pos[pix.Offset()] = uint16(y*n + x)
			}
		}
	}
	slot.CompareAndSwap(nil, lay)
	return slot.Load(), nil
}

// place writes into mods the symbol of lay carrying the codewords data. A
// set codeword bit inverts its module (the mask is already in base), which
// is what coding.Plan.Encode does, minus the Reed–Solomon work, so the
// eight candidate masks share one encoding of the data.
func (lay *layout) place(mods []byte, data []byte) {
	copy(mods, lay.base)
	for i, d := range data {
		if d == 0 {
			continue
		}
		for j, p := range lay.pos[i*8 : i*8+8] {
			mods[p] ^= d >> (7 - j) & 1
		}
	}
}

// sizeClass returns 0 for versions 1–9, 1 for 10–26 and 2 for 27–40: the
// ranges over which the character-count fields keep their width.
func sizeClass(v coding.Version) int {
	switch {
	case v <= 9:
		return 0
	case v <= 26:
		return 1
	}
	return 2
}

// Segment modes, in the order of the tables below.
const (
	modeNum = iota
	modeAlpha
	modeByte
	numModes
)

// countBits is the width of the character-count field, by size class and
// mode (ISO/IEC 18004 table 3).
var countBits = [3][numModes]int{
	{10, 9, 8},
	{12, 11, 16},
	{14, 13, 16},
}

// charCost is the cost of one input byte in each mode, in sixths of a bit:
// a digit is 10/3 bits, an alphanumeric character 11/2, a byte 8. Sixths
// keep the dynamic programme in integers.
var charCost = [numModes]int{20, 33, 48}

// alnum marks the 45 characters of alphanumeric mode. Only uppercase
// letters are in it, which is why an all-uppercase URL encodes so well.
var alnum = func() (t [256]bool) {
	for _, c := range []byte("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:") {
		t[c] = true
	}
	return t
}()

// segment appends to segs the segmentation of text that needs the fewest
// bits for the given size class: the classic dynamic programme over "which
// mode is the current segment in" (as in Nayuki's QR library), with costs in
// sixths of a bit and each finished segment rounded up to whole bits.
// scratch must hold 4*len(text) bytes: the first three quarters record, for
// every byte and every state, the mode that byte was encoded in; the last
// quarter receives the chosen mode of every byte.
func segment(segs []coding.Encoding, text string, class int, scratch []uint8) []coding.Encoding {
	var head [numModes]int
	for m := range head {
		head[m] = (4 + countBits[class][m]) * 6
	}
	const inf = int(^uint(0) >> 2)
	prev := head
	for i := 0; i < len(text); i++ {
		c := text[i]
		from := scratch[i*numModes : i*numModes+numModes]
		cur := [numModes]int{inf, inf, inf}
		cur[modeByte] = prev[modeByte] + charCost[modeByte]
		from[modeByte] = modeByte
		if alnum[c] {
			cur[modeAlpha] = prev[modeAlpha] + charCost[modeAlpha]
			from[modeAlpha] = modeAlpha
		}
		if '0' <= c && c <= '9' {
			cur[modeNum] = prev[modeNum] + charCost[modeNum]
			from[modeNum] = modeNum
		}
		// Switching after byte i: finish the segment (round up to whole
		// bits) and pay the next segment's header.
		ended := cur
		for to := 0; to < numModes; to++ {
			for fm := 0; fm < numModes; fm++ {
				if ended[fm] >= inf {
					continue
				}
				if cost := (ended[fm]+5)/6*6 + head[to]; cost < cur[to] {
					cur[to] = cost
					from[to] = uint8(fm)
				}
			}
		}
		prev = cur
	}

	// Trace back from the cheapest final state, then cut runs of equal
	// mode into segments.
	m := 0
	for k := 1; k < numModes; k++ {
		if prev[k] < prev[m] {
			m = k
		}
	}
	modes := scratch[numModes*len(text) : (numModes+1)*len(text)]
	for i := len(text) - 1; i >= 0; i-- {
		m = int(scratch[i*numModes+m])
		modes[i] = uint8(m)
	}
	start := 0
	for i := 1; i <= len(text); i++ {
		if i < len(text) && modes[i] == modes[start] {
			continue
		}
		s := text[start:i]
		switch modes[start] {
		case modeNum:
			segs = append(segs, coding.Num(s))
		case modeAlpha:
			segs = append(segs, coding.Alpha(s))
		default:
			segs = append(segs, coding.String(s))
		}
		start = i
	}
	return segs
}

// segBits returns the number of data bits segs take in version v, and false
// if a segment is too long for its character-count field.
func segBits(segs []coding.Encoding, v coding.Version, class int) (int, bool) {
	total := 0
	for _, s := range segs {
		var n, m int
		switch s := s.(type) {
		case coding.Num:
			n, m = len(s), modeNum
		case coding.Alpha:
			n, m = len(s), modeAlpha
		case coding.String:
			n, m = len(s), modeByte
		}
		if n >= 1<<countBits[class][m] {
			return 0, false
		}
		total += s.Bits(v)
	}
	return total, true
}

// Penalty weights N1–N4 of ISO/IEC 18004 §7.8.3.
const (
	penRun     = 3  // N1: a run of 5+ same-colour modules, plus 1 per extra
	penBlock   = 3  // N2: each 2×2 block of one colour
	penFinder  = 40 // N3: a 1:1:3:1:1 finder look-alike next to 4 light modules
	penBalance = 10 // N4: each 5% the dark share strays from 50%
)

// penalty scores a masked symbol by the four rules of ISO/IEC 18004 §7.8.3.
// A lower score means fewer finder look-alikes and large flat areas, which
// is what lets a phone lock onto a worn or skewed print. Rule 3 treats
// modules outside the symbol as light (they are the quiet zone), as ZXing
// does, and counts a look-alike once even if both sides are light.
func penalty(mods []byte, n int) int {
	if n <= maxBitsSide {
		return penaltyBits(mods, n)
	}
	// line holds one row or column with 4 light modules of padding on
	// each side, so rule 3 needs no bounds checks.
	var buf [177 + 8]byte
	line := buf[:n+8]
	total, dark := 0, 0
	for i := 0; i < n; i++ {
		copy(line[4:], mods[i*n:i*n+n])
		total += linePenalty(line)
		for y := 0; y < n; y++ {
			line[4+y] = mods[y*n+i]
		}
		total += linePenalty(line)
	}
	for y := 0; y < n; y++ {
		row := mods[y*n : y*n+n]
		for _, m := range row {
			dark += int(m)
		}
		if y == n-1 {
			break
		}
		// Rule 2, branch-free (module values are 0 or 1): a block
		// scores when no neighbour differs from its top-left module.
		next := mods[(y+1)*n : (y+1)*n+n]
		blocks := 0
		for x := 0; x < n-1; x++ {
			c := row[x]
			blocks += int(1 ^ ((c ^ row[x+1]) | (c ^ next[x]) | (c ^ next[x+1])))
		}
		total += blocks * penBlock
	}
	all := n * n
	diff := dark*2 - all
	if diff < 0 {
		diff = -diff
	}
	return total + diff*10/all*penBalance
}

// runScore[k] is what the k-th module of a run adds under rule 1 (capped
// at 6): N1 when the run reaches 5 modules, 1 for each module after that.
var runScore = [7]int{0, 0, 0, 0, 0, penRun, 1}

// linePenalty applies rules 1 and 3 to one padded line (4 light modules,
// the row or column, 4 light modules). Rule 1 is scored module by module
// rather than run by run so the loop has no data-dependent branch; the
// symbol is noise-like, and mispredicted branches were most of its cost.
func linePenalty(line []byte) int {
	total := 0
	end := len(line) - 4
	run := 0
	prev := byte(2)
	var w uint // the last 7 modules, newest in bit 0
	for i := 4; i < end; i++ {
		c := line[i]
		same := 0
		if c == prev {
			same = 1
		}
		run = run*same + 1
		total += runScore[min(run, 6)]
		prev = c
		// Rule 3: dark-light-dark-dark-dark-light-dark ending at i, with
		// 4 light modules before or after it.
		w = (w<<1 | uint(c)) & 0x7F
		if w == 0x5D && i >= 4+6 &&
			(line[i-10]|line[i-9]|line[i-8]|line[i-7] == 0 ||
				line[i+1]|line[i+2]|line[i+3]|line[i+4] == 0) {
			total += penFinder
		}
	}
	return total
}

// maxBitsSide is the largest symbol (version 9, 53 modules; the limit is
// 56) whose rows and columns, with 4 light modules either side, fit a
// uint64: penaltyBits handles it. Case URLs are versions 3–6.
const maxBitsSide = 56

// penaltyBits is penalty on bitsets, a row or column a word, for symbols
// of at most maxBitsSide modules: the same score in a few dozen word
// operations per line instead of a loop per module. It was 6% of a
// million-decision build's CPU (eight masks a code).
func penaltyBits(mods []byte, n int) int {
	var rows, cols [maxBitsSide]uint64 // bit x of rows[y] and bit y of cols[x]: module (x, y)
	for y := 0; y < n; y++ {
		var w uint64
		for x, m := range mods[y*n : y*n+n] {
			b := uint64(m & 1)
			w |= b << x
			cols[x] |= b << y
		}
		rows[y] = w
	}
	total, dark := 0, 0
	for i := 0; i < n; i++ {
		total += linePenaltyBits(rows[i], n) + linePenaltyBits(cols[i], n)
		dark += bits.OnesCount64(rows[i])
	}
	// Rule 2: bit x of a block row is set when the 2×2 block at (x, y) is
	// of one colour.
	inner := uint64(1)<<(n-1) - 1 // x = 0 … n-2
	for y := 0; y+1 < n; y++ {
		a, b := rows[y], rows[y+1]
		same := ^(a ^ b) & ^(a ^ a>>1) & ^(b ^ b>>1) & inner
		total += bits.OnesCount64(same) * penBlock
	}
	all := n * n
	diff := dark*2 - all
	if diff < 0 {
		diff = -diff
	}
	return total + diff*10/all*penBalance
}

// linePenaltyBits scores rules 1 and 3 on one line of n modules (bit i is
// module i), as linePenalty does.
func linePenaltyBits(w uint64, n int) int {
	mask := uint64(1)<<n - 1
	// Rule 1: bit i of same is set when module i has the colour of module
	// i-1; a run has reached 5 at i when four such bits end at i.
	same := ^(w ^ w<<1) & mask &^ 1
	five := same & (same << 1) & (same << 2) & (same << 3)
	six := five & (same << 4)
	total := bits.OnesCount64(five)*penRun - bits.OnesCount64(six)*(penRun-1)
	// Rule 3, with the line shifted 4 to the left so that the light
	// modules around it are bits too: 1011101 starting at bit q, with
	// four light modules before it or after it.
	p := w << 4
	light := ^p & (mask<<4 | 0xF | (0xF << (n + 4)))
	finder := p & ^(p >> 1) & (p >> 2) & (p >> 3) & (p >> 4) & ^(p >> 5) & (p >> 6)
	finder &= (uint64(1)<<(n-6) - 1) << 4 // q = 4 … n-3: the look-alike inside the line
	before := (light << 1) & (light << 2) & (light << 3) & (light << 4)
	after := (light >> 7) & (light >> 8) & (light >> 9) & (light >> 10)
	return total + bits.OnesCount64(finder&(before|after))*penFinder
}
