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
	Mask    int   // 0..7, the mask pattern chosen by the penalty rules

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
// penalty is chosen. Bytes are encoded as they are, without an ECI header:
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

	n := 17 + 4*int(v)
	buf := make([]byte, 2*n*n)
	cur, best := buf[:n*n], buf[n*n:]
	bestMask, bestPenalty := -1, int(^uint(0)>>1)
	for m := 0; m < 8; m++ {
		p, err := plan(v, l, m)
		if err != nil {
			return nil, err
		}
		place(cur, p, data)
		if pen := penalty(cur, n); pen < bestPenalty {
			bestMask, bestPenalty = m, pen
			cur, best = best, cur
		}
	}
	return &Code{Size: n, Version: int(v), Level: level, Mask: bestMask, mods: best}, nil
}

// plans caches rsc.io/qr/coding plans (the role of every module for one
// version, level and mask). Building a plan allocates a grid per call, and a
// site build encodes up to a million codes over a handful of versions, so
// each plan is built once. Plans are read-only after construction, which
// makes sharing them between goroutines safe.
var plans [(coding.MaxVersion + 1) * 4 * 8]atomic.Pointer[coding.Plan]

func plan(v coding.Version, l coding.Level, mask int) (*coding.Plan, error) {
	slot := &plans[(int(v)*4+int(l))*8+mask]
	if p := slot.Load(); p != nil {
		return p, nil
	}
	p, err := coding.NewPlan(v, l, coding.Mask(mask))
	if err != nil {
		return nil, err
	}
	slot.CompareAndSwap(nil, p)
	return slot.Load(), nil
}

// place writes the modules of plan p carrying the codewords data into mods.
// It is what coding.Plan.Encode does, minus the Reed–Solomon work, so the
// eight candidate masks share one encoding of the data.
func place(mods []byte, p *coding.Plan, data []byte) {
	n := len(p.Pixel)
	for y, row := range p.Pixel {
		out := mods[y*n : y*n+n]
		for x, pix := range row {
			dark := pix&coding.Black != 0
			if r := pix.Role(); r == coding.Data || r == coding.Check {
				o := pix.Offset()
				if data[o/8]&(1<<(7-o&7)) != 0 {
					dark = !dark
				}
			}
			if dark {
				out[x] = 1
			} else {
				out[x] = 0
			}
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
// does.
func penalty(mods []byte, n int) int {
	total := 0
	dark := 0
	for i := 0; i < n; i++ {
		total += linePenalty(mods, i*n, 1, n) // row i
		total += linePenalty(mods, i, n, n)   // column i
	}
	for y := 0; y < n; y++ {
		row := mods[y*n : y*n+n]
		for x := 0; x < n; x++ {
			dark += int(row[x])
		}
		if y == n-1 {
			break
		}
		next := mods[(y+1)*n : (y+1)*n+n]
		for x := 0; x < n-1; x++ {
			c := row[x]
			if row[x+1] == c && next[x] == c && next[x+1] == c {
				total += penBlock
			}
		}
	}
	all := n * n
	diff := dark*2 - all
	if diff < 0 {
		diff = -diff
	}
	total += diff * 10 / all * penBalance
	return total
}

// linePenalty applies rules 1 and 3 to the n modules mods[start],
// mods[start+step], … (a row when step is 1, a column when step is n).
func linePenalty(mods []byte, start, step, n int) int {
	at := func(i int) byte {
		if i < 0 || i >= n {
			return 0
		}
		return mods[start+i*step]
	}
	light4 := func(from int) bool {
		return at(from)|at(from+1)|at(from+2)|at(from+3) == 0
	}
	total := 0
	run := 0
	var last byte = 2
	for i := 0; i < n; i++ {
		c := mods[start+i*step]
		if c == last {
			run++
		} else {
			if run >= 5 {
				total += penRun + run - 5
			}
			last, run = c, 1
		}
		// Finder look-alike dark-light-dark-dark-dark-light-dark at i..i+6.
		if c == 1 && i+6 < n &&
			at(i+1) == 0 && at(i+2) == 1 && at(i+3) == 1 &&
			at(i+4) == 1 && at(i+5) == 0 && at(i+6) == 1 &&
			(light4(i-4) || light4(i+7)) {
			total += penFinder
		}
	}
	if run >= 5 {
		total += penRun + run - 5
	}
	return total
}
