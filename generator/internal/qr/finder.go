package qr

// False finder patterns.
//
// A reader locates a symbol by its three finder patterns: a dark–light–
// dark–light–dark run of about 1:1:3:1:1 across a row and down a column.
// Data modules form such crosses by chance, and the mask penalty of ISO/IEC
// 18004 (rule 3) only counts a 1:1:3:1:1 run that has four light modules
// beside it. ZXing (and its ports: gozxing, most Android scanners) accept a
// cross far more loosely and then pick the three candidates that form the
// most nearly isosceles right triangle: on a sharp print a stray cross in
// the data can win, and the code does not scan. Measured with gozxing on
// 6,000 typical case and officer URLs, about 0.5% of the lowest-penalty
// symbols failed that way (zbar read them all).
//
// So Encode prefers, among the masks in order of penalty, the first whose
// symbol has no cross that ZXing's finder would accept outside the three
// real finder patterns. falseFinders replays ZXing's row scan and its
// vertical and horizontal cross-checks (FinderPatternFinder, same
// tolerances) on the module grid with the quiet zone around it.

// finderRatio is ZXing's foundPatternCross: five non-empty runs whose
// lengths are within half a module of 1:1:3:1:1, the module being 1/7 of
// the total. (ZXing also wants 7 pixels at least; a printed module is
// several pixels, so that test does not apply on the module grid: 1:1:2:1:1
// passes.)
func finderRatio(s *[5]int) bool {
	total := 0
	for _, c := range s {
		if c == 0 {
			return false
		}
		total += c
	}
	// Compare 7·count with total so the test stays in integers: |m - c| <
	// m/2 with m = total/7 becomes |total - 7c| < total/2, i.e.
	// 2·|total - 7c| < total (and the centre: 2·|3·total - 7c| < 3·total).
	abs := func(v int) int {
		if v < 0 {
			return -v
		}
		return v
	}
	return 2*abs(total-7*s[0]) < total &&
		2*abs(total-7*s[1]) < total &&
		2*abs(3*total-7*s[2]) < 3*total &&
		2*abs(total-7*s[3]) < total &&
		2*abs(total-7*s[4]) < total
}

// finderGrid is a symbol with its quiet zone, as a reader's binarised image
// at one pixel a module.
type finderGrid struct {
	mods []byte
	n    int
}

// dark reports the module at image coordinates (x, y), where the symbol
// starts at QuietZone.
func (g finderGrid) dark(x, y int) bool {
	x -= QuietZone
	y -= QuietZone
	return uint(x) < uint(g.n) && uint(y) < uint(g.n) && g.mods[y*g.n+x] != 0
}

// crossCheck is ZXing's CrossCheckVertical (vertical) or
// CrossCheckHorizontal: from a dark module at (x, y), count the five runs
// through it along one axis, and return the centre along that axis in
// image units, or false. slack is how far the new total may stray from
// the original, in fifths (2 vertically, 1 horizontally, as ZXing).
func (g finderGrid) crossCheck(x, y int, vertical bool, maxCount, origTotal, slack int) (float64, bool) {
	side := g.n + 2*QuietZone
	at := func(i int) bool {
		if vertical {
			return g.dark(x, i)
		}
		return g.dark(i, y)
	}
	start := x
	if vertical {
		start = y
	}
	var s [5]int
	i := start
	for i >= 0 && at(i) {
		s[2]++
		i--
	}
	if i < 0 {
		return 0, false
	}
	for i >= 0 && !at(i) && s[1] <= maxCount {
		s[1]++
		i--
	}
	if i < 0 || s[1] > maxCount {
		return 0, false
	}
	for i >= 0 && at(i) && s[0] <= maxCount {
		s[0]++
		i--
	}
	if s[0] > maxCount {
		return 0, false
	}
	i = start + 1
	for i < side && at(i) {
		s[2]++
		i++
	}
	if i == side {
		return 0, false
	}
	for i < side && !at(i) && s[3] < maxCount {
		s[3]++
		i++
	}
	if i == side || s[3] >= maxCount {
		return 0, false
	}
	for i < side && at(i) && s[4] < maxCount {
		s[4]++
		i++
	}
	if s[4] >= maxCount {
		return 0, false
	}
	total := s[0] + s[1] + s[2] + s[3] + s[4]
	d := total - origTotal
	if d < 0 {
		d = -d
	}
	if 5*d >= slack*origTotal || !finderRatio(&s) {
		return 0, false
	}
	return float64(i-s[4]-s[3]) - float64(s[2])/2, true
}

// hasFalseFinder reports whether a reader scanning mods (n×n) would find a
// finder-pattern candidate away from the three real ones.
func hasFalseFinder(mods []byte, n int) bool {
	g := finderGrid{mods: mods, n: n}
	side := n + 2*QuietZone
	// The real centres lie 3.5 modules in from the symbol's edges.
	near := func(cx, cy float64) bool {
		for _, c := range [3][2]float64{{3.5, 3.5}, {float64(n) - 3.5, 3.5}, {3.5, float64(n) - 3.5}} {
			dx, dy := cx-QuietZone-c[0], cy-QuietZone-c[1]
			if dx*dx+dy*dy <= 4 {
				return true
			}
		}
		return false
	}
	var runs [177 + 2*QuietZone]int
	for y := QuietZone; y < QuietZone+n; y++ {
		// The row as runs; runs[0] is the light quiet zone, so dark runs
		// are the odd ones.
		k, x := 0, 0
		for x < side {
			d := g.dark(x, y)
			l := 0
			for x < side && g.dark(x, y) == d {
				l++
				x++
			}
			runs[k] = l
			k++
		}
		end := 0
		for r := 0; r < k; r++ {
			end += runs[r]
			if r%2 != 1 || r < 5 {
				continue // the window must end on a dark run
			}
			// Window runs r-4..r: dark, light, dark, light, dark.
			s := [5]int{runs[r-4], runs[r-3], runs[r-2], runs[r-1], runs[r]}
			if !finderRatio(&s) {
				continue
			}
			total := s[0] + s[1] + s[2] + s[3] + s[4]
			cx := float64(end-s[4]-s[3]) - float64(s[2])/2
			cy, ok := g.crossCheck(int(cx), y, true, s[2], total, 2)
			if !ok {
				continue
			}
			cx, ok = g.crossCheck(int(cx), int(cy), false, s[2], total, 1)
			if ok && !near(cx, cy) {
				return true
			}
		}
	}
	return false
}
