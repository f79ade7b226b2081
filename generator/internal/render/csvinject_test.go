package render

import (
	"encoding/csv"
	"strings"
	"testing"
)

// Text cells that a spreadsheet would run as a formula are written with a
// leading apostrophe; numbers and ordinary text are unchanged.
func TestCSVInjection(t *testing.T) {
	fine := 5.0
	d := &dataset{cols: []column{{"a", "甲"}, {"b", "乙"}, {"c", "丙"}}}
	d.add(`=HYPERLINK("http://evil.example","x")`, "+cmd|' /C calc'!A0", &fine)
	d.add("@SUM(1+1)", []string{"-2+3", "x"}, -3)
	d.add("普通文字", "\t=1", "a=b")
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(d.CSV()), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"甲", "乙", "丙"},
		{`'=HYPERLINK("http://evil.example","x")`, "'+cmd|' /C calc'!A0", "5"},
		{"'@SUM(1+1)", "'-2+3；x", "-3"},
		{"普通文字", "'\t=1", "a=b"}}
	for i := range want {
		for j := range want[i] {
			if recs[i][j] != want[i][j] {
				t.Errorf("row %d col %d: %q, want %q", i, j, recs[i][j], want[i][j])
			}
		}
	}
}
