package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"zfgs/generator/internal/diag"
	"zfgs/generator/internal/model"
	"zfgs/generator/internal/safefs"
	"zfgs/generator/internal/scope"
	"zfgs/generator/internal/site"
)

// commonFlags are shared by check and build.
type commonFlags struct {
	source string
	now    string
	strict bool
}

func (c *commonFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.source, "source", ".", "站点根目录（含 config.toml 和 content/）")
	fs.StringVar(&c.now, "now", "", "按此日期判断期限规则（YYYY-MM-DD，默认今天）")
	fs.BoolVar(&c.strict, "strict", false, "把警告视为错误")
}

func (c *commonFlags) options() (site.Options, error) {
	opt := site.Options{Strict: c.strict}
	if c.now == "" {
		t := time.Now()
		opt.Now = model.DateOf(t.Year(), t.Month(), t.Day())
	} else {
		d, err := model.ParseDate(c.now)
		if err != nil {
			return opt, fmt.Errorf("--now 应写作 YYYY-MM-DD，如 2026-01-31")
		}
		opt.Now = d
	}
	if st, err := os.Stat(c.source); err != nil || !st.IsDir() {
		return opt, fmt.Errorf("--source %s 不是目录", c.source)
	}
	return opt, nil
}

// parse parses args with fset (the command's own flags already added) and
// returns the run options; false means bad usage, already reported.
func (c *commonFlags) parse(fset *flag.FlagSet, args []string, stderr io.Writer) (site.Options, bool) {
	if err := fset.Parse(args); err != nil {
		return site.Options{}, false
	}
	if fset.NArg() > 0 {
		fmt.Fprintf(stderr, "多余的参数：%v\n", fset.Args())
		return site.Options{}, false
	}
	opt, err := c.options()
	if err != nil {
		fmt.Fprintln(stderr, err)
		return site.Options{}, false
	}
	return opt, true
}

func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func cmdCheck(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("check", stderr)
	var cf commonFlags
	cf.register(fs)
	cpuprofile := fs.String("cpuprofile", "", "把 CPU 性能剖析写入此文件（pprof 格式，供开发者分析）")
	opt, ok := cf.parse(fs, args, stderr)
	if !ok {
		return 2
	}
	stop, ok := startCPUProfile(*cpuprofile, stderr)
	if !ok {
		return 2
	}
	defer stop()
	sitefs := safefs.New(cf.source)
	// A build's case memo, read only: an unchanged case file's findings
	// are replayed instead of being found again.
	if prog, err := programDigest(); err == nil {
		if in, err := scope.Read(cf.source, prog); err == nil {
			if opt.Memo = openCaseMemo(filepath.Join(cf.source, ".cache"), in.Env(), sitefs, true); opt.Memo != nil {
				defer opt.Memo.Close()
				opt.Scope = in
			}
		}
	}
	res := site.Run(sitefs, opt, nil)
	res.Diags.Print(stdout)
	if opt.Memo != nil {
		if st := opt.Memo.Stats(); st.Unchanged+st.SameBytes > 0 {
			fmt.Fprintf(stdout, "案件缓存：%d 个案件文件自上次生成后未改动，沿用当时的检查结果\n", st.Unchanged+st.SameBytes)
		}
	}
	if res.Diags.HasErrors() {
		return 1
	}
	return 0
}

func cmdCodes(stdout io.Writer) int {
	for _, c := range diag.Codes() {
		info, _ := c.Describe()
		fmt.Fprintf(stdout, "%-18s %-7s %s。%s\n", c, info.Severity, info.Title, info.Fix)
	}
	return 0
}
