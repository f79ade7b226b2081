package main

import (
	"html/template"
	"net/http"

	"zfgs/generator/internal/diag"
)

// overlayPage is shown by serve instead of every page while the content
// has errors: each finding with its file:line:col, as check prints it.
var overlayPage = template.Must(template.New("overlay").Funcs(template.FuncMap{"sev": sevName}).Parse(`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>内容有错误 · 预览</title>
<style>
body { font: 16px/1.6 system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0; background: #fff7f7; color: #1a1a1a; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
h1 { color: #a50e0e; font-size: 1.5rem; }
ol { padding-left: 1.5rem; }
li { margin: .75rem 0; padding: .5rem .75rem; background: #fff; border-left: 4px solid #a50e0e; }
li.warning { border-color: #b26a00; }
li.note { border-color: #555; }
code { font: 14px/1.4 ui-monospace, Menlo, Consolas, monospace; word-break: break-all; }
.sev { font-weight: bold; margin: 0 .25rem; }
.notes { margin: .25rem 0 0; color: #444; }
pre { white-space: pre-wrap; background: #fff; padding: .75rem; }
</style>
</head>
<body>
<main>
<h1>内容有错误，网站未重新生成</h1>
<p>共 {{.Errors}} 个错误、{{.Warnings}} 个警告（与 <code>generator check</code> 的结果相同）。请按提示改正并保存文件，本页会自动刷新。</p>
{{if .Err}}<pre>{{.Err}}</pre>{{end}}
<ol>
{{range .Diags}}<li class="{{.Severity}}"><code>{{.Pos}}</code><span class="sev">{{sev .Severity}}[{{.Code}}]</span>{{.Message}}
{{if .Notes}}<div class="notes">{{range .Notes}}<div><code>{{.Pos}}</code> 附注：{{.Message}}</div>{{end}}</div>{{end}}</li>
{{end}}</ol>
</main>
<script src="/_zfgs/reload.js"></script>
</body>
</html>
`))

func sevName(s diag.Severity) string {
	switch s {
	case diag.Error:
		return "错误"
	case diag.Warning:
		return "警告"
	}
	return "提示"
}

func (p *preview) overlay(w http.ResponseWriter, st buildState) {
	errs, warns := countDiags(st.diags)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	overlayPage.Execute(w, map[string]any{"Diags": st.diags, "Errors": errs, "Warnings": warns, "Err": st.err})
}
