package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"zfgs/generator/internal/browsertest"
)

// TestAccessibility runs axe-core (npm, pinned in package.json) in Debian
// Chromium on the demo portal's main page kinds, at desktop and phone
// widths, and fails on any serious or critical WCAG 2.1 A/AA violation.
func TestAccessibility(t *testing.T) {
	axe, err := os.ReadFile(filepath.Join("..", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		if os.Getenv("ZFGS_REQUIRE_TOOLS") == "1" {
			t.Fatalf("axe-core missing (npm ci): %v", err)
		}
		t.Skip("axe-core not installed; run npm ci")
	}
	out := os.Getenv("ZFGS_AXE_DIR")
	if out == "" {
		out = buildDemo(t)
	}
	srv := browsertest.Serve(t, out)
	ctx := browsertest.New(t)
	pages := []string{
		"/",
		"/agencies/jm-scjg/",
		"/agencies/jm-scjg/catalogue/",
		"/agencies/jm-scjg/benchmarks/",
		"/leniency/buyu-chufa/",
		"/agencies/jm-scjg/stats/2025/",
		"/c/JM-SCJG-2025-0003/",
		"/c/JM-SCJG-2025-0024/", // a tombstone
		"/timeliness/",
		"/search/?q=%E9%A3%9F%E5%93%81",
		"/officers/44070010001/",
		"/officers/44070010005/", // 注销
		"/officers/44070310003/", // 暂扣
		"/c/JM-SCJG-2025-0003/print.html",
	}
	for _, width := range []int64{1280, 360} {
		for _, p := range pages {
			var violations string
			err := chromedp.Run(ctx,
				chromedp.ActionFunc(func(ctx context.Context) error {
					return emulation.SetDeviceMetricsOverride(width, 900, 1, width < 600).Do(ctx)
				}),
				// axe is injected through DevTools, which the page's strict
				// CSP (script-src 'self') would otherwise refuse.
				chromedp.ActionFunc(func(ctx context.Context) error { return page.SetBypassCSP(true).Do(ctx) }),
				chromedp.Navigate(srv.URL+p),
				chromedp.Evaluate(string(axe), nil),
				chromedp.Evaluate(`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
					.then(r => JSON.stringify(r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
					.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))))`,
					&violations, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
			)
			if err != nil {
				t.Fatalf("%s @%d: %v", p, width, err)
			}
			var vs []map[string]any
			if err := json.Unmarshal([]byte(violations), &vs); err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			for _, v := range vs {
				t.Errorf("%s @%dpx: %v (%v): %v %v", p, width, v["id"], v["impact"], v["help"], v["nodes"])
			}
		}
	}
}

// buildDemo builds the bundled demo portal into a temporary directory.
func buildDemo(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	var stdout, stderr strings.Builder
	if code := run([]string{"build", "--source", "..", "--out", out, "--now", "2026-11-24"}, &stdout, &stderr); code != 0 {
		t.Fatalf("build: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	return out
}
