package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/tools/txtar"
)

// baseSite writes testdata/base.txtar (a valid site) into a new directory.
func baseSite(t *testing.T) string {
	t.Helper()
	ar, err := txtar.ParseFile("testdata/base.txtar")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		writeTestFile(t, filepath.Join(dir, f.Name), string(f.Data))
	}
	return dir
}

func writeTestFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// mustCheck runs `generator check` on dir and fails on any diagnostic.
func mustCheck(t *testing.T, dir string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run([]string{"check", "--source", dir, "--now", "2025-06-30"}, &out, &errb)
	if code != 0 || strings.TrimSpace(out.String()) != "0 个错误，0 个警告" {
		t.Fatalf("check: exit %d\n%s%s", code, out.String(), errb.String())
	}
}

// xlsx writes a workbook: rows from A1, then the merged ranges.
func writeXLSX(t *testing.T, path string, rows [][]any, merges ...[2]string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range merges {
		if err := f.MergeCell("Sheet1", m[0], m[1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

func runImport(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(append([]string{"import"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

// TestImportIntoSite imports every kind of spreadsheet for a new agency —
// XLSX with a title row and merged cells, a GBK CSV, a UTF-8 CSV with BOM —
// into the base site, which must then pass check.
func TestImportIntoSite(t *testing.T) {
	dir := baseSite(t)
	in := t.TempDir()
	ag := filepath.Join(dir, "content/agencies/cs-wjj")
	writeTestFile(t, filepath.Join(ag, "agency.toml"), "name = \"测试市卫生健康局\"\nlevel = \"市\"\n")
	imp := func(kind, file, out string, extra ...string) {
		t.Helper()
		args := append([]string{"--kind", kind, "--agency", "cs-wjj", "--source", dir, "--now", "2025-06-30", file, "-o", filepath.Join(ag, out)}, extra...)
		code, stdout, stderr := runImport(t, args...)
		if code != 0 {
			t.Fatalf("import %s: exit %d\n%s%s", kind, code, stdout, stderr)
		}
		if !strings.Contains(stdout, "已导入") {
			t.Errorf("import %s: %q", kind, stdout)
		}
	}

	// 事项目录: a merged title row, the type merged down over two items.
	writeXLSX(t, filepath.Join(in, "目录.xlsx"), [][]any{
		{"测试市卫生健康局行政执法事项目录（2025年版）"},
		{"序号", "事项编码", "事项名称", "职权类型", "法律依据", "行使层级"},
		{1, "CS-WJJ-CF-0001", "对未取得医疗机构执业许可证擅自执业的处罚", "行政处罚", "《医疗机构管理条例》第四十三条", "市、县"},
		{2, "CS-WJJ-CF-0002", "对公共场所未取得卫生许可证的处罚", "", "《公共场所卫生管理条例》第十四条", "市"},
		{3, "CS-WJJ-JC-0001", "公共场所卫生监督检查", "行政检查", "《公共场所卫生管理条例》第十条", "市级"},
	}, [2]string{"A1", "F1"}, [2]string{"D3", "D4"})
	imp("catalogue", filepath.Join(in, "目录.xlsx"), "catalogue.toml")

	// 裁量基准: 事项名称 instead of codes, each benchmark's cells merged
	// over its tiers, a multiline cell, and an amount in words only.
	bench := [][]any{
		{"测试市卫生健康行政处罚裁量基准"},
		{"序号", "事项名称", "违法行为", "违反条款", "处罚依据", "裁量阶次", "适用条件", "处罚标准", "备注"},
		{1, "对未取得医疗机构执业许可证擅自执业的处罚", "未取得《医疗机构执业许可证》擅自执业", "《医疗机构管理条例》第二十四条", "《医疗机构管理条例》第四十三条", "轻微", "执业时间不足三个月\n且未造成后果", "处五千元以上一万元以下罚款", ""},
		{nil, nil, nil, nil, nil, "一般", "执业时间三个月以上", "处1万元以上3万元以下罚款", ""},
		{nil, nil, nil, nil, nil, "严重", "造成患者人身损害", "没收违法所得，处违法所得三倍以上五倍以下罚款", "违法所得按实际收取费用计算"},
		{2, "对公共场所未取得卫生许可证的处罚", "未依法取得\"卫生许可证\"擅自营业", "《公共场所卫生管理条例》第八条", "《公共场所卫生管理条例》第十四条", "一般", "", "给予警告，并处五百元以上五千元以下罚款", ""},
		{nil, nil, nil, nil, nil, "较重", "", "处五千元以上三万元以下的罚款", ""},
	}
	merges := [][2]string{{"A1", "I1"}}
	for _, col := range "ABCDE" {
		merges = append(merges, [2]string{string(col) + "3", string(col) + "5"}, [2]string{string(col) + "6", string(col) + "7"})
	}
	writeXLSX(t, filepath.Join(in, "基准.xlsx"), bench, merges...)
	imp("benchmarks", filepath.Join(in, "基准.xlsx"), "benchmarks.toml")
	got, _ := os.ReadFile(filepath.Join(ag, "benchmarks.toml"))
	for _, want := range []string{`id = "CS-WJJ-B001"`, `item = "CS-WJJ-CF-0001"`, "fine_min = 5000\nfine_max = 10000", "fine_min = 10000\nfine_max = 30000",
		"multiple_min = 3\nmultiple_max = 5\nmultiple_of = \"违法所得\"", `id = "CS-WJJ-B002"`, `item = "CS-WJJ-CF-0002"`, "conditions = \"\"\"\n执业时间不足三个月\n且未造成后果\"\"\"",
		`violation = "未依法取得\"卫生许可证\"擅自营业"`} {
		if !strings.Contains(string(got), want) {
			t.Errorf("benchmarks.toml lacks %q:\n%s", want, got)
		}
	}
	if strings.Count(string(got), "[[benchmark]]") != 2 || strings.Count(string(got), "[[benchmark.tier]]") != 5 {
		t.Errorf("want 2 benchmarks with 5 tiers:\n%s", got)
	}

	// 不予处罚清单: GBK CSV (as Excel saves it), a title row, 类别 left
	// blank under its first row.
	csvText := "测试市卫生健康领域不予行政处罚事项清单,,,,,\r\n" +
		"序号,类别,违法行为,违反条款,不予处罚的情节,处理方式\r\n" +
		"1,医疗卫生,\"医疗机构未按规定悬挂\"\"执业许可证\"\"\",《医疗机构管理条例》第二十六条,首次被发现且在责令改正期限内改正,责令改正\r\n" +
		"2,,未按规定公示收费标准,《医疗机构管理条例》第二十八条,\"初次违法，\n危害后果轻微并及时改正\",批评教育\r\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(csvText))
	if err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, filepath.Join(in, "不予处罚.csv"), string(gbk))
	imp("leniency", filepath.Join(in, "不予处罚.csv"), "leniency.toml", "--list", "不予处罚")
	got, _ = os.ReadFile(filepath.Join(ag, "leniency.toml"))
	if strings.Count(string(got), `group = "医疗卫生"`) != 2 || !strings.Contains(string(got), `id = "CS-WJJ-L002"`) {
		t.Errorf("leniency.toml:\n%s", got)
	}

	// 检查计划: UTF-8 CSV with BOM; 检查事项 found by name in the catalogue.
	writeTestFile(t, filepath.Join(in, "计划.csv"), "\ufeff任务名称,检查事项,检查方式,检查对象,抽查比例,实施时间,是否涉企\n"+
		"2025年公共场所卫生双随机抽查,公共场所卫生监督检查,双随机,全市公共场所经营者,5%,3-4月,是\n")
	imp("plan", filepath.Join(in, "计划.csv"), "plans/2025.toml", "--year", "2025", "--published", "2025-01-20")
	got, _ = os.ReadFile(filepath.Join(ag, "plans/2025.toml"))
	for _, want := range []string{"year = 2025", "published = 2025-01-20", `id = "CS-WJJ-P2025-01"`, `item = "CS-WJJ-JC-0001"`, "months = [3, 4]", "enterprise = true"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("plan lacks %q:\n%s", want, got)
		}
	}

	// 执法人员: appended to agency.toml.
	writeTestFile(t, filepath.Join(in, "人员.csv"), "姓名,执法证号,执法类别,状态,有效期\n"+
		"孙丽,44070030001,卫生健康,有效,2021/3/1至2031/2/28\n"+
		"钱伟,44070030002,卫生健康,在岗,\n")
	imp("officers", filepath.Join(in, "人员.csv"), "agency.toml")
	got, _ = os.ReadFile(filepath.Join(ag, "agency.toml"))
	if !strings.HasPrefix(string(got), "name = \"测试市卫生健康局\"") || !strings.Contains(string(got), "valid_from = 2021-03-01\nvalid_until = 2031-02-28") {
		t.Errorf("agency.toml:\n%s", got)
	}

	mustCheck(t, dir)
}

// TestImportRowErrors: a bad row is reported with its spreadsheet row
// number, the exit status is 1 and nothing is written.
func TestImportRowErrors(t *testing.T) {
	in := t.TempDir()
	writeXLSX(t, filepath.Join(in, "benchmarks.xlsx"), [][]any{
		{"某局裁量基准"},
		{},
		{"编号", "事项编码", "违法行为", "裁量阶次", "处罚标准"},
		{"X-B1", "X-CF-1", "甲", "一般", "处一千元以下罚款"},
		{"X-B1", "X-CF-1", "甲", "严重", nil},
		{"X-B2", "X CF 2", "乙", "一般", "警告"},
		{"X-B2", "X-CF-2", "乙", "一般", "警告"},
	}, [2]string{"A1", "E1"})
	out := filepath.Join(in, "out.toml")
	code, stdout, stderr := runImport(t, "--kind", "benchmarks", "--agency", "x-ju", filepath.Join(in, "benchmarks.xlsx"), "-o", out)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, stdout, stderr)
	}
	file := filepath.Join(in, "benchmarks.xlsx")
	for _, want := range []string{
		file + ":第5行: 缺少“处罚标准”",
		file + ":第6行: 事项编码“X CF 2”不能含空格、“/”或中文字符",
	} {
		if !strings.Contains(stderr, want+"\n") {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("output written despite errors")
	}

	// A sheet without a recognizable header row is refused as a whole.
	writeTestFile(t, filepath.Join(in, "x.csv"), "甲,乙\n1,2\n")
	if code, _, stderr := runImport(t, "--kind", "catalogue", "--agency", "x-ju", filepath.Join(in, "x.csv")); code != 1 || !strings.Contains(stderr, "找不到表头") {
		t.Errorf("no header: exit %d %s", code, stderr)
	}
}

// TestImportTwoLevelHeader: a benchmark table as many are published, with
// 法律依据 and 裁量基准 merged over the columns named on the row below, a
// title and a note merged across the table.
func TestImportTwoLevelHeader(t *testing.T) {
	dir := baseSite(t)
	in := t.TempDir()
	ag := filepath.Join(dir, "content/agencies/cs-wjj")
	writeTestFile(t, filepath.Join(ag, "agency.toml"), "name = \"测试市卫生健康局\"\nlevel = \"市\"\n")
	writeTestFile(t, filepath.Join(ag, "catalogue.toml"), "[[item]]\ncode = \"CS-WJJ-CF-0001\"\nname = \"对未取得医疗机构执业许可证擅自执业的处罚\"\ntype = \"行政处罚\"\nbasis = \"《医疗机构管理条例》第四十三条\"\nlevel = [\"市\"]\n")
	rows := [][]any{
		{"附件1"},
		{"测试市卫生健康行政处罚裁量基准"},
		{"序号", "事项名称", "违法行为", "法律依据", nil, "裁量基准", nil, nil},
		{nil, nil, nil, "违反条款", "处罚依据", "违法程度", "适用情形", "处罚幅度"},
		{1, "对未取得医疗机构执业许可证擅自执业的处罚", "未取得《医疗机构执业许可证》擅自执业", "《医疗机构管理条例》第二十四条", "《医疗机构管理条例》第四十三条", "轻微", "执业时间不足三个月", "处2000元以上1万元以下罚款"},
		{nil, nil, nil, nil, nil, "一般", "执业时间三个月以上", "处1万元以上3万元以下罚款"},
		{nil, nil, nil, nil, nil, "严重", "造成患者人身损害", "处3万元以上5万元以下罚款"},
		{"注：1.本基准所称“以上”“以下”均包含本数。2.本基准自2025年1月1日起施行。"},
	}
	merges := [][2]string{{"A1", "H1"}, {"A2", "H2"}, {"A3", "A4"}, {"B3", "B4"}, {"C3", "C4"}, {"D3", "E3"}, {"F3", "H3"}, {"A8", "H8"}}
	for _, col := range "ABCDE" {
		merges = append(merges, [2]string{string(col) + "5", string(col) + "7"})
	}
	writeXLSX(t, filepath.Join(in, "基准.xlsx"), rows, merges...)
	out := filepath.Join(ag, "benchmarks.toml")
	code, stdout, stderr := runImport(t, "--kind", "benchmarks", "--agency", "cs-wjj", "--source", dir, "--now", "2025-06-30", filepath.Join(in, "基准.xlsx"), "-o", out)
	if code != 0 || strings.Contains(stdout+stderr, "未识别") {
		t.Fatalf("import: exit %d\n%s%s", code, stdout, stderr)
	}
	got, _ := os.ReadFile(out)
	for _, want := range []string{"表头在第4行", `violation_basis = "《医疗机构管理条例》第二十四条"`, `penalty_basis = "《医疗机构管理条例》第四十三条"`,
		"level = \"轻微\"\nconditions = \"执业时间不足三个月\"\npenalty = \"处2000元以上1万元以下罚款\"\nfine_min = 2000\nfine_max = 10000",
		"level = \"严重\"\nconditions = \"造成患者人身损害\"\npenalty = \"处3万元以上5万元以下罚款\"\nfine_min = 30000\nfine_max = 50000"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("benchmarks.toml lacks %q:\n%s", want, got)
		}
	}
	if strings.Count(string(got), "[[benchmark.tier]]") != 3 {
		t.Errorf("want 3 tiers:\n%s", got)
	}
	mustCheck(t, dir)
}
