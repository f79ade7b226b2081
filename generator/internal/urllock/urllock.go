// Package urllock keeps the permanence record: every case URL that has ever
// been published, one path per line, sorted, in a file at the site root
// that agencies commit. Sorted single lines merge cleanly in git when two
// agencies publish at once (both add lines; a conflict is only ever two
// adjacent additions, resolved by keeping both).
package urllock

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"zfgs/generator/internal/diag"
)

// File is the lock file's name at the site root.
const File = "urls.lock"

const header = "# 已公示案件网址记录（由 generator build 维护，请提交到仓库，勿手工删除）。\n# 已公示的网址必须永久有效：撤销或停止公示请修改案件 status，而不是删除或改名文件。\n"

// Entry is one recorded case URL.
type Entry struct {
	CaseID string
	Line   int
}

// Path is the URL path of a case page.
func Path(caseID string) string { return "/c/" + caseID + "/" }

// Read parses the lock file; a missing file is an empty record.
func Read(fsys fs.FS, diags *diag.List) []Entry {
	data, err := fs.ReadFile(fsys, File)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			diags.Add(diag.Pos{File: File}, diag.EParse, "无法读取 %s：%v", File, err)
		}
		return nil
	}
	var out []Entry
	// Every line is read, however long: a bufio.Scanner would stop silently
	// at its first over-long line and drop every entry after it.
	text := strings.TrimPrefix(string(data), "\ufeff")
	n := 0
	for text != "" {
		n++
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		if i := strings.Index(line, " #"); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, ok := strings.CutPrefix(line, "/c/")
		id, ok2 := strings.CutSuffix(id, "/")
		if !ok || !ok2 || id == "" || strings.Contains(id, "/") {
			diags.Add(diag.Pos{File: File, Line: n, Col: 1}, diag.EParse, "%s 第 %d 行格式错误：每行应为一个案件网址路径，如 /c/JM-SCJG-2025-0012/", File, n)
			continue
		}
		out = append(out, Entry{CaseID: id, Line: n})
	}
	return out
}

// Check reports E_URL_GONE for every recorded case that no longer exists.
// exists tells whether a case id still has a case file (any status).
func Check(entries []Entry, exists func(id string) bool, diags *diag.List) {
	for _, e := range entries {
		if !exists(e.CaseID) {
			diags.Add(diag.Pos{File: File, Line: e.Line, Col: 1}, diag.EURLGone,
				"案件 %s 的网址 %s 已经公示（可能已印在决定书二维码上），但案件文件已被删除或改名：请恢复 %s.md，撤销或停止公示请改为设置 status = \"已撤销\" 或 \"停止公示\" 并填写 status_reason，变更请设置 status = \"已变更\" 和 superseded_by",
				e.CaseID, Path(e.CaseID), e.CaseID)
		}
	}
}

// Write records the union of the old entries and the published ids in
// root/urls.lock, sorted, rewriting the file only when it changes, through a
// temporary file and a rename so a killed build never leaves half a record.
func Write(root string, old []Entry, published []string) error {
	data := encode(old, published)
	target := filepath.Join(root, File)
	if cur, err := os.ReadFile(target); err == nil && bytes.Equal(cur, data) {
		return nil
	}
	tmp, err := os.CreateTemp(root, ".urls.lock.tmp-")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	os.Chmod(tmp.Name(), 0o644)
	return os.Rename(tmp.Name(), target)
}

// encode is the lock file holding the union of old and published, sorted.
func encode(old []Entry, published []string) []byte {
	set := make(map[string]bool, len(old)+len(published))
	for _, e := range old {
		set[e.CaseID] = true
	}
	for _, id := range published {
		set[id] = true
	}
	ids := make([]string, 0, len(set))
	for id := range set {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var b bytes.Buffer
	b.WriteString(header)
	for _, id := range ids {
		b.WriteString(Path(id))
		b.WriteByte('\n')
	}
	return b.Bytes()
}
