// Package tomlpos indexes where the keys and values of a TOML document are,
// so that a diagnostic can point at the exact line and column of an offending
// key or value. github.com/BurntSushi/toml does not export these positions
// (upstream issue #462).
//
// Build makes one pass over the document with a small hand-written scanner
// that knows just enough TOML to find keys, headers and the start of values:
// comments, all four string forms (multi-line strings may contain '=', '[' and
// '#'), nested and multi-line arrays, inline tables, dotted keys, [table] and
// [[array.of.tables]] headers. It never fails: on invalid input it indexes
// what it can.
//
// Paths name a node the way the generator's messages do: segments joined by
// '.', array elements as name[i] (0-based), quoted keys unquoted:
//
//	item[3].code  benchmark[0].tier[2].fine_min  table[0].values.合计(宗)
package tomlpos

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// Pos is a position in the document: Line is 1-based (lineOffset included)
// and Col is the 1-based column counted in characters (runes); a tab is one
// column and a leading UTF-8 BOM is not counted.
type Pos struct{ Line, Col int }

// Index is the position index of one TOML document. It is immutable once
// built and safe for concurrent use. A nil *Index has no entries.
type Index struct {
	nodes []node // nodes[0] is the root table
	off   int    // lineOffset
}

// pos32 is a compact Pos without the line offset; line 0 means "unset".
type pos32 struct{ line, col int32 }

// node flags.
const (
	fElem     uint8 = 1 << iota // element of an array: unnamed, found by index
	fArray                      // array value or array of tables
	fImplicit                   // table created by a dotted key or a header prefix
)

// node is a table, an array or a value. A table's children are its keys in
// file order, an array's children are its elements.
type node struct {
	name              string // unquoted key; "" for elements
	key, val          pos32
	first, last, next int32 // children list; -1 = none
	elems             int32 // number of element children
	flags             uint8
}

// maxDepth bounds the nesting of arrays and inline tables that are indexed;
// deeper values are skipped as plain text, so hostile input cannot exhaust
// the stack.
const maxDepth = 100

// Build scans src (a TOML document that may or may not be valid; it never
// panics and indexes what it can of invalid input). lineOffset is added to
// every line (front matter inside a .md file starts after a "+++" line).
func Build(src []byte, lineOffset int) *Index {
	src = bytes.TrimPrefix(src, []byte("\xEF\xBB\xBF"))
	est := bytes.Count(src, []byte{'\n'}) + bytes.Count(src, []byte{','}) + 4
	ix := &Index{nodes: make([]node, 1, est), off: lineOffset}
	ix.nodes[0] = node{first: -1, last: -1, next: -1}
	s := scanner{ix: ix, src: string(src), line: 1}
	s.run()
	return ix
}

// scanner is the state of one Build. Key names are substrings of src, which
// is the only copy of the document, so indexing a key allocates nothing.
type scanner struct {
	ix       *Index
	src      string
	p        int   // current offset
	ls       int   // offset of the current line's first byte
	line     int32 // current line, 1-based, without lineOffset
	stmtLine int32 // line of the current top-level statement
}

func (s *scanner) run() {
	cur := int32(0) // table receiving key/values
	for {
		s.p = s.blank(s.p)
		if s.p >= len(s.src) {
			return
		}
		switch s.src[s.p] {
		case '\n':
			s.newline()
			continue
		case '[':
			s.stmtLine = s.line
			cur = s.header(cur)
		default:
			s.stmtLine = s.line
			if _, abort := s.keyval(cur, 0); abort {
				continue // s.p is at the start of a later line
			}
		}
		s.skipLine() // comment or garbage after the statement
	}
}

func (s *scanner) newline() { s.p++; s.line++; s.ls = s.p }

// skipLine moves to the end of the current line (before its '\n').
func (s *scanner) skipLine() {
	if i := strings.IndexByte(s.src[s.p:], '\n'); i >= 0 {
		s.p += i
	} else {
		s.p = len(s.src)
	}
}

// blank skips spaces, tabs and carriage returns from p.
func (s *scanner) blank(p int) int {
	for p < len(s.src) && (s.src[p] == ' ' || s.src[p] == '\t' || s.src[p] == '\r') {
		p++
	}
	return p
}

