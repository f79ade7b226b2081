package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"zfgs/generator/internal/content"
	"zfgs/generator/internal/model"
)

const newUsage = `用法：
  generator new agency <主体编号>                                  新建执法主体 content/agencies/<编号>/agency.toml
  generator new catalogue|benchmarks|leniency --agency <主体编号>    新建事项目录、裁量基准或四张清单
  generator new case --agency <主体编号> [--year 年份] <案件编号>     新建一件执法决定
  generator new plan --agency <主体编号> <年份>                      新建年度行政检查计划
  generator new stats --agency <主体编号> <年份>                     新建年度行政执法数据
  共同选项：[--source DIR] [--now YYYY-MM-DD]
  生成的文件列出规格中的每个字段，每行附中文说明；已有文件不会被覆盖。`

// cmdNew scaffolds a content file with every field of the spec and a
// Chinese comment on each line. It never overwrites.
func cmdNew(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(stderr, newUsage)
		return 2
	}
	kind := args[0]
	fs := newFlagSet("new "+kind, stderr)
	source := fs.String("source", ".", "站点根目录")
	agency := fs.String("agency", "", "执法主体编号（如 jm-scjg）")
	yearFlag := fs.Int("year", 0, "案件所属年份（默认今年）")
	now := fs.String("now", "", "今天的日期（YYYY-MM-DD；生成的日期字段以此为准）")
	pos, ok := parseInterleaved(fs, args[1:])
	if !ok {
		return 2
	}
	today, err := dateFlag("--now", *now, time.Now())
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	usage := func(msg string) int {
		fmt.Fprintf(stderr, "%s\n%s\n", msg, newUsage)
		return 2
	}
	arg := ""
	switch {
	case len(pos) == 1:
		arg = pos[0]
	case len(pos) > 1:
		return usage(fmt.Sprintf("多余的参数：%v", pos[1:]))
	}
	if kind == "agency" {
		if arg == "" {
			arg = *agency
		}
		if !validAgencyID(arg) {
			return usage(fmt.Sprintf("主体编号 %q 不符合规则：只能用小写英文字母、数字和连字符，2–32 个字符（如 jm-wjj）", arg))
		}
		return create(stdout, stderr, filepath.Join(*source, "content", "agencies", arg, "agency.toml"), agencyTemplate)
	}
	if *agency == "" {
		return usage("请用 --agency 指定执法主体编号")
	}
	dir := filepath.Join(*source, "content", "agencies", *agency)
	if _, err := os.Stat(filepath.Join(dir, "agency.toml")); err != nil {
		fmt.Fprintf(stderr, "没有执法主体 %s（找不到 %s）：请先运行 generator new agency %s\n", *agency, filepath.Join(dir, "agency.toml"), *agency)
		return 1
	}
	prefix := strings.ToUpper(*agency)
	switch kind {
	case "catalogue", "benchmarks", "leniency":
		if arg != "" {
			return usage(fmt.Sprintf("多余的参数：%v", arg))
		}
		tpl := map[string]string{"catalogue": catalogueTemplate, "benchmarks": benchmarksTemplate, "leniency": leniencyTemplate}[kind]
		return create(stdout, stderr, filepath.Join(dir, kind+".toml"), strings.ReplaceAll(tpl, "PREFIX", prefix))
	case "case":
		if !content.ValidCaseID(arg) {
			return usage(fmt.Sprintf("案件编号 %q 不符合规则：只能用英文字母、数字和连字符，最长 40 个字符（如 %s-%d-0001）", arg, prefix, today.Year()))
		}
		year := *yearFlag
		if year == 0 {
			year = today.Year()
		} else if _, ok := validYear(fmt.Sprint(year)); !ok {
			return usage("--year 应为四位年份")
		}
		if other := findCase(*source, arg); other != "" {
			fmt.Fprintf(stderr, "案件编号 %s 已被 %s 使用：案件编号全站唯一，请换一个\n", arg, other)
			return 1
		}
		return create(stdout, stderr, filepath.Join(dir, "cases", fmt.Sprint(year), arg+".md"), fill(caseTemplate, prefix, year, today))
	case "plan", "stats":
		year, ok := validYear(arg)
		if !ok {
			return usage(fmt.Sprintf("请给出四位年份，如 generator new %s --agency %s %d", kind, *agency, today.Year()))
		}
		text := fill(planTemplate, prefix, year, today)
		if kind == "stats" {
			text, err = statsText(*source, year, today)
			if err != nil {
				fmt.Fprintln(stderr, err)
				return 1
			}
		}
		sub := map[string]string{"plan": "plans", "stats": "stats"}[kind]
		return create(stdout, stderr, filepath.Join(dir, sub, arg+".toml"), text)
	}
	return usage(fmt.Sprintf("未知的种类 %q", kind))
}

