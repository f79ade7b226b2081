package content

import "testing"

func TestPaperFix(t *testing.T) {
	for line, want := range map[string]string{
		"decided = 2025年1月24日":           "decided = 2025-01-24",
		"decided = 2025/1/24 # 决定日期":     "decided = 2025-01-24",
		"  published = “2025-01-24”":     "published = 2025-01-24",
		"fine = 5,000":                   "fine = 5000",
		"fine = 5000元":                   "fine = 5000",
		"fine = ０.５万元":                   "fine = 5000",
		"confiscated = 人民币玖元":            "confiscated = 9",
		`"罚款" = 1.2万`:                    `"罚款" = 12000`,
		"cert_no = 4407 0010 001":        "", // a code, not a sum
		"name = 江门市某某商行":                 "",
		"[decision]":                     "",
		"kinds = [\"罚款\"], fine = 5000元": "", // not one key = value
		"text = 罚款人民币伍仟元整，没收违法所得":        "",
		"# fine = 5000元":                 "",
		"fine = -5000元":                  "",
	} {
		got, advice, ok := paperFix(line)
		if got != want || ok != (want != "") || ok && advice == "" {
			t.Errorf("paperFix(%q) = %q, %q, %v; want %q", line, got, advice, ok, want)
		}
	}
}
