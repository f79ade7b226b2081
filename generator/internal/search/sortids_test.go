package search

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// sortIDs must give what slices.Sort gives for distinct document numbers,
// at every density (the bitmap path and the comparison path).
func TestSortIDsMatchesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var sc scratch
	for _, n := range []int{1, 63, 64, 65, 1000, 70000} {
		for _, k := range []int{0, 1, 255, 256, 300, 5000, 70000} {
			if k > n {
				continue
			}
			ids := make([]uint32, 0, k)
			for _, v := range rng.Perm(n)[:k] {
				ids = append(ids, uint32(v))
			}
			want := slices.Sorted(slices.Values(ids))
			sc.sortIDs(ids, n)
			if !slices.Equal(ids, want) {
				t.Fatalf("n=%d k=%d: sortIDs differs from slices.Sort", n, k)
			}
			for _, w := range sc.bits {
				if w != 0 {
					t.Fatalf("n=%d k=%d: bitmap not cleared for the next token", n, k)
				}
			}
		}
	}
}
