package qr

import (
	"testing"

	"rsc.io/qr/coding"
)

// TestNoFalseFinder: ZXing's detector (gozxing here, most Android scanners
// in the field) takes a finder-like cross in the data for a finder pattern
// and fails on these lowest-penalty symbols (zbar reads them); the chosen
// masks avoid that, and the codes read with the full detector, as a phone
// does. The URLs are from the site build tests and a 6,000-code survey.
func TestNoFalseFinder(t *testing.T) {
	for _, tc := range []struct {
		url   string
		level Level
	}{
		{"https://zfgs.example.gov.cn/officers/44070020002/", Q},
		{"https://zfgs.example.gov.cn/officers/44070000013/", Q},
		{"https://zfgs.example.gov.cn/officers/44070001172/", Q},
		{"https://zfgs.jiangmen.example.gov.cn/c/JM-SCJG-2025-0024/", Q},
		{"https://zfgs.jiangmen.example.gov.cn/c/JM-SCJG-2025-0708/", M},
		{"https://zfgs.jiangmen.example.gov.cn/c/JM-SCJG-2025-1435/", M},
	} {
		c := mustEncode(t, tc.url, tc.level)
		if hasFalseFinder(c.mods, c.Size) {
			t.Errorf("%s %v: mask %d has a false finder", tc.url, tc.level, c.Mask)
		}
		if got, err := decode(decodePNG(t, c.PNG(PixelsFor(25, 300), 300)), false); err != nil || got != tc.url {
			t.Errorf("%s %v (mask %d): full detector reads %q, %v", tc.url, tc.level, c.Mask, got, err)
		}
	}
	// A symbol the lowest penalty would have chosen, with a false finder:
	// the survey's case, officers/44070001172 at Q under mask 0.
	c := mustEncode(t, "https://zfgs.example.gov.cn/officers/44070001172/", Q)
	lay0, _ := getLayout(coding.Version(c.Version), coding.Level(Q), 0)
	chosen, _ := getLayout(coding.Version(c.Version), coding.Level(Q), c.Mask)
	mods := make([]byte, len(c.mods))
	for i := range mods {
		mods[i] = c.mods[i] ^ chosen.base[i] ^ lay0.base[i]
	}
	if !hasFalseFinder(mods, c.Size) {
		t.Error("mask 0 of officers/44070001172: false finder (3.5, 22) not detected")
	}
}
