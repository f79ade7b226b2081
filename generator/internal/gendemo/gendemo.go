// Package gendemo writes a deterministic synthetic city-scale site in the
// content contract's format, so that anyone can reproduce the scale figures
// (`generator gen-demo --cases N --out DIR`). The same seed and sizes give
// the same bytes.
package gendemo

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"zfgs/generator/internal/model"
	"zfgs/generator/internal/rules"
)

// Options of a generated site.
type Options struct {
	Cases    int // decisions
	Agencies int // agencies (one 市 per 10, the rest 县 and 镇 under it)
	Seed     uint64
}

var fields = []struct{ short, name, field string }{
	{"SCJG", "市场监督管理局", "市场监管"}, {"STHJ", "生态环境局", "生态环境"}, {"JTYS", "交通运输局", "交通运输"},
	{"WJJ", "卫生健康局", "卫生健康"}, {"ZJJ", "住房和城乡建设局", "住房城乡建设"}, {"YJJ", "应急管理局", "应急管理"},
	{"WLJ", "文化广电旅游体育局", "文化旅游"}, {"NYJ", "农业农村局", "农业农村"}, {"SWJ", "水利局", "水利"}, {"ZRZY", "自然资源局", "自然资源"},
}

var districts = []string{"蓬江区", "江海区", "新会区", "台山市", "开平市", "鹤山市", "恩平市"}
var towns = []string{"棠下镇", "杜阮镇", "荷塘镇", "外海街道", "礼乐街道", "会城街道", "司前镇", "大泽镇"}
var surnames = []string{"张", "王", "李", "赵", "陈", "刘", "黄", "周", "吴", "欧阳", "林", "何", "郭", "梁", "谢"}
var given = []string{"伟明", "秀英", "志强", "海燕", "建华", "丽", "小明", "国平", "晓东", "桂芳", "俊", "文杰"}
var shops = []string{"食品", "餐饮", "五金", "建材", "药品", "电器", "服装", "物流", "汽车维修", "印刷", "化工", "家具"}
var violations = []string{"销售不符合食品安全标准的食品", "未按规定公示营业执照", "超过排放标准排放大气污染物", "未取得道路运输经营许可擅自从事经营", "未按规定进行安全生产培训", "使用未经检验的特种设备", "虚假宣传", "未按规定建立进货查验记录"}

