package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"zfgs/generator/internal/qr/qrtest"
)

// An agency whose officers are in every state a credential page must tell
// apart, judged at --now 2025-06-30.
const officersAgency = `name = "测试市综合行政执法局"
level = "市"
[supervision]
complaint_phone = "0750-1234567"
complaint_url = "https://www.example.gov.cn/zfj/ts/"
reconsideration = "测试市人民政府"
[[officer]]
name = "孙在岗"
cert_no = "44070030001"
field = "综合执法"
status = "在岗"
valid_from = 2021-01-01
valid_until = 2027-12-31
[[officer]]
name = "钱暂扣"
cert_no = "44070030002"
status = "暂扣"
valid_from = 2021-01-01
valid_until = 2027-12-31
[[officer]]
name = "吴注销"
cert_no = "44070030003"
status = "注销"
valid_from = 2019-01-01
valid_until = 2027-12-31
[[officer]]
name = "郑过期"
cert_no = "44070030004"
status = "在岗"
valid_from = 2019-01-01
valid_until = 2024-12-31
`

// The credential page (亮证即亮码) gives one unmistakable verdict: 有效
// only for an 在岗 officer within the validity dates; a 暂扣, 注销 or
// expired certificate reads as not valid, in words and a symbol, and the
// page says where to report. Each officer's QR code opens the page.
func TestOfficerCredentialPages(t *testing.T) {
	dir := buildQRSite(t, "2025-06-30", map[string]string{"content/agencies/cs-zfj/agency.toml": officersAgency})
	for _, tc := range []struct {
		cert, verdict, symbol, kind string
	}{
		{"44070030001", "有效", "✓", "ok"},
		{"44070030002", "暂扣（不得执法）", "!", "warn"},
		{"44070030003", "已注销", "✕", "bad"},
		{"44070030004", "已过期", "✕", "bad"},
	} {
		page := readOut(t, dir, "officers/"+tc.cert+"/index.html")
		for _, want := range []string{
			`<div class="verdict verdict-` + tc.kind + `">`,
			`<span class="verdict-symbol" aria-hidden="true">` + tc.symbol + `</span>`,
			`<p class="verdict-text">` + tc.verdict + `</p>`,
			`<a href="/agencies/cs-zfj/">测试市综合行政执法局</a>`,
			"0750-1234567", "https://www.example.gov.cn/zfj/ts/", "测试市人民政府",
			`<img src="/qr/officer-` + tc.cert + `.svg" alt="`,
		} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: page lacks %s", tc.cert, want)
			}
		}
		if tc.verdict != "有效" {
			if strings.Contains(page, `verdict-text">有效`) || strings.Contains(page, "verdict-ok") || strings.Contains(page, "✓") {
				t.Errorf("%s (%s): the page also reads as valid", tc.cert, tc.verdict)
			}
			if !strings.Contains(page, "不得以此证件从事行政执法活动") {
				t.Errorf("%s: the page does not say the holder may not act", tc.cert)
			}
		}
		url := testBase + "/officers/" + tc.cert + "/"
		for _, ext := range []string{"svg", "png"} {
			data, err := os.ReadFile(filepath.Join(dir, "public/qr/officer-"+tc.cert+"."+ext))
			if err != nil {
				t.Fatal(err)
			}
			decode := qrtest.DecodePNG
			if ext == "svg" {
				decode = qrtest.DecodeSVG
			}
			if got, err := decode(data); err != nil || got != url {
				t.Errorf("officer-%s.%s decodes to %q (%v), want %q", tc.cert, ext, got, err, url)
			}
		}
	}

	agency := readOut(t, dir, "agencies/cs-zfj/index.html")
	for _, want := range []string{`<a href="/officers/44070030002/">44070030002</a>`, "暂扣（不得执法）", "已过期",
		`href="/agencies/cs-zfj/officers/print/"`} {
		if !strings.Contains(agency, want) {
			t.Errorf("agency page lacks %s", want)
		}
	}
	// Cards only for the valid certificate; the others are named with why.
	cards := readOut(t, dir, "agencies/cs-zfj/officers/print/index.html")
	if !strings.Contains(cards, `src="/qr/officer-44070030001.svg"`) {
		t.Error("card sheet lacks the valid officer")
	}
	for _, cert := range []string{"44070030002", "44070030003", "44070030004"} {
		if strings.Contains(cards, `src="/qr/officer-`+cert+`.svg"`) {
			t.Errorf("card sheet has a card for %s, whose certificate is not valid", cert)
		}
	}

	// The case page lists its officers, linked to their credential pages.
	c := readOut(t, dir, "c/CS-2025-0001/index.html")
	if !strings.Contains(c, `<a href="/officers/44070010001/">执法证号 44070010001</a>`) {
		t.Error("case page does not link its officers' credential pages")
	}
}
