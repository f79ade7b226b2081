package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var fillKeyRE = regexp.MustCompile(`^(#\s*)?("[^"]+"|[a-z_]+)\s*=`)

// fillIn is what a clerk does with a scaffold: for each key, the n-th line
// setting it (commented out or not) gets the n-th value; extra is appended.
func fillIn(t *testing.T, path string, values map[string][]string, extra string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	lines := strings.Split(string(data), "\n")
	for i, l := range lines {
		m := fillKeyRE.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		key := m[2]
		vs := values[key]
		if n := seen[key]; n < len(vs) {
			lines[i] = key + " = " + vs[n]
		}
		seen[key]++
	}
	text := strings.Join(lines, "\n")
	if extra != "" {
		if strings.HasSuffix(path, ".md") {
			text = strings.Replace(text, "+++\n", "+++\n"+extra, 1)
		} else {
			text += extra
		}
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func runNew(t *testing.T, dir string, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(append([]string{"new"}, append(args, "--source", dir)...), &out, &errb); code != 0 {
		t.Fatalf("new %v: exit %d\n%s%s", args, code, out.String(), errb.String())
	}
	path := strings.TrimSpace(out.String())
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("new %v printed %q: %v", args, path, err)
	}
	// Every line of TOML carries a Chinese comment.
	text := string(data)
	if strings.HasSuffix(path, ".md") {
		text = strings.Split(text, "+++\n")[1]
	}
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) != "" && !strings.Contains(l, "# ") {
			t.Errorf("%s: line without a comment: %q", path, l)
		}
	}
	return path
}

// TestNewScaffoldsPassCheck fills each scaffold with sample values, as an
// agency would, and runs check over the site.
func TestNewScaffoldsPassCheck(t *testing.T) {
	dir := baseSite(t)
	q := func(s string) []string { return []string{`"` + s + `"`} }

	p := runNew(t, dir, "agency", "cs-wjj")
	if want := filepath.Join(dir, "content/agencies/cs-wjj/agency.toml"); p != want {
		t.Errorf("printed %q, want %q", p, want)
	}
	fillIn(t, p, map[string][]string{"name": {`"测试市卫生健康局"`, `"孙丽"`}, "level": q("市"), "cert_no": q("44070030001"),
		"complaint_phone": q("12345"), "valid_from": {"2021-03-01"}, "valid_until": {"2031-02-28"}},
		"\n[[officer]]\nname = \"钱伟\"\ncert_no = \"44070030002\"\n")

	p = runNew(t, dir, "catalogue", "--agency", "cs-wjj")
	fillIn(t, p, map[string][]string{"code": q("CS-WJJ-CF-0001"), "name": q("对未取得医疗机构执业许可证擅自执业的处罚"),
		"type": q("行政处罚"), "basis": q("《医疗机构管理条例》第四十三条"), "level": {`["市", "县"]`}, "updated": {"2025-03-01"}},
		"\n[[item]]\ncode = \"CS-WJJ-JC-0001\"\nname = \"公共场所卫生监督检查\"\ntype = \"行政检查\"\nbasis = \"《公共场所卫生管理条例》第十条\"\n")

	p = runNew(t, dir, "benchmarks", "--agency", "cs-wjj")
	fillIn(t, p, map[string][]string{"item": q("CS-WJJ-CF-0001"), "violation": q("未取得《医疗机构执业许可证》擅自执业"),
		"penalty": q("处五千元以上一万元以下罚款"), "fine_min": {"5000"}, "fine_max": {"10000"}}, "")

	p = runNew(t, dir, "leniency", "--agency", "cs-wjj")
	fillIn(t, p, map[string][]string{"list": q("不予处罚"), "item": q("CS-WJJ-CF-0001"), "violation": q("未按规定悬挂执业许可证"),
		"conditions": q("首次被发现且及时改正")}, "")

	p = runNew(t, dir, "plan", "--agency", "cs-wjj", "2025", "--now", "2025-01-15")
	if !strings.HasSuffix(p, "content/agencies/cs-wjj/plans/2025.toml") {
		t.Errorf("plan at %s", p)
	}
	fillIn(t, p, map[string][]string{"name": q("2025年公共场所卫生双随机抽查"), "item": q("CS-WJJ-JC-0001"), "kind": q("日常"),
		"method": q("双随机"), "targets": q("全市公共场所经营者"), "months": {"[3, 4]"}}, "")

	p = runNew(t, dir, "stats", "--agency", "cs-wjj", "2024", "--now", "2025-01-20")
	fillIn(t, p, map[string][]string{`"罚款"`: {"3"}, `"合计(宗)"`: {"3"}, `"罚没金额(万元)"`: {"2.5"}}, "")

	p = runNew(t, dir, "case", "--agency", "cs-wjj", "--year", "2025", "CS-WJJ-2025-0001", "--now", "2025-03-03")
	if !strings.HasSuffix(p, "content/agencies/cs-wjj/cases/2025/CS-WJJ-2025-0001.md") {
		t.Errorf("case at %s", p)
	}
	fillIn(t, p, map[string][]string{"number": q("测卫健罚〔2025〕1号"), "item": q("CS-WJJ-CF-0001"),
		"officers": {`["44070030001", "44070030002"]`}, "name": q("测试市某某诊所有限公司"), "credit_code": q("91440700MA00000009"),
		"benchmark": q("CS-WJJ-B001"), "tier": q("一般"), "kinds": {`["罚款"]`}, "fine": {"8000"}}, "")

	mustCheck(t, dir)

	// Never overwrite; a case id is unique across the site.
	for _, args := range [][]string{
		{"agency", "cs-wjj"},
		{"case", "--agency", "cs-scjg", "--year", "2025", "CS-WJJ-2025-0001"},
		{"case", "--agency", "nobody", "X-1"},
	} {
		var out, errb bytes.Buffer
		if code := run(append([]string{"new"}, append(args, "--source", dir)...), &out, &errb); code != 1 || errb.Len() == 0 {
			t.Errorf("new %v: exit %d, stderr %q", args, code, errb.String())
		}
	}
	data, _ := os.ReadFile(filepath.Join(dir, "content/agencies/cs-wjj/agency.toml"))
	if !strings.Contains(string(data), "测试市卫生健康局") {
		t.Error("agency.toml was overwritten")
	}
}
