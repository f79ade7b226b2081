package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"zfgs/generator/internal/content"
	"zfgs/generator/internal/diag"
	"zfgs/generator/internal/qr"
)

// cmdQR makes one case's QR code before the decision is published: the URL
// follows from the case id alone, so a clerk can put the code into the Word
// template of the decision document on the day it is signed.
func cmdQR(args []string, stdout, stderr io.Writer) int {
	var id string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		id, args = args[0], args[1:]
	}
	fs := newFlagSet("qr", stderr)
	source := fs.String("source", ".", "站点根目录（读取 config.toml 的 base_url 和 qr_ecc）")
	format := fs.String("format", "svg", "svg 或 png")
	sizeMM := fs.Float64("size-mm", 25, "打印边长（毫米，含静区）")
	dpi := fs.Int("dpi", 300, "PNG 分辨率（每英寸点数）")
	out := fs.String("o", "", "输出文件（默认 <案件编号>.<格式>，- 表示标准输出）")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if id == "" && fs.NArg() == 1 {
		id = fs.Arg(0)
	} else if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "多余的参数：%v\n", fs.Args())
		return 2
	}
	if id == "" {
		fmt.Fprintln(stderr, "用法：generator qr <案件编号> [--source DIR] [--format svg|png] [--size-mm N] [--dpi N] [-o FILE]")
		return 2
	}
	if !content.ValidCaseID(id) {
		fmt.Fprintf(stderr, "案件编号 %q 不符合规则：只能用英文字母、数字和连字符，最长 40 个字符（即案件文件名去掉 .md）\n", id)
		return 2
	}
	if *format != "svg" && *format != "png" {
		fmt.Fprintln(stderr, "--format 应为 svg 或 png")
		return 2
	}
	if !(*sizeMM >= 10 && *sizeMM <= 500) || *dpi < 72 || *dpi > 2400 {
		fmt.Fprintln(stderr, "--size-mm 应在 10–500 之间，--dpi 应在 72–2400 之间")
		return 2
	}
	diags := diag.NewList(false)
	cfg := content.LoadConfig(os.DirFS(*source), diags)
	if diags.HasErrors() || cfg.BaseURL == "" {
		diags.Print(stderr)
		return 1
	}
	level, err := qr.ParseLevel(cfg.Rules.QRECC)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	url := caseURL(cfg.BaseURL, id)
	code, err := qr.Encode(url, level)
	if err != nil {
		fmt.Fprintln(stderr, "无法生成二维码：", err)
		return 1
	}
	var data []byte
	if *format == "svg" {
		data = code.SVG(qr.SVGOptions{SizeMM: *sizeMM, Title: caseQRTitle(url)})
	} else {
		data = code.PNG(qr.PixelsFor(*sizeMM, *dpi), *dpi)
	}
	target := *out
	if target == "" {
		target = id + "." + *format
	}
	if target == "-" {
		_, err = stdout.Write(data)
	} else {
		err = os.WriteFile(target, data, 0o644)
	}
	if err != nil {
		fmt.Fprintln(stderr, "写入失败：", err)
		return 1
	}
	if target != "-" {
		fmt.Fprintf(stderr, "已生成 %s：%s（版本 %d，%d×%d 模块，纠错等级 %s）\n", target, url, code.Version, code.Size, code.Size, level)
	}
	return 0
}
