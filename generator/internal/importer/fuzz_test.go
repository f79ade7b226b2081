package importer

import (
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/xuri/excelize/v2"

	"zfgs/generator/internal/model"
)

// Spreadsheets come from agencies' offices: whatever a CSV or XLSX holds,
// import reports errors and never panics, and the TOML it writes parses
// (every cell is written as a TOML string or number, never as TOML
// syntax).

func importOpts(kind byte, file string) Options {
	k := Kinds()[int(kind)%len(Kinds())]
	return Options{Kind: k, Agency: "jm-scjg", File: file, Year: 2026, Today: model.DateOf(2026, 1, 10),
		List: "不予处罚", Items: []Item{{Code: "A-1", Name: "对某事的处罚", Type: "行政处罚"}}}
}

func checkImport(t *testing.T, data []byte, opt Options) {
	res, err := Import(data, opt)
	if err != nil || res == nil || res.TOML == "" {
		return
	}
	var m map[string]any
	if _, err := toml.Decode(res.TOML, &m); err != nil {
		t.Fatalf("%s import wrote TOML that does not parse: %v\n%s", opt.Kind, err, res.TOML)
	}
}

var csvSeeds = []string{
	"事项编码,事项名称,事项类型,设定依据\nA-1,对某事的处罚,行政处罚,《某法》第一条\n",
	"江门市某局行政处罚裁量基准\n序号,违法行为,处罚依据,裁量阶次,适用条件,处罚标准,备注\n1,未公示,《条例》,轻微,首次,处一千元以上五千元以下罚款,\n,,,一般,再次,处货值金额一倍以上三倍以下罚款,\n",
	"违法行为,适用条件,处理方式\n\"含\"\"引号\"\"\",\"多行\n条件\",=HYPERLINK(\"x\")\n",
	"任务名称,检查事项,检查方式,检查对象,抽查比例,检查时间\n双随机,A-1,双随机,全市,5%,3-4月\n",
	"姓名,执法证号,执法领域,有效期\n李明,44070012345,市场监管,2020-03-01至2030-02-28\n",
	"\xef\xbb\xbf事项名称,事项编码\n\"\"\"\"\"\",\"\\\"\n",
}

func FuzzImportCSV(f *testing.F) {
	for i, s := range csvSeeds {
		f.Add([]byte(s), byte(i))
	}
	f.Fuzz(func(t *testing.T, data []byte, kind byte) {
		checkImport(t, data, importOpts(kind, "表.csv"))
	})
}

func FuzzImportXLSX(f *testing.F) {
	for i, s := range csvSeeds[:5] {
		x := excelize.NewFile()
		for r, line := range strings.Split(strings.TrimSpace(s), "\n") {
			for c, cell := range strings.Split(line, ",") {
				name, _ := excelize.CoordinatesToCellName(c+1, r+1)
				x.SetCellValue("Sheet1", name, cell)
			}
		}
		x.MergeCell("Sheet1", "A3", "A4")
		buf, err := x.WriteToBuffer()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes(), byte(i))
	}
	f.Add([]byte("PK\x03\x04"), byte(0))
	f.Fuzz(func(t *testing.T, data []byte, kind byte) {
		// A damaged zip header once made excelize allocate the 2 GB it
		// declared (testdata/fuzz/FuzzImportXLSX/alloc-*): memory must stay
		// bounded by what the limits allow.
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		checkImport(t, data, importOpts(kind, "表.xlsx"))
		runtime.ReadMemStats(&after)
		if a := after.TotalAlloc - before.TotalAlloc; a > 3*maxUnzip {
			t.Fatalf("importing %d bytes allocated %d MB", len(data), a>>20)
		}
	})
}

// FuzzParseBounds: whatever the published penalty text, the bounds read
// from it are finite, non-negative and ordered.
func FuzzParseBounds(f *testing.F) {
	for _, s := range []string{"处一千元以上五千元以下罚款", "处货值金额一倍以上三倍以下罚款", "处5000元罚款", "处二十万元以下罚款",
		"处违法所得百分之一以上百分之五以下罚款", "处一万元以上十万元以下罚款；情节严重的，吊销许可证", "九九九九九九九九九九九九九九九九九九九亿元", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := ParseBounds(s)
		for _, p := range []*float64{b.FineMin, b.FineMax, b.MultipleMin, b.MultipleMax} {
			if p != nil && (math.IsNaN(*p) || math.IsInf(*p, 0) || *p < 0) {
				t.Fatalf("ParseBounds(%q): bound %v", s, *p)
			}
		}
		if b.FineMin != nil && b.FineMax != nil && *b.FineMin > *b.FineMax {
			t.Fatalf("ParseBounds(%q): fine %v > %v", s, *b.FineMin, *b.FineMax)
		}
		if b.MultipleMin != nil && b.MultipleMax != nil && *b.MultipleMin > *b.MultipleMax {
			t.Fatalf("ParseBounds(%q): multiple %v > %v", s, *b.MultipleMin, *b.MultipleMax)
		}
	})
}
