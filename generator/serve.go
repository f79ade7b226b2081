package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"

	"zfgs/generator/internal/diag"
	"zfgs/generator/internal/publish"
	"zfgs/generator/internal/safefs"
	"zfgs/generator/internal/site"
)

// debounce is how long serve waits after the last change before it
// rebuilds: an editor's save is several events, a git checkout hundreds.
const debounce = 200 * time.Millisecond

// cmdServe is a local preview: it builds the site into a temporary
// directory with the same pipeline as build, serves it on 127.0.0.1,
// rebuilds when content/, config.toml or layouts/ change, and tells open
// pages to reload. While the content has errors every page is replaced by
// an overlay listing them.
func cmdServe(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serveMain(ctx, args, stdout, stderr, nil)
}

// serveMain runs serve until ctx ends; ready, when set, is told the
// preview's address once it is listening (tests).
func serveMain(ctx context.Context, args []string, stdout, stderr io.Writer, ready func(addr string)) int {
	fset := newFlagSet("serve", stderr)
	var cf commonFlags
	cf.register(fset)
	port := fset.Int("port", 8000, "预览端口（只在 127.0.0.1 上监听；0 表示任选空闲端口）")
	opt, ok := cf.parse(fset, args, stderr)
	if !ok {
		return 2
	}
	if *port < 0 || *port > 65535 {
		fmt.Fprintln(stderr, "--port 应在 0–65535 之间")
		return 2
	}
	tmp, err := os.MkdirTemp("", "zfgs-serve-")
	if err != nil {
		fmt.Fprintf(stderr, "无法创建临时目录：%v\n", err)
		return 1
	}
	defer os.RemoveAll(tmp)
	p := &preview{source: cf.source, opt: opt, out: filepath.Join(tmp, "site"), log: stdout,
		subs: map[chan struct{}]bool{}, quit: make(chan struct{})}

	w, err := fsnotify.NewWatcher()
	if err != nil {
		fmt.Fprintf(stderr, "无法监视文件变化：%v\n", err)
		return 1
	}
	defer w.Close()
	p.watchSite(w)
	p.build()

	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(*port)))
	if err != nil {
		fmt.Fprintf(stderr, "无法在 127.0.0.1:%d 上监听（端口被占用？可用 --port 换一个）：%v\n", *port, err)
		return 1
	}
	srv := &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	addr := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "预览地址：%s%s/ （修改 content/、config.toml 或 layouts/ 后自动重新生成并刷新页面；按 Ctrl+C 停止）\n", addr, p.current().base)
	if ready != nil {
		ready(addr)
	}

	done := make(chan struct{})
	go func() { p.watchLoop(ctx, w); close(done) }()
	var code int
	select {
	case <-ctx.Done():
	case err := <-served:
		fmt.Fprintf(stderr, "预览服务器停止：%v\n", err)
		code = 1
	}
	close(p.quit) // ends the event streams, so Shutdown need not wait for them
	sctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	srv.Shutdown(sctx)
	w.Close()
	<-done
	return code
}

// preview is the state of one serve session.
type preview struct {
	source string
	opt    site.Options
	out    string // the built site (a temporary directory)
	log    io.Writer

	mu   sync.Mutex
	st   buildState
	subs map[chan struct{}]bool
	quit chan struct{}
}

// buildState is the outcome of the last build.
type buildState struct {
	gen   int               // counts builds
	ok    bool              // the last build succeeded and is being served
	built bool              // some build succeeded: out holds a site
	base  string            // base_url's path ("" or "/zfgs")
	diags []diag.Diagnostic // of the last build
	err   string            // a failure that is not a content error
}

func (p *preview) current() buildState {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.st
}

