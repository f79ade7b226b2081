package render

import (
	"strings"
	"testing"

	"zfgs/generator/internal/model"
)

// Only a published 在岗 within the validity dates is 有效; every other
// combination says why not, and the strongest reason wins.
func TestOfficerVerdict(t *testing.T) {
	now := model.DateOf(2026, 3, 1)
	from, until := model.DateOf(2020, 1, 1), model.DateOf(2030, 12, 31)
	past, future := model.DateOf(2026, 2, 28), model.DateOf(2026, 3, 2)
	tests := []struct {
		status      string
		from, until model.Date
		want        string
		kind        string
	}{
		{"在岗", from, until, "有效", "ok"},
		{"在岗", 0, 0, "有效", "ok"},
		{"在岗", from, now, "有效", "ok"}, // the last day still counts
		{"在岗", now, 0, "有效", "ok"},
		{"在岗", from, past, "已过期", "bad"},
		{"在岗", future, until, "尚未生效", "warn"},
		{"暂扣", from, until, "暂扣（不得执法）", "warn"},
		{"暂扣", from, past, "已过期", "bad"},
		{"注销", from, until, "已注销", "bad"},
		{"注销", from, past, "已注销", "bad"},
		{"", from, until, "状态未公示", "warn"},
		{"", from, past, "已过期", "bad"},
	}
	for _, tt := range tests {
		o := &model.Officer{Status: tt.status, ValidFrom: tt.from, ValidUntil: tt.until}
		v := officerVerdict(o, now)
		if v.Text != tt.want || v.Kind != tt.kind || v.Valid != (tt.want == "有效") {
			t.Errorf("%q %v–%v: got %s/%s valid=%v, want %s/%s", tt.status, tt.from, tt.until, v.Text, v.Kind, v.Valid, tt.want, tt.kind)
		}
		if v.Symbol == "" || v.Detail == "" {
			t.Errorf("%q: verdict without symbol or explanation: %+v", tt.status, v)
		}
		if !v.Valid && !strings.Contains(v.Detail, "不得") && v.Text != "状态未公示" {
			t.Errorf("%q: a not-valid verdict must say the holder may not act: %q", tt.status, v.Detail)
		}
	}
}

// The test site's 注销 officer reads as not valid, the 在岗 one as valid,
// and the card sheet leaves the 注销 one out with the reason.
func TestOfficerPagesAndCards(t *testing.T) {
	w := buildTestSite(t)
	ok := string(w.files["officers/44070010001/index.html"])
	bad := string(w.files["officers/44070010003/index.html"])
	if !strings.Contains(ok, `<p class="verdict-text">有效</p>`) || !strings.Contains(ok, `class="verdict verdict-ok"`) {
		t.Error("在岗 officer's page does not read 有效")
	}
	if !strings.Contains(bad, `<p class="verdict-text">已注销</p>`) || strings.Contains(bad, `verdict-text">有效`) || strings.Contains(bad, "verdict-ok") {
		t.Error("注销 officer's page does not read 已注销 unmistakably")
	}
	cards := string(w.files["agencies/cs-scjg/officers/print/index.html"])
	if !strings.Contains(cards, `src="/qr/officer-44070010001.svg"`) || strings.Contains(cards, `src="/qr/officer-44070010003.svg"`) {
		t.Error("card sheet: want a card for the valid officer and none for the 注销 one")
	}
	if !strings.Contains(cards, "赵强（执法证号 44070010003）：证件状态：已注销") {
		t.Error("card sheet does not say why 赵强 has no card")
	}
}