// space skips blanks, newlines and comments (inside arrays and inline
// tables). It reports false at the end of the document.
func (s *scanner) space() bool {
	for {
		s.p = s.blank(s.p)
		if s.p >= len(s.src) {
			return false
		}
		switch s.src[s.p] {
		case '\n':
			s.newline()
		case '#':
			s.skipLine()
		default:
			return true
		}
	}
}

// at is the position of offset p, which must be on the current line.
func (s *scanner) at(p int) pos32 {
	return pos32{s.line, int32(utf8.RuneCountInString(s.src[s.ls:p]) + 1)}
}

// header handles a [table] or [[array.of.tables]] line at s.p and returns the
// table that receives the following key/values.
func (s *scanner) header(cur int32) int32 {
	at := s.at(s.p)
	aot := strings.HasPrefix(s.src[s.p:], "[[")
	p := s.p + 1
	if aot {
		p++
	}
	end, nseg := s.scanKey(p)
	if nseg == 0 {
		return cur
	}
	n := int32(0)
	for i := 0; i < nseg; i++ {
		a, e, _ := s.segment(p)
		name := s.name(a, e)
		c := s.child(n, name)
		switch {
		case i < nseg-1:
			if c < 0 {
				c = s.add(n, name, s.at(a), fImplicit)
			}
			n = s.descend(c)
		case aot:
			if c < 0 {
				c = s.add(n, name, at, fArray)
			}
			if s.ix.nodes[c].flags&fArray == 0 { // [x] then [[x]]: invalid
				n = c
				break
			}
			n = s.add(c, "", at, fElem)
			s.ix.nodes[n].val = at
		default:
			if c < 0 {
				c = s.add(n, name, at, 0)
			} else if nd := &s.ix.nodes[c]; nd.flags&fImplicit != 0 {
				nd.key, nd.flags = at, nd.flags&^fImplicit
			}
			n = s.descend(c)
		}
		p = s.nextSegment(e)
	}
	s.p = end
	return n
}

// keyval parses "key = value" at s.p into table t (nothing is recorded when
// t < 0). ok is false, and s.p unchanged, when there is no key followed by
// '=' at s.p. abort is as for value.
func (s *scanner) keyval(t int32, depth int) (ok, abort bool) {
	end, nseg := s.scanKey(s.p)
	if nseg == 0 || end >= len(s.src) || s.src[end] != '=' {
		return false, false
	}
	n := int32(-1)
	if t >= 0 {
		p := s.p
		n = t
		for i := 0; i < nseg; i++ {
			a, e, _ := s.segment(p)
			name := s.name(a, e)
			c := s.child(n, name)
			if i == nseg-1 {
				if c >= 0 {
					n = -1 // duplicate key: keep the first
				} else {
					n = s.add(n, name, s.at(a), 0)
				}
				break
			}
			if c < 0 {
				c = s.add(n, name, s.at(a), fImplicit)
			}
			n = s.descend(c)
			p = s.nextSegment(e)
		}
	}
	s.p = s.blank(end + 1)
	if s.p >= len(s.src) {
		return true, false
	}
	return true, s.value(n, depth)
}

// value skips the value at s.p, recording its start in node n (nothing is
// recorded when n < 0) and indexing the elements and keys inside it. abort
// reports that a key/value line was found where the value should have ended
// (an unclosed array or inline table); s.p is then at the start of that line.
func (s *scanner) value(n int32, depth int) (abort bool) {
	switch s.src[s.p] {
	case ',', ']', '}', '=', '#', '\n':
		return false // no value here
	}
	if n >= 0 {
		s.ix.nodes[n].val = s.at(s.p)
	}
	switch c := s.src[s.p]; {
	case c == '"' || c == '\'':
		if s.p+2 < len(s.src) && s.src[s.p+1] == c && s.src[s.p+2] == c {
			s.multiline(c)
		} else {
			s.p = s.quoted(s.p)
		}
	case c == '[' && depth < maxDepth:
		return s.array(n, depth)
	case c == '{' && depth < maxDepth:
		return s.inline(n, depth)
	default: // number, boolean, date-time, or garbage
		for s.p < len(s.src) && !isScalarEnd(s.src[s.p]) {
			s.p++
		}
	}
	return false
}

func isScalarEnd(c byte) bool {
	return c == ',' || c == ']' || c == '}' || c == '=' || c == '#' || c == '\n'
}

