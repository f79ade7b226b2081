package importer

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

func fmtBounds(b Bounds) string {
	f := func(p *float64) string {
		if p == nil {
			return "-"
		}
		return fmt.Sprint(*p)
	}
	s := f(b.FineMin) + "/" + f(b.FineMax)
	if b.MultipleOf != "" || b.MultipleMin != nil || b.MultipleMax != nil {
		s += " ×" + f(b.MultipleMin) + "/" + f(b.MultipleMax) + " " + b.MultipleOf
	}
	return s
}

func TestParseBounds(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"处五千元以上一万元以下罚款", "5000/10000"},
		{"处5000元以上1万元以下罚款", "5000/10000"},
		{"处１，０００元以上５，０００元以下的罚款", "1000/5000"},
		{"处1.5万元以上3万元以下罚款", "15000/30000"},
		{"处一万五千元以上二十万元以下罚款", "15000/200000"},
		{"处伍仟元以上壹万元以下罚款", "5000/10000"},
		{"处5000-10000元罚款", "5000/10000"},
		{"处1至3万元的罚款", "10000/30000"},
		{"处5千～1万元罚款", "5000/10000"},
		{"处五千至一万元罚款", "5000/10000"},
		{"处违法所得1-3倍罚款", "-/- ×1/3 违法所得"},
		{"处10000-5000元罚款", "-/-"},
		{"处5000-10000元以下罚款", "-/-"},
		{"处2000以上5000元以下罚款", "2000/5000"},
		{"处1以上3万元以下罚款", "10000/30000"},
		{"处2000以上5000元罚款", "-/-"},
		{"可以处二千元以下罚款", "-/2000"},
		{"处五万元以上罚款", "50000/-"},
		{"处二千元罚款", "2000/2000"},
		{"没收违法所得，并处五千元以上一万元以下罚款", "5000/10000"},
		{"处五千元至一万元罚款", "5000/10000"},
		{"处货值金额十倍以上二十倍以下罚款", "-/- ×10/20 货值金额"},
		{"处建设项目总投资额百分之一以上百分之五以下的罚款", "-/- ×0.01/0.05 建设项目总投资额"},
		{"处违法所得三倍罚款", "-/- ×3/3 违法所得"},
		// Not plain: left out.
		{"有违法所得的，处违法所得一倍以上三倍以下罚款；没有违法所得的，处五千元以下罚款", "-/-"},
		{"货值金额不足一万元的，处五千元以上一万元以下罚款", "-/-"},
		{"对个人处一千元以下罚款；对单位处一万元以上三万元以下罚款", "-/-"},
		{"处一万元以上五千元以下罚款", "-/-"},
		{"警告", "-/-"},
		{"责令改正，给予警告", "-/-"},
		{"处所收费用三倍罚款", "-/- ×3/3 所收费用"},
		{"处某某金额二倍罚款", "-/-"},
	} {
		if got := fmtBounds(ParseBounds(c.in)); got != c.want {
			t.Errorf("ParseBounds(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestParseMonthsAndDates(t *testing.T) {
	for in, want := range map[string][]int{
		"3月": {3}, "3-4月": {3, 4}, "3月至5月": {3, 4, 5}, "3、5月": {3, 5}, "第二季度": {4, 5, 6},
		"全年": seq(1, 12), "2026年3月21日-3月31日": {3}, "2026年9月": {9}, "视情况而定": nil,
	} {
		if got := parseMonths(in); !reflect.DeepEqual(got, want) {
			t.Errorf("parseMonths(%q) = %v, want %v", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"2025-03-01": "2025-03-01", "2025/3/1": "2025-03-01", "2025年3月1日": "2025-03-01", "20250301": "2025-03-01",
		"2025.3.1": "2025-03-01", "03-01-25": "2025-03-01", "45717": "2025-03-01",
	} {
		if d, ok := parseDate(in); !ok || d.String() != want {
			t.Errorf("parseDate(%q) = %v %v, want %s", in, d, ok, want)
		}
	}
	for _, in := range []string{"2025-02-30", "明年", "2025-13-01"} {
		if _, ok := parseDate(in); ok {
			t.Errorf("parseDate(%q) accepted", in)
		}
	}
}

// The TOML written reads back to the same strings, whatever they hold.
func TestTOMLRoundTrip(t *testing.T) {
	vals := []string{`含"引号"和\反斜杠`, "多行\n第二行", "结尾是引号\"", `"""三个引号"""`, "制表\t符", strings.Repeat("很长的文字", 20), "控制\x01字符", "末尾换行\n"}
	tb := &tbl{header: "[[x]]"}
	for i, v := range vals {
		tb.set(fmt.Sprintf("k%d", i), v)
	}
	tb.set("中文键", "值")
	var b strings.Builder
	writeTOML(&b, []*tbl{tb})
	var got struct{ X []map[string]any }
	if _, err := toml.Decode(b.String(), &got); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	for i, v := range vals {
		if got.X[0][fmt.Sprintf("k%d", i)] != v {
			t.Errorf("k%d = %q, want %q", i, got.X[0][fmt.Sprintf("k%d", i)], v)
		}
	}
	if got.X[0]["中文键"] != "值" {
		t.Errorf("quoted key lost: %v", got.X[0])
	}
}

func TestCSVEncodings(t *testing.T) {
	text := "事项编码,事项名称\nA-1,对某事的处罚\n"
	gbk, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(text))
	for name, data := range map[string][]byte{"UTF-8": []byte(text), "BOM": append([]byte{0xEF, 0xBB, 0xBF}, text...), "GBK": gbk} {
		sh, err := ReadSheet("a.csv", data, "")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if sh.Rows[0][0] != "事项编码" || sh.Rows[1][1] != "对某事的处罚" {
			t.Errorf("%s: rows %q", name, sh.Rows)
		}
	}
	if _, err := ReadSheet("a.xls", nil, ""); err == nil || !strings.Contains(err.Error(), "另存为") {
		t.Errorf(".xls: %v", err)
	}
}

func TestHeaderAndRows(t *testing.T) {
	csv := "江门市某局行政处罚裁量基准\n" +
		"序号,违法行为,处罚依据,裁量阶次,适用条件,处罚标准,备注\n" +
		"一、食品安全类,,,,,,\n" +
		"1,销售过期食品,《食品安全法》第一百二十四条,轻微,初次,处五千元以上一万元以下罚款,\n" +
		",,,一般,再次,处一万元以上五万元以下罚款,\n" +
		"2,未建立进货查验记录,《食品安全法》第一百二十六条,一般,,,\n" +
		"注：本表自2026年1月1日起施行。,,,,,,\n"
	res, err := Import([]byte(csv), Options{Kind: "benchmarks", Agency: "jm-x", File: "b.csv",
		Items: []Item{{"X-CF-1", "对销售过期食品的处罚", "行政处罚"}, {"X-CF-2", "对未建立进货查验记录的处罚", "行政处罚"}}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"b.csv:第6行: 缺少“处罚标准”"}
	if !reflect.DeepEqual(res.Errors, want) {
		t.Fatalf("errors %q, want %q", res.Errors, want)
	}
}

// Excel date cells keep their day whatever format shows them ("Mar-21").
func TestXLSXDates(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"姓名", "执法证号", "发证日期", "有效期至"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"孙丽", "44070030001", time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC), 47542})
	st, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellStyle("Sheet1", "D2", "D2", st)
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	res, err := Import(buf.Bytes(), Options{Kind: "officers", Agency: "x-ju", File: "人员.xlsx"})
	if err != nil || len(res.Errors) > 0 {
		t.Fatal(err, res.Errors)
	}
	if !strings.Contains(res.TOML, "valid_from = 2021-03-01\nvalid_until = 2030-02-28\n") {
		t.Errorf("dates:\n%s", res.TOML)
	}
}

// The same two-level header exported to CSV: a merged group's name is in
// its first column only, and the columns merged down are empty below.
func TestTwoLevelHeaderCSV(t *testing.T) {
	csv := "序号,违法行为,法律依据,,裁量基准,,\n" +
		",,违反条款,处罚依据,违法程度,适用情形,处罚幅度\n" +
		"1,销售过期食品,《食品安全法》第三十四条,《食品安全法》第一百二十四条,轻微,初次,处五千元以上一万元以下罚款\n"
	res, err := Import([]byte(csv), Options{Kind: "benchmarks", Agency: "jm-x", File: "b.csv",
		Items: []Item{{"X-CF-1", "对销售过期食品的处罚", "行政处罚"}}})
	if err != nil || len(res.Errors) > 0 || len(res.Notes) > 0 {
		t.Fatal(err, res.Errors, res.Notes)
	}
	for _, want := range []string{"表头在第2行", `violation_basis = "《食品安全法》第三十四条"`, `penalty_basis = "《食品安全法》第一百二十四条"`,
		"level = \"轻微\"\nconditions = \"初次\"\npenalty = \"处五千元以上一万元以下罚款\"\nfine_min = 5000\nfine_max = 10000"} {
		if !strings.Contains(res.TOML, want) {
			t.Errorf("TOML lacks %q:\n%s", want, res.TOML)
		}
	}
}

// A wide benchmark table: one column per tier, under a 裁量基准 group or
// not; a dash means the benchmark has no such tier.
func TestWideBenchmarkTable(t *testing.T) {
	items := []Item{{"X-CF-1", "对销售过期食品的处罚", "行政处罚"}, {"X-CF-2", "对未建立进货查验记录的处罚", "行政处罚"}}
	for name, csv := range map[string]string{
		"one row": "序号,违法行为,处罚依据,轻微,一般,严重\n",
		"grouped": "序号,违法行为,处罚依据,裁量基准,,\n,,,轻微,一般,严重\n",
	} {
		csv += "1,销售过期食品,《食品安全法》第一百二十四条,处五千元以上一万元以下罚款,处1万元以上5万元以下罚款,处5万元以上10万元以下罚款\n" +
			"2,未建立进货查验记录,《食品安全法》第一百二十六条,—,责令改正，给予警告,处五千元以上五万元以下罚款\n"
		res, err := Import([]byte(csv), Options{Kind: "benchmarks", Agency: "jm-x", File: "b.csv", Items: items})
		if err != nil || len(res.Errors) > 0 || len(res.Notes) > 0 {
			t.Fatal(name, err, res.Errors, res.Notes)
		}
		for _, want := range []string{
			"level = \"轻微\"\npenalty = \"处五千元以上一万元以下罚款\"\nfine_min = 5000\nfine_max = 10000",
			"level = \"严重\"\npenalty = \"处5万元以上10万元以下罚款\"\nfine_min = 50000\nfine_max = 100000",
			"item = \"X-CF-2\"", "level = \"一般\"\npenalty = \"责令改正，给予警告\"",
		} {
			if !strings.Contains(res.TOML, want) {
				t.Errorf("%s: TOML lacks %q:\n%s", name, want, res.TOML)
			}
		}
		if n := strings.Count(res.TOML, "[[benchmark.tier]]"); n != 5 || res.Count != 2 {
			t.Errorf("%s: %d benchmarks, %d tiers; want 2 and 5 (no 轻微 for the second):\n%s", name, res.Count, n, res.TOML)
		}
	}
	// With its own 裁量阶次 and 处罚标准 columns a table is long, whatever
	// else it has.
	csv := "违法行为,裁量阶次,处罚标准,一般\n销售过期食品,轻微,处五千元以上一万元以下罚款,x\n"
	res, err := Import([]byte(csv), Options{Kind: "benchmarks", Agency: "jm-x", File: "b.csv", Items: items})
	if err != nil || len(res.Errors) > 0 || strings.Count(res.TOML, "[[benchmark.tier]]") != 1 || !strings.Contains(strings.Join(res.Notes, ""), "一般") {
		t.Errorf("long table with a stray tier-named column: %v %q %q\n%s", err, res.Errors, res.Notes, res.TOML)
	}
}

// Headers worded as agencies word them reach their columns by a hint.
func TestHeaderHints(t *testing.T) {
	csv := "序号,违法行为,违反条款,处罚依据,不予处罚的适用条件（同时满足）,后续监管措施\n" +
		"1,未按规定公示收费标准,《价格法》第十三条,《价格法》第四十二条,首次违法且及时改正,责令改正并加强指导\n"
	res, err := Import([]byte(csv), Options{Kind: "leniency", Agency: "jm-x", File: "l.csv", List: "不予处罚"})
	if err != nil || len(res.Errors) > 0 || len(res.Notes) > 0 {
		t.Fatal(err, res.Errors, res.Notes)
	}
	for _, want := range []string{`conditions = "首次违法且及时改正"`, `handling = "责令改正并加强指导"`, `basis = "《价格法》第四十二条"`} {
		if !strings.Contains(res.TOML, want) {
			t.Errorf("TOML lacks %q:\n%s", want, res.TOML)
		}
	}
}

// A lower header that is not ours does not hide a known upper one.
func TestTwoLevelKeepsKnownUpper(t *testing.T) {
	csv := "序号,事项编码,项目名称,,职权类型,设定依据,行使层级\n" +
		",,主项名称,子项名称,,,\n" +
		"1,X-CF-0001,对销售过期食品的处罚,,行政处罚,《食品安全法》第一百二十四条,市\n"
	res, err := Import([]byte(csv), Options{Kind: "catalogue", Agency: "jm-x", File: "c.csv"})
	if err != nil || len(res.Errors) > 0 {
		t.Fatal(err, res.Errors)
	}
	if !strings.Contains(res.TOML, `name = "对销售过期食品的处罚"`) || !strings.Contains(res.TOML, "表头在第2行") {
		t.Errorf("TOML:\n%s", res.TOML)
	}
}

// Beside 处罚依据, 法律依据 is the provision broken.
func TestLawBesidePenaltyBasis(t *testing.T) {
	csv := "序号,违法行为,法律依据,处罚依据,适用条件,处理方式\n" +
		"1,未按规定公示收费标准,《价格法》第十三条,《价格法》第四十二条,首次违法且及时改正,责令改正\n"
	res, err := Import([]byte(csv), Options{Kind: "leniency", Agency: "jm-x", File: "l.csv", List: "不予处罚"})
	if err != nil || len(res.Errors) > 0 || len(res.Notes) > 0 {
		t.Fatal(err, res.Errors, res.Notes)
	}
	for _, want := range []string{`violation_basis = "《价格法》第十三条"`, `basis = "《价格法》第四十二条"`} {
		if !strings.Contains(res.TOML, want) {
			t.Errorf("TOML lacks %q:\n%s", want, res.TOML)
		}
	}
	// Alone, 法律依据 stays the table's one basis.
	csv = "序号,违法行为,法律依据,适用条件\n1,未按规定公示收费标准,《价格法》第四十二条,首次违法且及时改正\n"
	res, err = Import([]byte(csv), Options{Kind: "leniency", Agency: "jm-x", File: "l.csv", List: "不予处罚"})
	if err != nil || len(res.Errors) > 0 || !strings.Contains(res.TOML, `basis = "《价格法》第四十二条"`) || strings.Contains(res.TOML, "violation_basis") {
		t.Errorf("法律依据 alone: %v %q\n%s", err, res.Errors, res.TOML)
	}
}
