// Package diag holds diagnostics: a position, a severity, a stable code and a
// Chinese message, with optional notes (the other place of a duplicate) and a
// suggestion. The shape follows go/scanner.ErrorList and esbuild's logger.Msg.
package diag

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Pos is a place in a source file. File is relative to the site root and uses
// forward slashes; Line and Col are 1-based and Col counts characters, not
// bytes (a Chinese character is one column).
type Pos struct {
	File string
	Line int
	Col  int
}

func (p Pos) String() string {
	if p.Line == 0 {
		return printable(p.File)
	}
	return fmt.Sprintf("%s:%d:%d", printable(p.File), p.Line, p.Col)
}

// printable quotes a file name that holds control characters (a newline in
// a name would forge a diagnostic line of its own) or is not UTF-8 (a name
// from a GBK zip archive); other names print as they are.
func printable(name string) string {
	if !utf8.ValidString(name) || strings.IndexFunc(name, func(r rune) bool { return !unicode.IsPrint(r) && r != ' ' }) >= 0 {
		return strconv.Quote(name)
	}
	return name
}

// orStart places a whole-file finding (a bad file name, a missing file) at
// its first line, so every diagnostic prints as path:line:col.
func (p Pos) orStart() Pos {
	if p.Line <= 0 {
		p.Line, p.Col = 1, 1
	}
	if p.Col <= 0 {
		p.Col = 1
	}
	return p
}

// Severity of a diagnostic.
type Severity int

const (
	// Reminder is a notice that is neither an error nor a warning (e.g.
	// statistics due in N days): --strict never promotes it.
	Reminder Severity = iota - 1
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Reminder:
		return "note"
	}
	return "warning"
}

// Note points at a second place that explains the first (e.g. the first
// definition of a duplicate id).
type Note struct {
	Pos     Pos
	Message string
}

// Diagnostic is one finding.
type Diagnostic struct {
	Pos      Pos
	Severity Severity
	Code     Code
	Message  string
	Notes    []Note
}

func (d Diagnostic) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s[%s] %s", d.Pos, d.Severity, d.Code, d.Message)
	for _, n := range d.Notes {
		fmt.Fprintf(&b, "\n    %s: 附注：%s", n.Pos, n.Message)
	}
	return b.String()
}

// List collects diagnostics. It is safe for concurrent use, because cases are
// checked in parallel.
type List struct {
	mu     sync.Mutex
	items  []Diagnostic
	errs   int // items of severity Error, so HasErrors is cheap per case
	strict bool
}

// NewList returns an empty list. With strict set, warnings are reported as
// errors (the --strict flag), like esbuild's per-message overrides.
func NewList(strict bool) *List { return &List{strict: strict} }

// Add records a diagnostic with the default severity of its code.
func (l *List) Add(pos Pos, code Code, format string, args ...any) {
	pos = pos.orStart()
	sev := code.DefaultSeverity()
	if l.strict && sev == Warning {
		sev = Error
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.push(Diagnostic{Pos: pos, Severity: sev, Code: code, Message: fmt.Sprintf(format, args...)})
}

// push appends d; l.mu is held.
func (l *List) push(d Diagnostic) {
	if d.Severity == Error {
		l.errs++
	}
	l.items = append(l.items, d)
}

// AddNote adds a diagnostic whose message is explained at a second place.
func (l *List) AddNote(pos Pos, code Code, note Note, format string, args ...any) {
	pos, note.Pos = pos.orStart(), note.Pos.orStart()
	sev := code.DefaultSeverity()
	if l.strict && sev == Warning {
		sev = Error
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.push(Diagnostic{Pos: pos, Severity: sev, Code: code, Message: fmt.Sprintf(format, args...), Notes: []Note{note}})
}

// Append adds already built diagnostics (e.g. replayed from a cache).
func (l *List) Append(ds ...Diagnostic) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, d := range ds {
		if l.strict && d.Severity == Warning {
			d.Severity = Error
		}
		l.push(d)
	}
}

// Take returns the diagnostics in the order they were added and empties
// the list (a per-case list, handed on to the run's).
func (l *List) Take() []Diagnostic {
	l.mu.Lock()
	defer l.mu.Unlock()
	ds := l.items
	l.items, l.errs = nil, 0
	return ds
}

// Items returns the diagnostics sorted by file, line, column, code, message.
func (l *List) Items() []Diagnostic {
	l.mu.Lock()
	defer l.mu.Unlock()
	sort.SliceStable(l.items, func(i, j int) bool { return less(l.items[i], l.items[j]) })
	out := make([]Diagnostic, len(l.items))
	copy(out, l.items)
	return out
}

func less(a, b Diagnostic) bool {
	if a.Pos.File != b.Pos.File {
		return a.Pos.File < b.Pos.File
	}
	if a.Pos.Line != b.Pos.Line {
		return a.Pos.Line < b.Pos.Line
	}
	if a.Pos.Col != b.Pos.Col {
		return a.Pos.Col < b.Pos.Col
	}
	if a.Code != b.Code {
		return a.Code < b.Code
	}
	return a.Message < b.Message
}

// Counts returns the number of errors and warnings.
func (l *List) Counts() (errs, warns int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, d := range l.items {
		switch d.Severity {
		case Error:
			errs++
		case Warning:
			warns++
		}
	}
	return
}

// HasErrors reports whether any diagnostic is an error.
func (l *List) HasErrors() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.errs > 0
}

// Print writes every diagnostic, sorted, then the summary line.
func (l *List) Print(w io.Writer) {
	for _, d := range l.Items() {
		fmt.Fprintln(w, d.String())
	}
	e, wn := l.Counts()
	fmt.Fprintf(w, "%d 个错误，%d 个警告\n", e, wn)
}
