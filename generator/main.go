// Command generator checks and builds a 行政执法公示 portal from an agency
// content repository. See README.md and shared/spec/CONTENT.md.
//
// Exit status: 0 ok (warnings may be printed), 1 content errors, 2 bad usage.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
)

func main() {
	// Keep the heap under 1.5 GiB when the content allows, so a build
	// stays within 2 GiB of RSS (a city's 1,000,000-item catalogue peaks
	// at 2 GiB without a limit): the garbage collector works harder instead
	// of doubling the heap. At 1 GiB a million-decision build, whose live
	// heap is near that, collected almost without pause. GOMEMLIMIT in the
	// environment overrides it.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(1536 << 20)
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `用法：
  generator check [--source DIR] [--now YYYY-MM-DD] [--strict]
  generator build [--source DIR] [--out DIR] [--now YYYY-MM-DD] [--strict] [--in-place] [--no-cache]
  generator qr <案件编号> [--source DIR] [--format svg|png] [--size-mm N] [--dpi N] [-o FILE]
  generator gen-demo --cases N --out DIR   生成合成的大规模演示站点（用于性能测试）
  generator bench --cases N [--hugo PATH]   生成 N 件决定的站点并测量 check/build/单件重建的耗时与内存
  generator codes                      列出全部规则代码及修改方法
  generator serve [--source DIR] [--port N] [--now DATE]   本地预览：修改内容后自动重新生成并刷新浏览器
  generator new agency|catalogue|benchmarks|leniency|case|plan|stats …   生成带中文说明的内容文件模板
  generator import --kind catalogue|benchmarks|leniency|plan|officers --agency ID 文件.xlsx|文件.csv [-o 输出]
`

// run is main without the process: tests call it directly.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "check":
		return cmdCheck(args[1:], stdout, stderr)
	case "build":
		return cmdBuild(args[1:], stdout, stderr)
	case "qr":
		return cmdQR(args[1:], stdout, stderr)
	case "bench":
		return cmdBench(args[1:], stdout, stderr)
	case "gen-demo":
		return cmdGenDemo(args[1:], stdout, stderr)
	case "codes":
		return cmdCodes(stdout)
	case "serve":
		return cmdServe(args[1:], stdout, stderr)
	case "new":
		return cmdNew(args[1:], stdout, stderr)
	case "import":
		return cmdImport(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "未知命令 %q\n%s", args[0], usage)
	return 2
}
