package main

import (
	"fmt"
	"io"
	"os"

	"zfgs/generator/internal/gendemo"
)

func cmdGenDemo(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("gen-demo", stderr)
	cases := fs.Int("cases", 10000, "生成的执法决定数量")
	agencies := fs.Int("agencies", 60, "执法主体数量")
	seed := fs.Uint64("seed", 1, "随机种子（相同参数生成相同内容）")
	out := fs.String("out", "", "输出目录（须不存在或为空）")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "用法：generator gen-demo --cases N [--agencies N] [--seed N] --out DIR")
		return 2
	}
	if entries, err := os.ReadDir(*out); err == nil && len(entries) > 0 {
		fmt.Fprintf(stderr, "输出目录 %s 不为空\n", *out)
		return 2
	}
	if err := gendemo.Generate(*out, gendemo.Options{Cases: *cases, Agencies: *agencies, Seed: *seed}); err != nil {
		fmt.Fprintln(stderr, "生成失败：", err)
		return 1
	}
	fmt.Fprintf(stdout, "已生成 %d 个执法主体、%d 件执法决定：%s\n", *agencies, *cases, *out)
	return 0
}
