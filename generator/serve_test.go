package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is written by serve's goroutines and read by the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestServe runs the preview on a real port of 127.0.0.1: a page is served
// with the reload script, an edit is rebuilt and announced on the event
// stream, a new folder is watched, and a content error replaces every page
// with the Chinese error overlay naming file:line.
func TestServe(t *testing.T) {
	dir := baseSite(t)
	ctx, cancel := context.WithCancel(context.Background())
	var out lockedBuffer
	addrc := make(chan string, 1)
	exited := make(chan int, 1)
	go func() {
		exited <- serveMain(ctx, []string{"--source", dir, "--now", "2025-06-30", "--port", "0"}, &out, &out, func(a string) { addrc <- a })
	}()
	defer func() {
		cancel()
		select {
		case code := <-exited:
			if code != 0 {
				t.Errorf("serve exited %d\n%s", code, out.String())
			}
		case <-time.After(10 * time.Second):
			t.Error("serve did not stop")
		}
	}()
	var addr string
	select {
	case addr = <-addrc:
	case code := <-exited:
		t.Fatalf("serve exited %d:\n%s", code, out.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("serve did not start:\n%s", out.String())
	}

	page := addr + "/c/CS-2025-0001/"
	code, body := httpGet(t, page)
	if code != 200 || !strings.Contains(body, "货值金额一万二千元") {
		t.Fatalf("GET %s: %d\n%s", page, code, body)
	}
	if !strings.Contains(body, reloadTag+"</body>") {
		t.Errorf("reload script not injected before </body>")
	}
	if code, js := httpGet(t, addr+"/_zfgs/reload.js"); code != 200 || !strings.Contains(js, "EventSource") {
		t.Errorf("reload.js: %d %q", code, js)
	}
	if code, _ := httpGet(t, addr+"/c/CS-2025-0001"); code != 200 {
		t.Errorf("GET without the slash: %d", code)
	}
	if code, body := httpGet(t, addr+"/c/NO-SUCH/"); code != 404 || !strings.Contains(body, reloadTag) {
		t.Errorf("missing page: %d", code)
	}

	// The event stream.
	req, _ := http.NewRequestWithContext(ctx, "GET", addr+"/_zfgs/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("events Content-Type %q", ct)
	}
	events := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if name, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
				events <- name
			}
		}
		close(events)
	}()
	next := func() string {
		t.Helper()
		select {
		case e := <-events:
			return e
		case <-time.After(60 * time.Second):
			t.Fatalf("no event from serve:\n%s", out.String())
		}
		return ""
	}
	if e := next(); e != "hello" {
		t.Fatalf("first event %q, want hello", e)
	}
	// waitFor waits for reload events until the page at url satisfies ok.
	waitFor := func(url string, ok func(int, string) bool) (int, string) {
		t.Helper()
		for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); {
			if e := next(); e != "reload" {
				t.Fatalf("event %q, want reload", e)
			}
			if code, body := httpGet(t, url); ok(code, body) {
				return code, body
			}
		}
		t.Fatalf("%s never changed as expected:\n%s", url, out.String())
		return 0, ""
	}

	// An edit is rebuilt and announced.
	caseFile := filepath.Join(dir, "content/agencies/cs-scjg/cases/2025/CS-2025-0001.md")
	src, _ := os.ReadFile(caseFile)
	edited := strings.Replace(string(src), "货值金额一万二千元。", "货值金额一万二千元。预览中修改的说明。", 1)
	writeTestFile(t, caseFile, edited)
	waitFor(page, func(code int, body string) bool {
		return code == 200 && strings.Contains(body, "预览中修改的说明")
	})

	// A folder created after serve started is watched too: the empty
	// agency folder is an error, its agency.toml written later fixes it.
	newAgency := filepath.Join(dir, "content/agencies/cs-new")
	if err := os.Mkdir(newAgency, 0o755); err != nil {
		t.Fatal(err)
	}
	waitFor(addr+"/", func(code int, body string) bool {
		return code == 500 && strings.Contains(body, "content/agencies/cs-new/agency.toml")
	})
	time.Sleep(50 * time.Millisecond)
	writeTestFile(t, filepath.Join(newAgency, "agency.toml"), "name = \"测试市新设局\"\nlevel = \"市\"\n")
	waitFor(addr+"/agencies/cs-new/", func(code int, body string) bool { return code == 200 && strings.Contains(body, "测试市新设局") })

	// A content error: the overlay replaces every page, in Chinese, with
	// file:line:col, and the page reloads into the site once it is fixed.
	writeTestFile(t, caseFile, strings.Replace(edited, "fine = 30000", "fine = 80000", 1))
	_, body = waitFor(page, func(code int, body string) bool { return code == 500 })
	for _, want := range []string{"内容有错误", "content/agencies/cs-scjg/cases/2025/CS-2025-0001.md:18:", "错误[E_FINE_RANGE]", "罚款", reloadTag} {
		if !strings.Contains(body, want) {
			t.Errorf("overlay lacks %q:\n%s", want, body)
		}
	}
	writeTestFile(t, caseFile, edited)
	waitFor(page, func(code int, body string) bool { return code == 200 })
}

func TestInjectReload(t *testing.T) {
	for in, want := range map[string]string{
		"<html><body><p>x</p></body></html>": "<html><body><p>x</p>" + reloadTag + "</body></html>",
		"<P>no body</P>":                     "<P>no body</P>" + reloadTag,
		"<BODY>x</BODY>":                     "<BODY>x" + reloadTag + "</BODY>",
	} {
		if got := string(injectReload([]byte(in))); got != want {
			t.Errorf("injectReload(%q) = %q", in, got)
		}
	}
}
