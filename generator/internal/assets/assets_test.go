package assets

import (
	"bytes"
	"strings"
	"testing"
	"testing/fstest"

	"zfgs/web"
)

func TestBuildEmbeddedSources(t *testing.T) {
	b, err := Build(web.FS)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.CSS, "/assets/site-") || !strings.HasSuffix(b.CSS, ".css") {
		t.Errorf("CSS path %q", b.CSS)
	}
	if !strings.HasPrefix(b.JS, "/assets/site-") || !strings.HasSuffix(b.JS, ".js") {
		t.Errorf("JS path %q", b.JS)
	}
	for _, f := range b.Files {
		if strings.HasSuffix(f.Path, ".css") {
			// print.css is @imported, so the bundle must contain it inline.
			if !bytes.Contains(f.Data, []byte("@media print")) {
				t.Errorf("bundle %s lacks the print stylesheet", f.Path)
			}
			if bytes.Contains(f.Data, []byte("@import")) {
				t.Errorf("bundle %s still has an @import", f.Path)
			}
		}
	}
	again, err := Build(web.FS)
	if err != nil {
		t.Fatal(err)
	}
	if again.CSS != b.CSS || again.JS != b.JS || len(again.Files) != len(b.Files) {
		t.Fatalf("not deterministic: %v vs %v", again, b)
	}
	for i := range b.Files {
		if !bytes.Equal(b.Files[i].Data, again.Files[i].Data) {
			t.Errorf("%s differs between builds", b.Files[i].Path)
		}
	}
}

func TestHashFollowsContent(t *testing.T) {
	src := fstest.MapFS{
		"css/site.css": {Data: []byte("body{color:red}")},
		"js/site.js":   {Data: []byte("console.log(1)")},
		"js/search.js": {Data: []byte("console.log(2)")},
	}
	a, err := Build(src)
	if err != nil {
		t.Fatal(err)
	}
	src["css/site.css"] = &fstest.MapFile{Data: []byte("body{color:blue}")}
	b, err := Build(src)
	if err != nil {
		t.Fatal(err)
	}
	if a.CSS == b.CSS {
		t.Errorf("changed CSS kept its name %s", a.CSS)
	}
	if a.JS != b.JS {
		t.Errorf("unchanged JS renamed: %s → %s", a.JS, b.JS)
	}
}

func TestBuildErrorNamesPlace(t *testing.T) {
	src := fstest.MapFS{
		"css/site.css": {Data: []byte("body{color:red}")},
		"js/site.js":   {Data: []byte("let x = ;")},
	}
	_, err := Build(src)
	if err == nil || !strings.Contains(err.Error(), "js/site.js:1:") {
		t.Fatalf("want an error naming js/site.js:1, got %v", err)
	}
}
