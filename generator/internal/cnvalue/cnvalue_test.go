package cnvalue

import (
	"math"
	"strings"
	"testing"
)

func TestDate(t *testing.T) {
	for in, want := range map[string]string{
		"2025-03-01": "2025-03-01", "2025-3-1": "2025-03-01", "2025/3/1": "2025-03-01", "2025年3月1日": "2025-03-01",
		"2025 年 3 月 1 日": "2025-03-01", "20250301": "2025-03-01", "2025.3.1": "2025-03-01", "２０２５年３月１日": "2025-03-01",
		" 2024-02-29 ": "2024-02-29",
	} {
		if d, ok := Date(in); !ok || d.String() != want {
			t.Errorf("Date(%q) = %v %v, want %s", in, d, ok, want)
		}
	}
	for _, in := range []string{"2025-02-30", "2023-02-29", "明年", "2025-13-01", "1899-01-01", "2025年3月", "2025-03-01T10:00", ""} {
		if d, ok := Date(in); ok {
			t.Errorf("Date(%q) accepted as %v", in, d)
		}
	}
}

func TestNumber(t *testing.T) {
	for in, want := range map[string]float64{
		"五千": 5000, "一万五千": 15000, "十": 10, "十五": 15, "二十万": 200000, "一百零五": 105, "两千": 2000,
		"三百五十万": 3500000, "1.5": 1.5, "伍仟": 5000, "壹万贰仟": 12000, "拾": 10, "玖佰": 900,
	} {
		if got, ok := Number(in); !ok || got != want {
			t.Errorf("Number(%q) = %v %v, want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"万", "一二", "千", "", "1e999", "一亿" + strings.Repeat("亿", 40), "五千元", "5000元"} {
		if v, ok := Number(in); ok {
			t.Errorf("Number(%q) accepted as %v", in, v)
		}
	}
}

func TestAmount(t *testing.T) {
	for in, want := range map[string]float64{
		"5000": 5000, "5000元": 5000, "5,000元": 5000, "５，０００元": 5000, "￥5000.00": 5000, "¥ 5000": 5000,
		"人民币5000元": 5000, "0.5万元": 5000, "1.2万": 12000, "5千元": 5000, "伍仟元整": 5000, "人民币伍仟元整": 5000,
		"壹万元": 10000, "五千元": 5000, "0": 0, "36元": 36,
	} {
		if got, ok := Amount(in); !ok || got != want {
			t.Errorf("Amount(%q) = %v %v, want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"-5000", "-5000元", "五千美元", "若干", "", "元", "1e400", "5000元以下", "NaN"} {
		if v, ok := Amount(in); ok {
			t.Errorf("Amount(%q) accepted as %v", in, v)
		}
	}
}

// Whatever a clerk types, the readers never panic; what they accept is a
// real date (its ISO form reads back the same) or a finite, non-negative
// amount.
func FuzzReaders(f *testing.F) {
	for _, s := range []string{"2025年3月1日", "20250301", "5,000元", "0.5万元", "伍仟元整", "一万五千", "1e308万", "９９９９", "２０２５/２/２９"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, ok := Date(s); ok {
			if back, ok := Date(d.String()); !ok || back != d {
				t.Fatalf("Date(%q) = %v, which reads back as %v %v", s, d, back, ok)
			}
		}
		if v, ok := Amount(s); ok && (v < 0 || math.IsInf(v, 0) || math.IsNaN(v)) {
			t.Fatalf("Amount(%q) = %v", s, v)
		}
		if v, ok := Number(s); ok && (math.IsInf(v, 0) || math.IsNaN(v)) {
			t.Fatalf("Number(%q) = %v", s, v)
		}
	})
}