// build runs the build pipeline into the temporary output and tells every
// open page to reload.
func (p *preview) build() {
	start := time.Now()
	prev := p.current()
	st := buildState{gen: prev.gen + 1, built: prev.built, base: prev.base}
	tx, err := publish.Begin(p.out)
	if err != nil {
		st.err = err.Error()
	} else {
		// The preview is ours alone: update it in place, the fast way.
		cache := startCache(tx, p.source, filepath.Join(p.source, ".cache"), true)
		res, _, err := buildSite(safefs.New(p.source), siteLayouts(p.source), p.opt, tx, cache)
		st.diags = res.Diags.Items()
		switch {
		case res.Diags.HasErrors():
			tx.Abort()
		case err != nil:
			tx.Abort()
			st.err = err.Error()
		default:
			if err := tx.Commit(); err != nil {
				st.err = err.Error()
			} else {
				st.ok, st.built = true, true
				st.base = basePath(res.Site.Config.BaseURL)
			}
		}
	}
	var b bytes.Buffer
	for _, d := range st.diags {
		fmt.Fprintln(&b, d.String())
	}
	errs, warns := countDiags(st.diags)
	outcome := "已重新生成"
	if !st.ok {
		outcome = "未生成（浏览器中显示错误列表）"
	}
	fmt.Fprintf(&b, "[%s] %s：%d 个错误，%d 个警告，用时 %.1f 秒\n", time.Now().Format("15:04:05"), outcome, errs, warns, time.Since(start).Seconds())
	if st.err != "" {
		fmt.Fprintln(&b, st.err)
	}
	p.log.Write(b.Bytes())

	p.mu.Lock()
	p.st = st
	for ch := range p.subs {
		select {
		case ch <- struct{}{}:
		default: // a reload is already pending
		}
	}
	p.mu.Unlock()
}

func countDiags(ds []diag.Diagnostic) (errs, warns int) {
	for _, d := range ds {
		switch d.Severity {
		case diag.Error:
			errs++
		case diag.Warning:
			warns++
		}
	}
	return
}

func basePath(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil {
		return ""
	}
	return strings.TrimRight(u.Path, "/")
}

// watchSite watches the site root (for config.toml, urls.lock and folders
// created later) and every folder under content/ and layouts/.
func (p *preview) watchSite(w *fsnotify.Watcher) {
	if err := w.Add(p.source); err != nil {
		fmt.Fprintf(p.log, "无法监视 %s：%v\n", p.source, err)
	}
	for _, d := range []string{"content", "layouts"} {
		p.watchTree(w, filepath.Join(p.source, d))
	}
}

func (p *preview) watchTree(w *fsnotify.Watcher, root string) {
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		if path != root && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if err := w.Add(path); err != nil {
			fmt.Fprintf(p.log, "无法监视 %s：%v\n", path, err)
		}
		return nil
	})
}

// relevant reports whether a change at name can change the site.
func (p *preview) relevant(name string) bool {
	rel, err := filepath.Rel(p.source, name)
	if err != nil {
		return false
	}
	rel = filepath.ToSlash(rel)
	base := path.Base(rel)
	if strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~") || strings.HasSuffix(base, ".swp") || strings.HasSuffix(base, ".swx") || base == "4913" {
		return false // editors' temporary files
	}
	top, _, _ := strings.Cut(rel, "/")
	return top == "content" || top == "layouts" || rel == "config.toml" || rel == "urls.lock"
}

// watchLoop rebuilds once changes have settled for debounce.
func (p *preview) watchLoop(ctx context.Context, w *fsnotify.Watcher) {
	var fire <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.Events:
			if !ok {
				return
			}
			if !p.relevant(ev.Name) {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if fi, err := os.Lstat(ev.Name); err == nil && fi.IsDir() {
					p.watchTree(w, ev.Name) // a new folder: watch it and what is already in it
				}
			}
			fire = time.After(debounce)
		case err, ok := <-w.Errors:
			if !ok {
				return
			}
			fmt.Fprintf(p.log, "监视文件变化出错：%v\n", err)
		case <-fire:
			fire = nil
			p.build()
		}
	}
}

