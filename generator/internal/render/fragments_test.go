package render

import (
	"fmt"
	"html/template"
	"testing"
)

// TestFragmentCacheKeys: a fragment is rendered once per key and reused;
// a key that varies on every call still renders correctly, and the cache
// stops growing at maxFragments.
func TestFragmentCacheKeys(t *testing.T) {
	calls := 0
	shell := template.Must(template.New("shell").Funcs(template.FuncMap{
		"count": func() int { calls++; return calls },
	}).Parse(`{{define "frag"}}<b>{{.}}</b>#{{count}}{{end}}`))
	c := &fragmentCache{shell: shell, m: map[string]template.HTML{}}
	for i := 0; i < 3; i++ {
		got, err := c.render("frag", "<x>", "k")
		if err != nil {
			t.Fatal(err)
		}
		if got != "<b>&lt;x&gt;</b>#1" {
			t.Fatalf("call %d: %q (escaped once, rendered once)", i, got)
		}
	}
	for i := 0; i < maxFragments+50; i++ {
		got, err := c.render("frag", i, i)
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("<b>%d</b>#", i); string(got[:len(want)]) != want {
			t.Fatalf("key %d: %q", i, got)
		}
	}
	if len(c.m) > maxFragments {
		t.Errorf("cache holds %d fragments, bound %d", len(c.m), maxFragments)
	}
	if _, err := c.render("missing", nil); err == nil {
		t.Error("an undefined fragment rendered without error")
	}
}