// array parses the array at s.p ('[') into node n.
func (s *scanner) array(n int32, depth int) bool {
	if n >= 0 {
		s.ix.nodes[n].flags |= fArray
	}
	s.p++
	for s.space() {
		switch s.src[s.p] {
		case ']':
			s.p++
			return false
		case ',', '=':
			s.p++
			continue
		case '}':
			return false // let the enclosing inline table or line handle it
		}
		if s.line > s.stmtLine && s.isKeyval() { // unclosed array
			s.p = s.ls
			return true
		}
		e := int32(-1)
		if n >= 0 {
			e = s.add(n, "", pos32{}, fElem)
		}
		if s.value(e, depth+1) {
			return true
		}
	}
	return false
}

// inline parses the inline table at s.p ('{') into node n. Newlines are
// accepted inside, as in TOML 1.1.
func (s *scanner) inline(n int32, depth int) bool {
	s.p++
	for s.space() {
		switch s.src[s.p] {
		case '}':
			s.p++
			return false
		case ',':
			s.p++
			continue
		}
		ok, abort := s.keyval(n, depth+1)
		if abort {
			return true
		}
		if !ok {
			if s.line > s.stmtLine { // unclosed inline table
				s.p = s.ls
				return true
			}
			if end, nseg := s.scanKey(s.p); nseg > 0 {
				s.p = end
			} else {
				s.p++
			}
		}
	}
	return false
}

// isKeyval reports whether a key followed by '=' starts at s.p.
func (s *scanner) isKeyval() bool {
	end, nseg := s.scanKey(s.p)
	return nseg > 0 && end < len(s.src) && s.src[end] == '='
}

// quoted returns the offset after the single-line string starting at p, or
// the end of the line when the string is not closed on it.
func (s *scanner) quoted(p int) int {
	q := s.src[p]
	le := strings.IndexByte(s.src[p:], '\n')
	if le < 0 {
		le = len(s.src)
	} else {
		le += p
	}
	for i := p + 1; i < le; {
		j := strings.IndexByte(s.src[i:le], q)
		if j < 0 {
			break
		}
		j += i
		if q == '\'' || !escaped(s.src, p+1, j) {
			return j + 1
		}
		i = j + 1
	}
	return le
}

// escaped reports whether the quote at j is preceded by an odd number of
// backslashes (after offset start).
func escaped(src string, start, j int) bool {
	k := j
	for k > start && src[k-1] == '\\' {
		k--
	}
	return (j-k)%2 == 1
}

// multiline skips the multi-line string opened by three q quotes at s.p,
// counting its lines.
func (s *scanner) multiline(q byte) {
	start := s.p + 3
	end := len(s.src)
	for i := start; ; {
		j := strings.IndexByte(s.src[i:], q)
		if j < 0 {
			break // unclosed: runs to the end
		}
		j += i
		if q == '"' && escaped(s.src, start, j) {
			i = j + 1
			continue
		}
		if j+2 < len(s.src) && s.src[j+1] == q && s.src[j+2] == q {
			end = j + 3
			for k := 0; k < 2 && end < len(s.src) && s.src[end] == q; k++ {
				end++ // up to two quotes belong to the content: """a""""
			}
			break
		}
		i = j + 1
	}
	body := s.src[s.p:end]
	if k := strings.Count(body, "\n"); k > 0 {
		s.line += int32(k)
		s.ls = s.p + strings.LastIndexByte(body, '\n') + 1
	}
	s.p = end
}

// segment returns the extent [start, end) of the key segment at p (after
// blanks): a bare key, or a quoted key closed on the same line. Bare keys are
// read leniently (any byte but TOML punctuation), so that an unquoted Chinese
// key is still indexed.
func (s *scanner) segment(p int) (start, end int, ok bool) {
	p = s.blank(p)
	if p >= len(s.src) {
		return p, p, false
	}
	switch c := s.src[p]; {
	case c == '"' || c == '\'':
		e := s.quoted(p)
		if e-1 <= p || s.src[e-1] != c {
			return p, p, false // not closed on this line
		}
		return p, e, true
	case isBare(c):
		e := p + 1
		for e < len(s.src) && isBare(s.src[e]) {
			e++
		}
		return p, e, true
	}
	return p, p, false
}

func isBare(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', '=', '.', '#', '[', ']', '"', '\'', '{', '}', ',':
		return false
	}
	return true
}

