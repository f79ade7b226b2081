package browsertest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestChromiumLoadsServedPage(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "index.html"), []byte(`<!doctype html><title>公示</title><p id=x>你好</p>`), 0o644)
	os.WriteFile(filepath.Join(dir, "404.html"), []byte(`<!doctype html><title>未找到</title>`), 0o644)
	srv := Serve(t, dir)
	ctx := New(t)
	var text, title string
	if err := chromedp.Run(ctx, chromedp.Navigate(srv.URL+"/"), chromedp.Text("#x", &text, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	if text != "你好" {
		t.Fatalf("text %q", text)
	}
	if srv.Bytes() == 0 {
		t.Fatal("no bytes counted")
	}
	if err := chromedp.Run(ctx, chromedp.Navigate(srv.URL+"/nope/"), chromedp.Title(&title)); err != nil {
		t.Fatal(err)
	}
	if title != "未找到" {
		t.Fatalf("404 page title %q", title)
	}
}