// create writes a new file, refusing to replace one, and prints its path.
func create(stdout, stderr io.Writer, path, text string) int {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		fmt.Fprintf(stderr, "无法创建目录 %s：%v\n", filepath.Dir(path), err)
		return 1
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		fmt.Fprintf(stderr, "%s 已存在，未覆盖：请直接编辑它，或先移走再生成\n", path)
		return 1
	}
	if err != nil {
		fmt.Fprintf(stderr, "无法创建 %s：%v\n", path, err)
		return 1
	}
	_, err = f.WriteString(text)
	if err2 := f.Close(); err == nil {
		err = err2
	}
	if err != nil {
		os.Remove(path)
		fmt.Fprintf(stderr, "无法写入 %s：%v\n", path, err)
		return 1
	}
	fmt.Fprintln(stdout, path)
	return 0
}

// findCase returns the file that already uses case id, or "".
func findCase(source, id string) string {
	m, _ := filepath.Glob(filepath.Join(source, "content", "agencies", "*", "cases", "*", id+".md"))
	if len(m) > 0 {
		return m[0]
	}
	return ""
}

func fill(tpl, prefix string, year int, today model.Date) string {
	return strings.NewReplacer("PREFIX", prefix, "YEAR", fmt.Sprint(year), "TODAY", today.String()).Replace(tpl)
}

// statsTable is one table of a stats scaffold.
type statsTable struct {
	Title, Unit, Total string
	Columns            []string
}

// defaultStats is the common 行政执法数据 template (RULES §7.1, 表一至表四).
var defaultStats = []statsTable{
	{"行政处罚实施情况统计表", "宗", "合计(宗)", []string{"警告、通报批评", "罚款", "没收违法所得、没收非法财物", "暂扣许可证、执照，降低资质等级",
		"吊销许可证、执照", "限制开展生产经营活动", "责令停产停业、责令关闭、限制从业", "行政拘留", "其他行政处罚", "合计(宗)", "罚没金额(万元)"}},
	{"行政许可实施情况统计表", "件", "", []string{"申请数量", "受理数量", "许可数量", "不予许可数量", "撤销许可数量"}},
	{"行政强制实施情况统计表", "件", "", []string{"行政强制措施实施数量", "行政强制执行实施数量", "申请法院强制执行数量"}},
	{"其他行政执法行为实施情况统计表", "件", "", []string{"行政征收", "行政裁决", "行政确认", "行政奖励", "行政给付", "行政检查", "其他行政执法行为"}},
}

// statsText is a stats scaffold: the city's pinned template
// (content/stats.toml) when there is one, else the common template.
func statsText(source string, year int, today model.Date) (string, error) {
	tables, from := defaultStats, "通行模板（表一至表四）"
	if data, err := os.ReadFile(filepath.Join(source, content.StatsFile)); err == nil {
		var tpl struct{ Table []statsTable }
		if _, err := toml.Decode(string(data), &tpl); err != nil {
			return "", fmt.Errorf("无法读取本市统计模板 %s：%v（先运行 generator check 查看）", content.StatsFile, err)
		}
		tables, from = tpl.Table, "本市模板（"+content.StatsFile+"）"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# %d 年度行政执法数据（规格「stats/<year>.toml」），须在 %d 年 1 月 31 日前公开（以 config.toml 的 stats_due 为准）。\n", year, year+1)
	fmt.Fprintf(&b, "# 各表按%s列出：请把 0 改为统计数字；未统计的项删除整行（页面显示为空白而不是 0）。\n", from)
	fmt.Fprintf(&b, "year = %d                            # 统计年度，须与文件名一致\n", year)
	fmt.Fprintf(&b, "published = %s                 # 必填：公开日期（请改为实际公开日期）\n", today)
	for i, t := range tables {
		fmt.Fprintf(&b, "\n[[table]]                              # 表%s\n", "一二三四五六七八九十"[3*(i%10):3*(i%10)+3])
		fmt.Fprintf(&b, "title = %s    # 必填：表名，与模板一致\n", quoteTOML(t.Title))
		if t.Unit != "" {
			fmt.Fprintf(&b, "unit = %s                           # 可选：计数单位\n", quoteTOML(t.Unit))
		}
		if t.Total != "" {
			fmt.Fprintf(&b, "total = %s                    # 可选：此列须等于其他计数列之和\n", quoteTOML(t.Total))
		}
		b.WriteString("[table.values]                         # 各列数值，按公布顺序\n")
		for _, c := range t.Columns {
			note := "# 数量"
			switch {
			case c == t.Total:
				note = "# 合计：其他计数列之和"
			case strings.Contains(c, "元"):
				note = "# 金额（单位见列名），可有小数"
			}
			fmt.Fprintf(&b, "%s = 0    %s\n", quoteTOML(c), note)
		}
	}
	return b.String(), nil
}

// quoteTOML is a TOML basic string (table titles and labels are plain text).
func quoteTOML(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}