// nextSegment skips the blanks and the dot after a segment ending at e.
func (s *scanner) nextSegment(e int) int {
	p := s.blank(e)
	if p < len(s.src) && s.src[p] == '.' {
		p++
	}
	return p
}

// scanKey reads the (dotted) key at p without indexing it and returns the
// offset after it and its blanks, and its number of segments.
func (s *scanner) scanKey(p int) (end, nseg int) {
	for {
		a, e, ok := s.segment(p)
		if !ok {
			return a, nseg
		}
		nseg++
		p = s.blank(e)
		if p >= len(s.src) || s.src[p] != '.' {
			return p, nseg
		}
		p++
	}
}

// name is the unquoted name of the segment [a, e).
func (s *scanner) name(a, e int) string {
	switch s.src[a] {
	case '\'':
		return s.src[a+1 : e-1]
	case '"':
		raw := s.src[a+1 : e-1]
		if strings.IndexByte(raw, '\\') >= 0 {
			return unescape(raw)
		}
		return raw
	}
	return s.src[a:e]
}

// unescape decodes the escapes of a basic string; invalid ones stay as is.
func unescape(raw string) string {
	b := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' || i+1 >= len(raw) {
			b = append(b, c)
			continue
		}
		i++
		switch raw[i] {
		case 'b':
			b = append(b, '\b')
		case 't':
			b = append(b, '\t')
		case 'n':
			b = append(b, '\n')
		case 'f':
			b = append(b, '\f')
		case 'r':
			b = append(b, '\r')
		case 'e':
			b = append(b, 0x1B)
		case '"', '\\':
			b = append(b, raw[i])
		case 'x', 'u', 'U':
			w := 2
			if raw[i] == 'u' {
				w = 4
			} else if raw[i] == 'U' {
				w = 8
			}
			r, ok := hex(raw[i+1:], w)
			if !ok {
				b = append(b, '\\', raw[i])
				continue
			}
			b = utf8.AppendRune(b, r)
			i += w
		default:
			b = append(b, '\\', raw[i])
		}
	}
	return string(b)
}

