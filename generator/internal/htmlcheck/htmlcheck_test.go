package htmlcheck

import (
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	own := Options{Script: func(src string) bool { return strings.HasPrefix(src, "/assets/") }}
	bad := []string{
		`<script>alert(1)</script>`,
		`<SCRIPT SRC=//evil.example/x.js></SCRIPT>`,
		`<script src="/evil.js"></script>`,
		`<img src=x onerror=alert(1)>`,
		`<img/src=x onerror=alert(1)>`,
		`<p ONCLICK="x">`,
		`<div style="background:url(x)">`,
		`<a href="javascript:alert(1)">`,
		`<a href=" &#x6A;avascript:alert(1)">`,
		`<a href="java&#9;script:alert(1)">`,
		`<a href='vbscript:x'>`,
		`<a href="data:text/html,<script>alert(1)</script>">`,
		`<img src="data:image/svg+xml,<svg onload=alert(1)>">`,
		`<a href="data:image/svg+xml,<svg onload=alert(1)>">`,
		`<iframe srcdoc="x"></iframe>`,
		`<object data=x>`,
		`<embed src=x>`,
		`<base href="//evil.example/">`,
		`<meta http-equiv="Refresh" content="0;url=javascript:alert(1)">`,
		`<style>*{}</style>`,
		`<svg><a xlink:href="javascript:alert(1)">x</a></svg>`,
		`<form><button formaction="javascript:alert(1)">`,
		`<math><mi>x</mi></math>`,
		`<script src="/assets/site.js">alert(1)</script>`,
		`<p/onclick=x>`,
	}
	for _, doc := range bad {
		if ps := Check(doc, own); len(ps) == 0 {
			t.Errorf("%s: no problem found", doc)
		}
	}
	good := []string{
		`<!DOCTYPE html><html><head><title>x<script>alert(1)</script></title><script src="/assets/site-AB12.js"></script></head></html>`,
		`<p>&lt;script&gt;alert(1)&lt;/script&gt; onerror=alert(1) javascript:alert(1)</p>`,
		`<!-- raw HTML omitted --><p>a < b</p>`,
		`<a href="https://example.gov.cn/?q=javascript:x">x</a>`,
		`<a href="/c/X-1/">x</a><img src="data:image/png;base64,AAAA" alt="x"><a href="dAtA:imAge/png;">x</a>`,
		`<input checked="" disabled="" type="checkbox"><td align="left">x</td>`,
		`<svg class="chart" viewBox="0 0 1 1" role="img"><rect width="1" height="1"></rect></svg>`,
		`<textarea><img src=x onerror=alert(1)></textarea>`,
		`<a title="&quot; onclick=&quot;alert(1)" href="/">x</a>`,
	}
	for _, doc := range good {
		if ps := Check(doc, own); len(ps) != 0 {
			t.Errorf("%s: %v", doc, ps)
		}
	}
}
