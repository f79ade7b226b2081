package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"zfgs/generator/internal/browsertest"
	"zfgs/generator/internal/qr/qrtest"
)

const testBase = "https://zfgs.example.gov.cn"

// qrCases are laid over testdata/base.txtar (which has CS-2025-0001, a live
// 30000 元 penalty): a live inspection, a revoked penalty, a small fine
// that publish_months_minor ends early, and a minor's case.
var qrCases = map[string]string{
	"content/agencies/cs-scjg/cases/2025/CS-2025-0002.md": `+++
number = "测市监检查〔2025〕2号"
category = "行政检查"
item = "CS-JC-0001"
decided = 2025-03-03
published = 2025-03-05
officers = ["44070010001", "44070010002"]
[party]
kind = "法人"
name = "测试市某某商行有限公司"
+++
`,
	"content/agencies/cs-scjg/cases/2025/CS-2025-0003.md": `+++
number = "测市监处罚〔2025〕3号"
category = "行政处罚"
item = "CS-CF-0001"
title = "某某超市销售过期食品案"
decided = 2025-03-03
published = 2025-03-05
status = "已撤销"
status_reason = "经行政复议，本决定被撤销。"
officers = ["44070010001", "44070010002"]
[party]
kind = "法人"
name = "测试市某某超市有限公司"
credit_code = "91440700MA00000003"
[discretion]
benchmark = "CS-B001"
tier = "一般"
[decision]
kinds = ["罚款"]
fine = 25000
text = "罚款人民币贰万伍仟元整"
+++
当事人销售超过保质期的食品，货值金额一万三千元。
`,
	"content/agencies/cs-scjg/cases/2025/CS-2025-0004.md": `+++
number = "测市监处罚〔2025〕4号"
category = "行政处罚"
item = "CS-CF-0001"
title = "某某便利店销售不合格食品案"
decided = 2025-03-04
published = 2025-03-06
officers = ["44070010001", "44070010002"]
[party]
kind = "法人"
name = "测试市某某便利店有限公司"
credit_code = "91440700MA00000004"
[discretion]
benchmark = "CS-B001"
tier = "轻微"
[decision]
kinds = ["罚款"]
fine = 6000
text = "罚款人民币陆仟元整"
+++
当事人销售标签不合格的预包装食品，货值金额八百元。
`,
	"content/agencies/cs-scjg/cases/2025/CS-2025-0005.md": `+++
number = "测市监检查〔2025〕5号"
category = "行政检查"
item = "CS-JC-0001"
decided = 2025-03-04
published = 2025-03-06
officers = ["44070010001", "44070010002"]
[party]
kind = "自然人"
name = "张小明"
minor = true
+++
`,
}