// ServeHTTP serves the preview: the built site with the reload script in
// every page, the event stream and the script, or the error overlay.
func (p *preview) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	switch r.URL.Path {
	case "/_zfgs/events":
		p.events(w, r)
		return
	case "/_zfgs/reload.js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		io.WriteString(w, reloadJS)
		return
	}
	st := p.current()
	rel := path.Clean("/" + r.URL.Path)
	isPage := path.Ext(rel) == "" || path.Ext(rel) == ".html"
	if !st.ok && isPage {
		p.overlay(w, st)
		return
	}
	if st.base != "" {
		switch {
		case rel == "/":
			http.Redirect(w, r, st.base+"/", http.StatusFound)
			return
		case rel == st.base || strings.HasPrefix(rel, st.base+"/"):
			rel = strings.TrimPrefix(rel, st.base)
			if rel == "" {
				rel = "/"
			}
		default:
			p.notFound(w, st)
			return
		}
	}
	full := filepath.Join(p.out, filepath.FromSlash(rel))
	fi, err := os.Stat(full)
	if err == nil && fi.IsDir() {
		if !strings.HasSuffix(r.URL.Path, "/") {
			u := *r.URL
			u.Path += "/"
			http.Redirect(w, r, u.String(), http.StatusMovedPermanently)
			return
		}
		full = filepath.Join(full, "index.html")
	}
	f, err := os.Open(full)
	if err != nil {
		p.notFound(w, st)
		return
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil || fi.IsDir() {
		p.notFound(w, st)
		return
	}
	if strings.HasSuffix(full, ".html") {
		data, err := io.ReadAll(f)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(injectReload(data))
		return
	}
	http.ServeContent(w, r, full, fi.ModTime(), f)
}

func (p *preview) notFound(w http.ResponseWriter, st buildState) {
	data, err := os.ReadFile(filepath.Join(p.out, "404.html"))
	if err != nil || !st.built {
		http.Error(w, "404 页面不存在", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	w.Write(injectReload(data))
}

// reloadTag is what serve adds to each page; build output never has it.
const reloadTag = `<script src="/_zfgs/reload.js"></script>`

// injectReload puts the reload script before </body> (or at the end).
func injectReload(html []byte) []byte {
	i := bytes.LastIndex(bytes.ToLower(html), []byte("</body>"))
	if i < 0 {
		return append(html, reloadTag...)
	}
	out := make([]byte, 0, len(html)+len(reloadTag))
	out = append(out, html[:i]...)
	out = append(out, reloadTag...)
	return append(out, html[i:]...)
}

// reloadJS reloads the page when serve has rebuilt the site. The event
// stream reconnects by itself when serve restarts; a different build
// number then also reloads.
const reloadJS = `(function () {
  var seen = null;
  var es = new EventSource("/_zfgs/events");
  es.addEventListener("hello", function (e) {
    if (seen !== null && e.data !== seen) location.reload();
    seen = e.data;
  });
  es.addEventListener("reload", function () { location.reload(); });
})();
`

// events is the Server-Sent Events stream: "hello" with the build number on
// connect, then "reload" after every build.
func (p *preview) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "不支持事件流", http.StatusInternalServerError)
		return
	}
	ch := make(chan struct{}, 1)
	p.mu.Lock()
	p.subs[ch] = true
	gen := p.st.gen
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		delete(p.subs, ch)
		p.mu.Unlock()
	}()
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.Header().Set("X-Accel-Buffering", "no")
	fmt.Fprintf(w, "retry: 1000\nevent: hello\ndata: %d\n\n", gen)
	fl.Flush()
	ping := time.NewTicker(25 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-ch:
			fmt.Fprintf(w, "event: reload\ndata: %d\n\n", p.current().gen)
		case <-ping.C:
			io.WriteString(w, ": ping\n\n")
		case <-r.Context().Done():
			return
		case <-p.quit:
			return
		}
		fl.Flush()
	}
}
