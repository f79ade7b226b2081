package render

import (
	"fmt"
	"strings"
	"testing"

	"zfgs/generator/internal/model"
)

func TestCSVIsExcelFriendlyRFC4180(t *testing.T) {
	d := &dataset{cols: []column{{"a", "名称"}, {"b", "金额(元)"}, {"c", "日期"}}}
	fine := 1200.5
	d.add("某某公司，\"分店\"\n二楼", &fine, model.DateOf(2025, 3, 2))
	d.add("无", (*float64)(nil), model.Date(0))
	got := string(d.CSV())
	want := "\uFEFF名称,金额(元),日期\r\n\"某某公司，\"\"分店\"\"\r\n二楼\",1200.5,2025-03-02\r\n无,,\r\n"
	if got != want {
		t.Errorf("CSV\n got %q\nwant %q", got, want)
	}
	j := string(d.JSON())
	wantJSON := "[\n{\"a\":\"某某公司，\\\"分店\\\"\\n二楼\",\"b\":1200.5,\"c\":\"2025-03-02\"},\n{\"a\":\"无\",\"b\":null,\"c\":null}\n]\n"
	if j != wantJSON {
		t.Errorf("JSON\n got %q\nwant %q", j, wantJSON)
	}
}

func TestSitemapSplitsAtLimit(t *testing.T) {
	var urls []string
	for i := 0; i < 5; i++ {
		urls = append(urls, fmt.Sprintf("https://x.gov.cn/c/%d/", i))
	}
	one := sitemapFiles("https://x.gov.cn", urls, 5)
	if len(one) != 1 || !strings.Contains(string(one["sitemap.xml"]), "<urlset") {
		t.Fatalf("5 URLs at limit 5: want one urlset, got %d files", len(one))
	}
	split := sitemapFiles("https://x.gov.cn", urls, 2)
	if len(split) != 4 {
		t.Fatalf("want index + 3 parts, got %d files", len(split))
	}
	index := string(split["sitemap.xml"])
	for _, n := range []string{"sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"} {
		if !strings.Contains(index, "<loc>https://x.gov.cn/"+n+"</loc>") {
			t.Errorf("index lacks %s", n)
		}
	}
	if strings.Count(string(split["sitemap-3.xml"]), "<url>") != 1 {
		t.Error("last part should hold the one remaining URL")
	}
}

func TestPagerWindow(t *testing.T) {
	p := pagerFor("jm", 2025, 10, 40)
	var got []string
	for _, l := range p.Pages {
		s := fmt.Sprint(l.N)
		if l.Gap {
			s = "…" + s
		}
		if l.Current {
			s += "*"
		}
		got = append(got, s)
	}
	if want := "1 …8 9 10* 11 12 …40"; strings.Join(got, " ") != want {
		t.Errorf("pages %q, want %q", strings.Join(got, " "), want)
	}
	if p.Prev != "/agencies/jm/cases/2025/page/9/" || p.Next != "/agencies/jm/cases/2025/page/11/" {
		t.Errorf("prev %s next %s", p.Prev, p.Next)
	}
	if first := pagerFor("", 2025, 2, 2); first.Prev != "/cases/2025/" {
		t.Errorf("page 1 is the year's own URL, got %s", first.Prev)
	}
	if pagerFor("", 2025, 1, 1) != nil {
		t.Error("one page needs no pager")
	}
}

func TestFormatMoney(t *testing.T) {
	for in, want := range map[float64]string{0: "0 元", 500: "500 元", 8000: "8,000 元", 1234567.5: "1,234,567.5 元"} {
		if got := formatMoney(&in); got != want {
			t.Errorf("formatMoney(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestMarkdownShiftsHeadings(t *testing.T) {
	m := newMarkdown()
	got := string(m.HTML("## 违法事实\n\n#### 细节\n", 3))
	if !strings.Contains(got, "<h3") || !strings.Contains(got, "<h5") || strings.Contains(got, "<h2") {
		t.Errorf("headings not shifted to start at h3: %s", got)
	}
	if got := string(m.HTML("### 已够深\n", 2)); !strings.Contains(got, "<h3") {
		t.Errorf("deep headings must stay: %s", got)
	}
	if got := string(m.HTML("| a | b |\n| - | - |\n| 1 | 2 |\n", 2)); !strings.Contains(got, "<table>") {
		t.Errorf("GFM tables: %s", got)
	}
}

func TestCityTotals(t *testing.T) {
	a := &model.Agency{ID: "a", Name: "甲局"}
	b := &model.Agency{ID: "b", Name: "乙局", ShortName: "乙"}
	st := func(ag *model.Agency, vals ...model.StatsValue) *model.Stats {
		return &model.Stats{Year: 2025, Agency: ag, Tables: []*model.StatsTable{{Title: "处罚表", Columns: vals}}}
	}
	r := &Renderer{site: &model.Site{}}
	tables := r.statsTables([]*model.Stats{
		st(a, model.StatsValue{Label: "罚款", Value: 2}, model.StatsValue{Label: "金额(万元)", Value: 0.1}, model.StatsValue{Label: "持证率(%)", Value: 90}),
		st(b, model.StatsValue{Label: "罚款", Value: 3}, model.StatsValue{Label: "金额(万元)", Value: 0.2}, model.StatsValue{Label: "警告", Value: 1}),
	}, true)
	if len(tables) != 1 {
		t.Fatalf("%d tables", len(tables))
	}
	got := map[string][]string{}
	for _, row := range tables[0].Rows {
		got[row.Label] = row.Cells
	}
	want := map[string][]string{
		"罚款":     {"5", "2", "3"},
		"金额(万元)": {"0.3", "0.1", "0.2"}, // not 0.30000000000000004
		"持证率(%)": {"", "90", ""},        // rates are not added up
		"警告":     {"1", "", "1"},        // not reported by 甲: blank, not 0
	}
	for label, cells := range want {
		if strings.Join(got[label], "|") != strings.Join(cells, "|") {
			t.Errorf("%s: got %q, want %q", label, got[label], cells)
		}
	}
	if h := strings.Join(tables[0].Heads, "|"); h != "全市合计|甲局|乙" {
		t.Errorf("heads %s", h)
	}
	if c := tables[0].Chart; c == nil || len(c.Bars) != 2 {
		t.Errorf("chart should show the two count columns, got %+v", c)
	}
}
