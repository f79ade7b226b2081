// Package browsertest starts Debian's Chromium headless for tests, and serves
// a built site on 127.0.0.1 while counting the bytes each request sends (the
// DevTools network events of older cdproto versions are not reliable for
// that). Tests skip when Chromium is missing, unless ZFGS_REQUIRE_TOOLS=1
// (set by .ci/run), where a missing tool is a failure.
package browsertest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// RequireTool returns the path of an external program, or skips the test
// (fails it in CI).
func RequireTool(t testing.TB, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	if os.Getenv("ZFGS_REQUIRE_TOOLS") == "1" {
		t.Fatalf("%v not installed (required in CI)", names)
	}
	t.Skipf("%v not installed; apt-get install it to run this test", names)
	return ""
}

// New starts a headless Chromium and returns a tab context; it is closed at
// the end of the test.
func New(t testing.TB) context.Context {
	t.Helper()
	bin := RequireTool(t, "chromium", "chromium-browser", "google-chrome")
	// Not t.TempDir: Chromium may still be writing its profile while it
	// exits, which would fail the test's cleanup.
	profile, err := os.MkdirTemp("", "zfgs-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	// Older cdproto cannot decode some events newer Chromium sends; chromedp
	// logs each ("could not unmarshal event"), which is harmless noise.
	quiet := func(format string, args ...any) {
		if msg := fmt.Sprintf(format, args...); !strings.Contains(msg, "could not unmarshal event") {
			t.Logf("chromedp: %s", msg)
		}
	}
	ctx, cancelC := chromedp.NewContext(actx, chromedp.WithErrorf(quiet))
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() {
		cancelT()
		cancelC()
		cancelA()
		for i := 0; i < 20 && os.RemoveAll(profile) != nil; i++ {
			time.Sleep(50 * time.Millisecond)
		}
	})
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// Server serves a directory on 127.0.0.1.
type Server struct {
	URL   string
	bytes atomic.Int64
	mu    sync.Mutex
	paths []string
}

// Serve serves dir until the test ends. Like a static host, a path ending in
// / serves its index.html and a missing file serves /404.html with status 404.
func Serve(t testing.TB, dir string) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{URL: "http://" + ln.Addr().String()}
	files := http.FileServer(http.Dir(dir))
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.paths = append(s.paths, r.URL.Path)
		s.mu.Unlock()
		cw := &countingWriter{ResponseWriter: w, n: &s.bytes}
		if _, err := os.Stat(dir + r.URL.Path); err != nil {
			if nf, err := os.ReadFile(dir + "/404.html"); err == nil {
				cw.Header().Set("Content-Type", "text/html; charset=utf-8")
				cw.WriteHeader(http.StatusNotFound)
				cw.Write(nf)
				return
			}
		}
		files.ServeHTTP(cw, r)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s
}

// Bytes is the number of body bytes served since the last Reset.
func (s *Server) Bytes() int64 { return s.bytes.Load() }

// Paths are the request paths since the last Reset.
func (s *Server) Paths() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.paths...)
}

// Reset zeroes the counters.
func (s *Server) Reset() {
	s.bytes.Store(0)
	s.mu.Lock()
	s.paths = nil
	s.mu.Unlock()
}

type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.ResponseWriter.Write(b)
	c.n.Add(int64(n))
	return n, err
}