// Generate writes the site into dir (which must not exist or be empty).
func Generate(dir string, opt Options) error {
	if opt.Agencies < 3 {
		opt.Agencies = 3
	}
	r := rand.New(rand.NewPCG(opt.Seed, 0x5eed))
	w := &writer{dir: dir}
	w.file("config.toml", `title = "江门市行政执法公示平台（演示数据）"
base_url = "https://zfgs.jiangmen.example.gov.cn"
language = "zh-CN"
[footer]
sponsor = "江门市司法局"
site_code = "4407000001"
icp = "粤ICP备00000000号"
police = "粤公网安备 44070302000000号"
`)
	w.file("content/calendar.toml", calendarTOML)
	w.file("content/_index.md", "+++\ntitle = \"江门市行政执法公示平台\"\n+++\n本平台集中公示全市行政执法主体的执法事项、裁量基准、检查计划、统计数据和执法决定（合成演示数据）。\n")
	cal := model.Calendar{Holidays: map[model.Date]bool{}, Workdays: map[model.Date]bool{}, Years: map[int]bool{2024: true, 2025: true, 2026: true}}
	parseCalendar(&cal)
	days := rules.NewWorkdays(&cal)

	type agency struct {
		id, code, name, level, parent string
		officers                      []string
	}
	var ags []agency
	for i := 0; i < opt.Agencies; i++ {
		f := fields[(i/3)%len(fields)]
		g := i / (3 * len(fields))
		a := agency{}
		switch i % 3 {
		case 0:
			a.level, a.name = "市", "江门市"+f.name
		case 1:
			a.level, a.name, a.parent = "县", "江门市"+districts[(i/3)%len(districts)]+f.name, ags[i-1].id
		case 2:
			a.level, a.name, a.parent = "镇", districts[(i/3)%len(districts)]+towns[(i/3)%len(towns)]+"人民政府（综合行政执法办公室）", ags[i-1].id
		}
		a.code = fmt.Sprintf("%s%d%d", f.short, g, i%3)
		a.id = strings.ToLower(fmt.Sprintf("a%02d-%s", i, a.code))
		var b strings.Builder
		fmt.Fprintf(&b, "name = %q\nlevel = %q\n", a.name, a.level)
		if a.parent != "" {
			fmt.Fprintf(&b, "parent = %q\n", a.parent)
		}
		fmt.Fprintf(&b, "region = \"江门市\"\naddress = \"江门市蓬江区建设路%d号\"\nphone = \"0750-32%05d\"\nduties = \"\"\"\n负责本辖区%s领域的行政执法工作。\n\"\"\"\n[supervision]\ncomplaint_phone = \"12345\"\nreconsideration = \"江门市人民政府\"\ncourt = \"江门市蓬江区人民法院\"\n", i+1, i, f.field)
		for k := 0; k < 6; k++ {
			cert := fmt.Sprintf("4407%03d%04d", i, k+1)
			a.officers = append(a.officers, cert)
			fmt.Fprintf(&b, "[[officer]]\nname = %q\ncert_no = %q\nfield = %q\nstatus = \"在岗\"\nvalid_from = 2020-01-01\nvalid_until = 2030-12-31\n", surnames[k%len(surnames)]+given[(i+k)%len(given)], cert, f.field)
		}
		w.file(filepath.Join("content/agencies", a.id, "agency.toml"), b.String())
		ags = append(ags, a)
	}
	// Lists: each 市 agency owns 4 items, 1 benchmark, leniency and a plan;
	// its 县 and 镇 claim them.
	for i, a := range ags {
		root := ags[i-i%3]
		var cat strings.Builder
		if a.level == "市" {
			for k, typ := range []string{"行政处罚", "行政检查", "行政强制", "行政许可"} {
				fmt.Fprintf(&cat, "[[item]]\ncode = \"4407-%s-%02d\"\nname = \"对%s的%s\"\ntype = %q\nbasis = \"\"\"《中华人民共和国行政处罚法》及相关法律法规\"\"\"\nlevel = [\"市\", \"县\", \"镇\"]\nstatus = \"有效\"\nupdated = 2024-01-01\n", a.code, k, violations[(i+k)%len(violations)], typ, typ)
			}
			w.file(filepath.Join("content/agencies", a.id, "benchmarks.toml"), fmt.Sprintf(`[[benchmark]]
id = "B-%s-01"
item = "4407-%s-00"
violation = %q
violation_basis = "《中华人民共和国行政处罚法》"
penalty_basis = "《中华人民共和国行政处罚法》"
[[benchmark.tier]]
level = "轻微"
conditions = "初次违法，危害后果轻微"
penalty = "处二千元以上五千元以下罚款"
fine_min = 2000
fine_max = 5000
[[benchmark.tier]]
level = "一般"
conditions = ["违法所得较少", "能够及时改正"]
penalty = "处五千元以上二万元以下罚款"
fine_min = 5000
fine_max = 20000
[[benchmark.tier]]
level = "严重"
conditions = "多次违法或者造成较大社会影响"
penalty = "处违法所得一倍以上三倍以下罚款"
multiple_min = 1
multiple_max = 3
multiple_of = "违法所得"
`, a.code, a.code, violations[i%len(violations)]))
			w.file(filepath.Join("content/agencies", a.id, "leniency.toml"), fmt.Sprintf(`[conditions]
"不予处罚" = "首次违法且危害后果轻微，并在责令改正期限内改正的，不予行政处罚。"
[[entry]]
id = "L-%s-01"
list = "不予处罚"
item = "4407-%s-00"
violation = %q
[[entry]]
id = "L-%s-02"
list = "减轻处罚"
item = "4407-%s-00"
violation = %q
conditions = "主动消除或者减轻违法行为危害后果"
`, a.code, a.code, violations[i%len(violations)], a.code, a.code, violations[i%len(violations)]))
		} else {
			for k := 0; k < 4; k++ {
				fmt.Fprintf(&cat, "[[claim]]\ncode = \"4407-%s-%02d\"\n", root.code, k)
			}
		}
		w.file(filepath.Join("content/agencies", a.id, "catalogue.toml"), cat.String())
		w.file(filepath.Join("content/agencies", a.id, "plans/2026.toml"), fmt.Sprintf(`year = 2026
approved = 2026-01-10
published = 2026-01-15
[[task]]
id = "P-%s-2026-01"
name = "2026年双随机抽查"
item = "4407-%s-01"
kind = "日常"
method = "双随机"
targets = "辖区内检查对象"
ratio = "5%%"
months = [3, 4]
`, a.code, root.code))
		for _, y := range []int{2024, 2025} {
			w.file(filepath.Join("content/agencies", a.id, fmt.Sprintf("stats/%d.toml", y)), fmt.Sprintf(`year = %d
published = %d-01-20
[[table]]
title = "行政处罚实施情况统计表"
unit = "宗"
total = "合计(宗)"
[table.values]
"警告、通报批评" = %d
"罚款" = %d
"合计(宗)" = %d
"罚没金额(万元)" = %d.5
`, y, y+1, 10+i, 20+i, 30+2*i, i))
		}
	}

	start := model.DateOf(2024, 1, 2)
	span := int(model.DateOf(2026, 11, 1) - start)
	for n := 0; n < opt.Cases; n++ {
		ai := r.IntN(len(ags))
		a := ags[ai]
		root := ags[ai-ai%3]
		decided := start + model.Date(r.IntN(span))
		for !days.IsWorkday(decided) {
			decided++
		}
		kind := r.IntN(10)
		category, item := "行政处罚", fmt.Sprintf("4407-%s-00", root.code)
		switch kind {
		case 7:
			category, item = "行政检查", fmt.Sprintf("4407-%s-01", root.code)
		case 8:
			category, item = "行政强制", fmt.Sprintf("4407-%s-02", root.code)
		case 9:
			category, item = "行政许可", fmt.Sprintf("4407-%s-03", root.code)
		}
		due, _ := days.Deadline(decided, 7)
		published := decided + model.Date(1+r.IntN(int(due-decided)))
		id := fmt.Sprintf("%s-%d-%06d", strings.ToUpper(a.code), decided.Year(), n+1)
		natural := r.IntN(10) == 0
		var party string
		var pname string
		if natural {
			pname = surnames[r.IntN(len(surnames))] + given[r.IntN(len(given))]
			party = fmt.Sprintf("[party]\nkind = \"自然人\"\nname = %q\n", pname)
		} else {
			pname = fmt.Sprintf("江门市%s%s有限公司", districts[r.IntN(len(districts))], shops[r.IntN(len(shops))]+fmt.Sprint(r.IntN(900)+100))
			party = fmt.Sprintf("[party]\nkind = \"法人\"\nname = %q\ncredit_code = \"91440700MA%08X\"\n", pname, r.Uint32())
		}
		var b strings.Builder
		fmt.Fprintf(&b, "+++\nnumber = \"江%s%s〔%d〕%d号\"\ncategory = %q\nitem = %q\ntitle = \"%s%s案\"\n", a.code, category[6:], decided.Year(), n+1, category, item, pname, violations[ai%len(violations)])
		if category == "行政检查" {
			b.WriteString("onsite = false\n")
		}
		o1 := r.IntN(len(a.officers))
		o2 := (o1 + 1 + r.IntN(len(a.officers)-1)) % len(a.officers)
		fmt.Fprintf(&b, "decided = %s\npublished = %s\nstatus = \"生效\"\nofficers = [%q, %q]\n%s", decided, published, a.officers[o1], a.officers[o2], party)
		if category == "行政处罚" {
			tier := []string{"轻微", "一般", "严重"}[r.IntN(3)]
			fmt.Fprintf(&b, "[discretion]\nbenchmark = \"B-%s-01\"\ntier = %q\n[decision]\nkinds = [\"罚款\"]\n", root.code, tier)
			switch tier {
			case "轻微":
				fmt.Fprintf(&b, "fine = %d\n", 2000+100*r.IntN(31))
			case "一般":
				fmt.Fprintf(&b, "fine = %d\n", 5000+100*r.IntN(151))
			default:
				base := 1000 * (1 + r.IntN(50))
				fmt.Fprintf(&b, "base_amount = %d\nfine = %d\n", base, base*(1+r.IntN(3)))
			}
			b.WriteString("text = \"罚款人民币若干元\"\n")
		}
		fmt.Fprintf(&b, "[[timeline]]\nstep = \"立案\"\ndate = %s\n[[timeline]]\nstep = \"调查取证\"\ndate = %s\n[[timeline]]\nstep = \"决定\"\ndate = %s\n+++\n", decided-20, decided-10, decided)
		fmt.Fprintf(&b, "## 违法事实\n\n经查，当事人%s存在%s的行为。执法人员现场检查时制作了现场笔录，并依法调取了相关证据材料。\n\n## 处罚依据与裁量理由\n\n当事人的行为违反了相关法律法规的规定。综合考虑违法行为的事实、性质、情节以及社会危害程度，依据本机关公布的行政处罚裁量权基准作出本决定。\n\n## 救济途径\n\n当事人如不服本决定，可以在收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法提起行政诉讼。\n", pname, violations[ai%len(violations)])
		w.file(filepath.Join("content/agencies", a.id, "cases", fmt.Sprint(decided.Year()), id+".md"), b.String())
		if w.err != nil {
			return w.err
		}
	}
	return w.err
}

type writer struct {
	dir  string
	err  error
	made map[string]bool
}

func (w *writer) file(rel, data string) {
	if w.err != nil {
		return
	}
	p := filepath.Join(w.dir, rel)
	d := filepath.Dir(p)
	if w.made == nil {
		w.made = map[string]bool{}
	}
	if !w.made[d] {
		if w.err = os.MkdirAll(d, 0o755); w.err != nil {
			return
		}
		w.made[d] = true
	}
	w.err = os.WriteFile(p, []byte(data), 0o644)
}

// parseCalendar reads calendarTOML's dates without a TOML decoder: the
// constant is ours and regular.
func parseCalendar(c *model.Calendar) {
	section := ""
	for _, line := range strings.Split(calendarTOML, "\n") {
		if strings.HasPrefix(line, "holidays") {
			section = "h"
		} else if strings.HasPrefix(line, "workdays") {
			section = "w"
		}
		for _, f := range strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == ' ' || r == '[' || r == ']' }) {
			d, err := model.ParseDate(f)
			if err != nil {
				continue
			}
			if section == "h" {
				c.Holidays[d] = true
			} else {
				c.Workdays[d] = true
			}
		}
	}
}
