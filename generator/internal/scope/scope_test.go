package scope

import "testing"

// Where each kind of file counts: a case's key must change with every file
// its checks or pages read, and with no other.
func TestPlace(t *testing.T) {
	for _, c := range []struct {
		rel, agency, within string
		skip                bool
	}{
		{"config.toml", "", "", false},
		{"layouts/case.html", "", "", false},
		{"content/calendar.toml", "", "", false},
		{"content/stats.toml", "", "", true},
		{"content/_index.md", "", "", true},
		{"content/agencies/jm-scjg", "", "", false},
		{"content/agencies/jm-scjg/agency.toml", "jm-scjg", "agency.toml", false},
		{"content/agencies/jm-scjg/catalogue.toml", "jm-scjg", "catalogue.toml", false},
		{"content/agencies/jm-scjg/benchmarks.toml", "jm-scjg", "benchmarks.toml", false},
		{"content/agencies/jm-scjg/leniency.toml", "jm-scjg", "leniency.toml", false},
		{"content/agencies/jm-scjg/cases", "", "", true},
		{"content/agencies/jm-scjg/plans", "", "", true},
		{"content/agencies/jm-scjg/stats", "", "", true},
		{"content/agencies/jm-scjg/stats/2025.toml", "", "", true},
		{"content/agencies/jm-scjg/notes/x.md", "jm-scjg", "notes/x.md", false},
	} {
		agency, within, skip := place(c.rel)
		if agency != c.agency || within != c.within || skip != c.skip {
			t.Errorf("place(%q) = %q, %q, %v; want %q, %q, %v", c.rel, agency, within, skip, c.agency, c.within, c.skip)
		}
	}
}
