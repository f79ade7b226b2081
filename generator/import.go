package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"zfgs/generator/internal/content"
	"zfgs/generator/internal/diag"
	"zfgs/generator/internal/importer"
	"zfgs/generator/internal/model"
	"zfgs/generator/internal/safefs"
)

const importUsage = `用法：generator import --kind catalogue|benchmarks|leniency|plan|officers --agency 主体编号 [--year 年度] 文件.xlsx|文件.csv [-o 输出.toml]
  把单位现有的 Excel/CSV 表格（事项目录、裁量基准、四张清单、检查计划、执法人员名单）转换为内容 TOML。`

// cmdImport converts an agency's spreadsheet into content TOML.
func cmdImport(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("import", stderr)
	kind := fs.String("kind", "", "表格种类："+strings.Join(importer.Kinds(), " | "))
	agency := fs.String("agency", "", "执法主体编号（如 jm-scjg）：生成编号的前缀，并据其事项目录按名称查找事项编码")
	source := fs.String("source", ".", "站点根目录（用于按事项名称查找事项编码）")
	year := fs.Int("year", 0, "检查计划的年度（--kind plan 必填）")
	sheet := fs.String("sheet", "", "要导入的工作表名称（默认第一个工作表）")
	list := fs.String("list", "", "四张清单：表中没有“清单类型”列时各行所属的清单（如 不予处罚）")
	conds := fs.String("conditions", "", "四张清单：--list 所指清单的清单级适用条件")
	published := fs.String("published", "", "检查计划的公示日期（YYYY-MM-DD；默认今天，并提示核对）")
	now := fs.String("now", "", "今天的日期（YYYY-MM-DD，用于测试）")
	out := fs.String("o", "", "输出文件（默认标准输出）；--kind officers 时若文件已存在则追加到末尾")
	files, ok := parseInterleaved(fs, args)
	if !ok {
		return 2
	}
	if len(files) != 1 || *kind == "" || *agency == "" {
		fmt.Fprintln(stderr, importUsage)
		return 2
	}
	if !validAgencyID(*agency) {
		fmt.Fprintf(stderr, "--agency %q 不符合主体编号规则：只能用小写英文字母、数字和连字符，2–32 个字符\n", *agency)
		return 2
	}
	if *kind == "plan" && (*year < 1990 || *year > 2200) {
		fmt.Fprintln(stderr, "导入检查计划须用 --year 指定计划年度，如 --year 2026")
		return 2
	}
	today, err := dateFlag("--now", *now, time.Now())
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	opt := importer.Options{Kind: *kind, Agency: *agency, File: files[0], Sheet: *sheet, Year: *year,
		Today: today, List: *list, Conditions: *conds}
	if *published != "" {
		if opt.Published, err = dateFlag("--published", *published, time.Time{}); err != nil {
			fmt.Fprintln(stderr, err)
			return 2
		}
	}
	if *conds != "" && *list == "" {
		fmt.Fprintln(stderr, "--conditions 须与 --list 一起使用（指明是哪张清单的适用条件）")
		return 2
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		fmt.Fprintf(stderr, "无法读取 %s：%v\n", files[0], err)
		return 1
	}
	opt.Items = agencyItems(*source, *agency)
	res, err := importer.Import(data, opt)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	for _, n := range res.Notes {
		fmt.Fprintln(stderr, "提示："+n)
	}
	if len(res.Errors) > 0 {
		for _, e := range res.Errors {
			fmt.Fprintln(stderr, e)
		}
		fmt.Fprintf(stderr, "%d 个错误：请在表格中改正后重新导入，未写出任何文件。\n", len(res.Errors))
		return 1
	}
	if *out == "" {
		io.WriteString(stdout, res.TOML)
		fmt.Fprintf(stderr, "已导入 %d %s。\n", res.Count, res.Noun)
		return 0
	}
	if err := writeImport(*out, res.TOML, *kind == "officers"); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	fmt.Fprintf(stdout, "已导入 %d %s，写入 %s\n", res.Count, res.Noun, *out)
	return 0
}

// writeImport writes (or, for officers into an existing agency.toml,
// appends) the TOML, through a temporary file so a failure leaves the old
// file whole.
func writeImport(path, text string, appendTo bool) error {
	if appendTo {
		if old, err := os.ReadFile(path); err == nil {
			sep := "\n"
			if len(old) > 0 && old[len(old)-1] != '\n' {
				sep = "\n\n"
			}
			text = string(old) + sep + text
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("无法创建目录 %s：%v", filepath.Dir(path), err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".import-*")
	if err != nil {
		return fmt.Errorf("无法写入 %s：%v", path, err)
	}
	_, err = tmp.WriteString(text)
	if err2 := tmp.Close(); err == nil {
		err = err2
	}
	if err == nil {
		os.Chmod(tmp.Name(), 0o644)
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("无法写入 %s：%v", path, err)
	}
	return nil
}

// agencyItems are the catalogue items the agency may use (own and
// claimed), read from the site at source; none when there is no site.
func agencyItems(source, agency string) []importer.Item {
	if _, err := os.Stat(filepath.Join(source, "content", "agencies", agency)); err != nil {
		return nil
	}
	s := content.LoadSite(safefs.New(source), diag.NewList(false))
	byCode := map[string]*model.Item{}
	for _, a := range s.Agencies {
		for _, it := range a.Items {
			byCode[it.Code] = it
		}
	}
	var out []importer.Item
	for _, a := range s.Agencies {
		if a.ID != agency {
			continue
		}
		for _, it := range a.Items {
			out = append(out, importer.Item{Code: it.Code, Name: it.Name, Type: it.Type})
		}
		for _, c := range a.Claims {
			if it := byCode[c.Code]; it != nil {
				out = append(out, importer.Item{Code: it.Code, Name: it.Name, Type: it.Type})
			}
		}
	}
	return out
}

// parseInterleaved parses flags given before, between and after the
// positional arguments (`import FILE -o OUT` as well as `import -o OUT FILE`).
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, bool) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, false
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, true
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), true
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// dateFlag parses a YYYY-MM-DD flag; "" is def (zero time: the zero date).
func dateFlag(name, v string, def time.Time) (model.Date, error) {
	if v == "" {
		if def.IsZero() {
			return 0, nil
		}
		return model.DateOf(def.Year(), def.Month(), def.Day()), nil
	}
	d, err := model.ParseDate(v)
	if err != nil {
		return 0, fmt.Errorf("%s 应写作 YYYY-MM-DD，如 2026-01-31", name)
	}
	return d, nil
}

func validAgencyID(s string) bool {
	if len(s) < 2 || len(s) > 32 {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func validYear(s string) (int, bool) {
	y, err := strconv.Atoi(s)
	return y, err == nil && len(s) == 4 && y >= 1990 && y <= 2200
}