func hex(s string, w int) (rune, bool) {
	if len(s) < w {
		return 0, false
	}
	var r rune
	for i := 0; i < w; i++ {
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// add appends a child to node parent and returns it.
func (s *scanner) add(parent int32, name string, key pos32, flags uint8) int32 {
	ns := append(s.ix.nodes, node{name: name, key: key, first: -1, last: -1, next: -1, flags: flags})
	id := int32(len(ns) - 1)
	p := &ns[parent]
	if p.last >= 0 {
		ns[p.last].next = id
	} else {
		p.first = id
	}
	p.last = id
	if flags&fElem != 0 {
		p.elems++
	}
	s.ix.nodes = ns
	return id
}

// descend returns the table that a header or dotted key continues into:
// the node itself, or the latest element of an array of tables.
func (s *scanner) descend(c int32) int32 {
	nd := &s.ix.nodes[c]
	if nd.flags&fArray == 0 {
		return c
	}
	if nd.elems == 0 { // invalid; keep going somewhere sensible
		return s.add(c, "", nd.key, fElem)
	}
	return nd.last // arrays have only elements as children
}

func (s *scanner) child(n int32, name string) int32 { return s.ix.child(n, name) }

// child returns the key child name of node n, or -1.
func (ix *Index) child(n int32, name string) int32 {
	for c := ix.nodes[n].first; c >= 0; c = ix.nodes[c].next {
		if ix.nodes[c].name == name && ix.nodes[c].flags&fElem == 0 {
			return c
		}
	}
	return -1
}

// elem returns element i of node n, or -1.
func (ix *Index) elem(n int32, i int) int32 {
	if i < 0 || i >= int(ix.nodes[n].elems) {
		return -1
	}
	for c := ix.nodes[n].first; c >= 0; c = ix.nodes[c].next {
		if ix.nodes[c].flags&fElem != 0 {
			if i == 0 {
				return c
			}
			i--
		}
	}
	return -1
}

// walk resolves path. n is the node reached (the path's node when ok), near
// the deepest node on the way that has a position (-1 if none).
func (ix *Index) walk(path string) (n, near int32, ok bool) {
	near = -1
	if ix == nil {
		return 0, -1, false
	}
	if path == "" {
		return 0, -1, true
	}
	for i := 0; ; {
		j := i
		for j < len(path) && path[j] != '.' && path[j] != '[' {
			j++
		}
		if j > i || j == len(path) || path[j] == '.' {
			c := ix.child(n, path[i:j])
			for c < 0 && j < len(path) && path[j] == '.' { // a key containing '.'
				j++
				for j < len(path) && path[j] != '.' && path[j] != '[' {
					j++
				}
				c = ix.child(n, path[i:j])
			}
			if c < 0 {
				return n, near, false
			}
			n = c
			if ix.nodes[n].key.line != 0 || ix.nodes[n].val.line != 0 {
				near = n
			}
		}
		for i = j; i < len(path) && path[i] == '['; {
			k := 0
			j = i + 1
			for j < len(path) && '0' <= path[j] && path[j] <= '9' && k < 1<<30 {
				k = k*10 + int(path[j]-'0')
				j++
			}
			if j == i+1 || j >= len(path) || path[j] != ']' {
				return n, near, false
			}
			c := ix.elem(n, k)
			if c < 0 {
				return n, near, false
			}
			n = c
			if ix.nodes[n].key.line != 0 || ix.nodes[n].val.line != 0 {
				near = n
			}
			i = j + 1
		}
		if i == len(path) {
			return n, near, true
		}
		if path[i] != '.' {
			return n, near, false
		}
		i++
	}
}

func (ix *Index) pos(p pos32) Pos { return Pos{Line: int(p.line) + ix.off, Col: int(p.col)} }

// Key returns the position of the key of path: the first character of the
// key (its opening quote if quoted; for a dotted key a.b = 1, path "a.b" is
// at b and "a" at a). For a table or array of tables it is the '[' of its
// header [x] / [[x]] (the first one for "x", the element's own for "x[i]").
// Elements of array values have no key.
func (ix *Index) Key(path string) (Pos, bool) {
	n, _, ok := ix.walk(path)
	if !ok || ix.nodes[n].key.line == 0 {
		return Pos{}, false
	}
	return ix.pos(ix.nodes[n].key), true
}

// Value returns the position of the first character of the value assigned to
// path (for arrays the '[', for inline tables the '{'); for an array element
// path "officers[1]" the element itself, which for an array of tables is its
// [[officers]] header. Tables defined by a header have no value.
func (ix *Index) Value(path string) (Pos, bool) {
	n, _, ok := ix.walk(path)
	if !ok || ix.nodes[n].val.line == 0 {
		return Pos{}, false
	}
	return ix.pos(ix.nodes[n].val), true
}

// Keys returns the direct child key names of the table at tablePath ("" =
// the root), in file order, without duplicates (first occurrence). For
// elements of arrays of tables use "item[3]". Sub-tables and arrays of tables
// are included by their name. It returns nil for a path that is not found.
func (ix *Index) Keys(tablePath string) []string {
	n, _, ok := ix.walk(tablePath)
	if !ok {
		return nil
	}
	k := 0
	for c := ix.nodes[n].first; c >= 0; c = ix.nodes[c].next {
		if ix.nodes[c].flags&fElem == 0 {
			k++
		}
	}
	if k == 0 {
		return nil
	}
	keys := make([]string, 0, k)
	for c := ix.nodes[n].first; c >= 0; c = ix.nodes[c].next {
		if ix.nodes[c].flags&fElem == 0 {
			keys = append(keys, ix.nodes[c].name)
		}
	}
	return keys
}

// Len returns the number of elements of an array of tables (Len("item") ==
// 12) or of an array value (inline or multi-line); 0 otherwise.
func (ix *Index) Len(path string) int {
	n, _, ok := ix.walk(path)
	if !ok {
		return 0
	}
	return int(ix.nodes[n].elems)
}

// Nearest returns the best position for path: Value(path), else Key(path),
// else the same for the nearest existing ancestor (trailing segments
// stripped), else line 1 column 1 of the document ({1+lineOffset, 1}).
func (ix *Index) Nearest(path string) Pos {
	_, near, _ := ix.walk(path)
	if near < 0 {
		off := 0
		if ix != nil {
			off = ix.off
		}
		return Pos{Line: 1 + off, Col: 1}
	}
	if nd := &ix.nodes[near]; nd.val.line != 0 {
		return ix.pos(nd.val)
	}
	return ix.pos(ix.nodes[near].key)
}