// buildQRSite builds base.txtar plus qrCases (and extra) at now and returns
// the site directory.
func buildQRSite(t *testing.T, now string, extra map[string]string) string {
	t.Helper()
	files := map[string]string{}
	for k, v := range qrCases {
		files[k] = v
	}
	for k, v := range extra {
		files[k] = v
	}
	dir := writeSite(t, files)
	var stdout, stderr strings.Builder
	if code := run([]string{"build", "--source", dir, "--now", now}, &stdout, &stderr); code != 0 {
		t.Fatalf("build: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	return dir
}

// qrTargets maps every file under public/qr to the URL it must encode.
func qrTargets(t *testing.T, dir string) map[string]string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "public", "qr", "*"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, p := range names {
		name := filepath.Base(p)
		stem := strings.TrimSuffix(strings.TrimSuffix(name, ".svg"), ".png")
		if cert, ok := strings.CutPrefix(stem, "officer-"); ok {
			out[p] = testBase + "/officers/" + cert + "/"
		} else {
			out[p] = testBase + "/c/" + stem + "/"
		}
	}
	return out
}

// Every published case (tombstones included, the minor's never) and every
// officer has an SVG and a PNG code, and each one decodes, with ZXing and
// with zbarimg, to exactly its page's URL.
func TestBuildQRCodesDecode(t *testing.T) {
	dir := buildQRSite(t, "2025-06-30", nil)
	targets := qrTargets(t, dir)
	var got []string
	for p := range targets {
		got = append(got, filepath.Base(p))
	}
	sort.Strings(got)
	var want []string
	for _, id := range []string{"CS-2025-0001", "CS-2025-0002", "CS-2025-0003", "CS-2025-0004",
		"officer-44070010001", "officer-44070010002", "officer-44070010003", "officer-44070020001", "officer-44070020002"} {
		want = append(want, id+".png", id+".svg")
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("QR files\n got %v\nwant %v", got, want)
	}

	var pngs, pngURLs []string
	for p, url := range targets {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var text string
		if strings.HasSuffix(p, ".png") {
			text, err = qrtest.DecodePNG(data)
			pngs, pngURLs = append(pngs, p), append(pngURLs, url)
		} else {
			text, err = qrtest.DecodeSVG(data)
			if !strings.Contains(string(data), "<title>") {
				t.Errorf("%s has no <title> (accessible name)", filepath.Base(p))
			}
		}
		if err != nil || text != url {
			t.Errorf("%s decodes to %q (%v), want %q", filepath.Base(p), text, err, url)
		}
	}

	zbar := browsertest.RequireTool(t, "zbarimg")
	texts, err := qrtest.Zbar(zbar, pngs...)
	if err != nil {
		t.Fatal(err)
	}
	if len(texts) != len(pngs) {
		t.Fatalf("zbarimg read %d codes from %d files: %q", len(texts), len(pngs), texts)
	}
	for i := range pngs {
		if texts[i] != pngURLs[i] {
			t.Errorf("zbarimg: %s reads %q, want %q", filepath.Base(pngs[i]), texts[i], pngURLs[i])
		}
	}
}

// The case page shows its code and links the PNG and the print view; a
// live case has a print view, a tombstone none; the agency's year sheet
// lists the live cases only, and the agency page links it.
func TestBuildQRPages(t *testing.T) {
	dir := buildQRSite(t, "2025-06-30", nil)
	page := readOut(t, dir, "c/CS-2025-0001/index.html")
	for _, want := range []string{`<img src="/qr/CS-2025-0001.svg" alt="本决定公示页二维码，扫码打开 https://zfgs.example.gov.cn/c/CS-2025-0001/"`,
		`href="/qr/CS-2025-0001.png" download`, `href="/c/CS-2025-0001/print.html"`} {
		if !strings.Contains(page, want) {
			t.Errorf("case page lacks %s", want)
		}
	}
	label := readOut(t, dir, "c/CS-2025-0001/print.html")
	for _, want := range []string{`class="qr-25" src="/qr/CS-2025-0001.svg"`, "测市监处罚〔2025〕1号", "测试市市场监督管理局",
		"https://zfgs.example.gov.cn/c/CS-2025-0001/", "Ctrl", `<meta name="robots" content="noindex">`} {
		if !strings.Contains(label, want) {
			t.Errorf("print view lacks %s", want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "public/c/CS-2025-0003/print")); !os.IsNotExist(err) {
		t.Error("the revoked case has a print view")
	}
	sheet := readOut(t, dir, "agencies/cs-scjg/qr/2025/index.html")
	for _, id := range []string{"CS-2025-0001", "CS-2025-0002", "CS-2025-0004"} {
		if !strings.Contains(sheet, `src="/qr/`+id+`.svg"`) {
			t.Errorf("year sheet lacks %s", id)
		}
	}
	for _, id := range []string{"CS-2025-0003", "CS-2025-0005"} {
		if strings.Contains(sheet, id) {
			t.Errorf("year sheet lists %s (revoked or a minor's)", id)
		}
	}
	if !strings.Contains(readOut(t, dir, "agencies/cs-scjg/index.html"), `href="/agencies/cs-scjg/qr/2025/"`) {
		t.Error("agency page does not link its QR sheet")
	}
	sitemap := readOut(t, dir, "sitemap.xml")
	if strings.Contains(sitemap, "/print") || strings.Contains(sitemap, "/qr/") {
		t.Error("print views are in the sitemap")
	}
}

// The code build publishes is byte for byte what `generator qr` makes for
// the decision document before publication.
func TestBuildQREqualsQRCommand(t *testing.T) {
	dir := buildQRSite(t, "2025-06-30", nil)
	for _, format := range []string{"svg", "png"} {
		var stdout, stderr strings.Builder
		if code := run([]string{"qr", "CS-2025-0002", "--source", dir, "--format", format, "-o", "-"}, &stdout, &stderr); code != 0 {
			t.Fatalf("qr: exit %d: %s", code, stderr.String())
		}
		if built := readOut(t, dir, "qr/CS-2025-0002."+format); built != stdout.String() {
			t.Errorf("qr/CS-2025-0002.%s differs from `generator qr --format %s`", format, format)
		}
	}
}

// assertTombstone checks a case page shows only number, agency, status and
// reason, and that its QR files are still there.
func assertTombstone(t *testing.T, dir, id string, want, leaks []string) {
	t.Helper()
	page := readOut(t, dir, "c/"+id+"/index.html")
	main := page[strings.Index(page, "<main"):strings.Index(page, "</main>")]
	for _, w := range want {
		if !strings.Contains(main, w) {
			t.Errorf("%s tombstone lacks %q", id, w)
		}
	}
	for _, l := range leaks {
		if strings.Contains(page, l) {
			t.Errorf("%s tombstone shows %q", id, l)
		}
	}
	for _, ext := range []string{"svg", "png"} {
		if _, err := os.Stat(filepath.Join(dir, "public/qr", id+"."+ext)); err != nil {
			t.Errorf("%s tombstone lost its QR file: %v", id, err)
		}
	}
}

// A revoked decision keeps its URL as a tombstone, and its printed code
// still works.
func TestBuildRevokedTombstone(t *testing.T) {
	dir := buildQRSite(t, "2025-06-30", nil)
	assertTombstone(t, dir, "CS-2025-0003",
		[]string{"测市监处罚〔2025〕3号", "测试市市场监督管理局", "已撤销", "经行政复议，本决定被撤销。"},
		[]string{"测试市某某超市有限公司", "91440700MA00000003", "25000", "25,000", "贰万伍仟", "超过保质期", "某某超市销售过期食品案"})
}

// publish_months and publish_months_minor turn decisions into 停止公示
// tombstones at --now, with no edit to their files; the URL and the code
// stay.
func TestBuildExpiredTombstones(t *testing.T) {
	cfg := `title = "测试市行政执法公示平台"
base_url = "https://zfgs.example.gov.cn"
[footer]
sponsor = "测试市司法局"
[rules]
quiet_days = [1, 10]
max_onsite_per_year = 2
publish_months = 12
publish_months_minor = 3
minor_fine_org = 10000
`
	extra := map[string]string{"config.toml": cfg}
	// Mid-2025 only the small fine (published 2025-03-06) has run out.
	dir := buildQRSite(t, "2025-06-30", extra)
	assertTombstone(t, dir, "CS-2025-0004",
		[]string{"测市监处罚〔2025〕4号", "测试市市场监督管理局", "停止公示", "公示期限已满"},
		[]string{"测试市某某便利店有限公司", "91440700MA00000004", "6000", "6,000", "陆仟", "标签不合格", "某某便利店"})
	if page := readOut(t, dir, "c/CS-2025-0001/index.html"); !strings.Contains(page, "测试市某某食品有限公司") {
		t.Error("the 12-month case expired early")
	}
	// In 2026 the 30000 元 fine (published 2025-02-10) has run out too.
	dir = buildQRSite(t, "2026-03-01", extra)
	assertTombstone(t, dir, "CS-2025-0001",
		[]string{"测市监处罚〔2025〕1号", "测试市市场监督管理局", "停止公示", "2026年2月10日"},
		[]string{"测试市某某食品有限公司", "91440700MA00000001", "30000", "30,000", "货值金额一万二千元", "某某食品有限公司销售"})
	if _, err := os.Stat(filepath.Join(dir, "public/c/CS-2025-0001/print")); !os.IsNotExist(err) {
		t.Error("an expired case still has a print view")
	}
}

// The SVG codes as a real renderer draws them: Chromium shows every code of
// the build on one page, and zbarimg reads each one's URL off the
// screenshot. (qrtest.DecodeSVG rasterises the path by the same reading
// of the format that wrote it; this checks the format itself.)
func TestBuildQRSVGsDecodeInChromium(t *testing.T) {
	zbar := browsertest.RequireTool(t, "zbarimg")
	dir := buildQRSite(t, "2025-06-30", nil)
	want := map[string]bool{}
	var page strings.Builder
	page.WriteString("<!DOCTYPE html><html><body>")
	for p, url := range qrTargets(t, dir) {
		if strings.HasSuffix(p, ".svg") {
			want[url] = true
			fmt.Fprintf(&page, `<img src="qr/%s" width="240" height="240"> `, filepath.Base(p))
		}
	}
	page.WriteString("</body></html>")
	out := filepath.Join(dir, "public")
	if err := os.WriteFile(filepath.Join(out, "qr-test.html"), []byte(page.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := browsertest.Serve(t, out)
	ctx := browsertest.New(t)
	var shot []byte
	if err := chromedp.Run(ctx, chromedp.Navigate(srv.URL+"/qr-test.html"), chromedp.FullScreenshot(&shot, 100)); err != nil {
		t.Fatal(err)
	}
	png := filepath.Join(t.TempDir(), "shot.png")
	if err := os.WriteFile(png, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	texts, err := qrtest.Zbar(zbar, png)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, s := range texts {
		got[s] = true
	}
	for url := range want {
		if !got[url] {
			t.Errorf("no code in the screenshot reads %s (zbarimg read %q)", url, texts)
		}
	}
	if len(texts) != len(want) {
		t.Errorf("zbarimg read %d codes, the build has %d SVGs: %q", len(texts), len(want), texts)
	}
}
