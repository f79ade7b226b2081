// Package tomlpos indexes where the keys and values of a TOML document are,
// so that a diagnostic can point at the exact line and column of an offending
// key or value: github.com/BurntSushi/toml does not export them (upstream
// issue #462).
//
// Build makes a single pass with a small scanner that knows just enough TOML
// to find keys, headers and the start of values: comments, the four string
// forms (multi-line ones may hold '=', '[' or '#'), nested and multi-line
// arrays, inline tables, dotted keys, [table] and [[array.of.tables]]
// headers. It never fails: on invalid input it indexes what it can.
//
// A path names a node the way the generator's messages do: segments joined
// by '.', array elements as name[i] (0-based), quoted keys unquoted, e.g.
// item[3].code, benchmark[0].tier[2].fine_min, table[0].values.合计(宗).
package tomlpos

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Pos is a position in the document: Line is 1-based (lineOffset included),
// Col is the 1-based column counted in characters (runes). A tab is one
// column; a leading UTF-8 BOM is not counted.
type Pos struct{ Line, Col int }

// Index is the position index of one TOML document. It is immutable once
// built and safe for concurrent use; a nil *Index is empty.
type Index struct {
	nodes []node // nodes[0] is the root table
	src   string // the document; key names are substrings of it
	extra string // decoded names of keys written with escapes
	off   int    // lineOffset
	wide  map[wideKey]int32
}

// wideKey finds a key of a table with many keys (flag fWide) in Index.wide;
// smaller tables are searched linearly.
type wideKey struct {
	parent int32
	name   string
}

const wideAt = 64 // number of keys that makes a table wide

// pos32 is a compact Pos without the line offset; line 0 means "none".
type pos32 struct{ line, col int32 }

// node is a table, an array or a value. A table's children are its keys in
// file order, an array's its elements. Nodes hold no pointers, which keeps
// them cheap for the garbage collector.
type node struct {
	noff, nlen        int32 // key name: src[noff:noff+nlen] (extra if fExtra)
	key, val          pos32
	first, last, next int32 // children list; -1 = none
	elems             int32 // number of element children
	flags             uint8
	c0                uint8 // first byte of the name, to skip most compares
	nkeys             uint8 // number of key children, up to wideAt
}

const (
	fElem     uint8 = 1 << iota // element of an array: no name, found by index
	fArray                      // array value or array of tables
	fImplicit                   // table created by a dotted key or a header prefix
	fExtra                      // name is in Index.extra
	fWide                       // keys are in Index.wide
)

// maxDepth bounds the nesting of indexed arrays and inline tables; deeper
// values are skipped as plain text, so hostile input cannot exhaust the stack.
const maxDepth = 100

// Byte classes: blank, ends a bare key, ends a number/boolean/date.
const (
	cBlank = 1 << iota
	cPunct
	cEnd
)

var class = func() (t [256]uint8) {
	for i, set := range [...]string{" \t\r", " \t\r\n=.#[]\"'{},", ",]}=#\n"} {
		for _, c := range []byte(set) {
			t[c] |= 1 << i
		}
	}
	return t
}()

// Build scans src (a TOML document that may or may not be valid; Build never
// panics and indexes what it can of invalid input). lineOffset is added to
// every line (front matter inside a .md file starts after a "+++" line).
func Build(src []byte, lineOffset int) *Index {
	src = bytes.TrimPrefix(src, []byte("\xEF\xBB\xBF"))
	est := bytes.Count(src, []byte{'\n'}) + bytes.Count(src, []byte{','}) + 4
	s := scanner{ix: Index{nodes: make([]node, 1, est), src: string(src), off: lineOffset}, line: 1}
	s.src = s.ix.src
	s.ix.nodes[0] = node{first: -1, last: -1, next: -1}
	s.run()
	ix := new(Index)
	*ix = s.ix
	return ix
}

// scanner is the state of one Build.
type scanner struct {
	ix       Index // built here, on the stack: no write barriers
	src      string
	p        int   // current offset
	ls       int   // offset of the current line
	line     int32 // current line, 1-based, without lineOffset
	stmtLine int32 // line where the current top-level statement starts
	atLine   int32 // cache of at: offset atOff of line atLine is column atCol
	atCol    int32
	atOff    int
	extra    strings.Builder // Index.extra
}

func (s *scanner) run() {
	cur := int32(0) // table receiving key/values
	for {
		if s.p = s.blank(s.p); s.p >= len(s.src) {
			return
		}
		s.stmtLine = s.line
		switch s.src[s.p] {
		case '\n':
			s.newline()
			continue
		case '[':
			cur = s.header(cur)
		default:
			if _, abort := s.keyval(cur, 0); abort {
				continue // s.p is at the start of a later line
			}
		}
		s.skipLine() // comment or garbage after the statement
	}
}

func (s *scanner) newline() { s.p++; s.line++; s.ls = s.p }

// skipLine moves to the end of the line (before its '\n').
func (s *scanner) skipLine() {
	if i := strings.IndexByte(s.src[s.p:], '\n'); i >= 0 {
		s.p += i
	} else {
		s.p = len(s.src)
	}
}

// blank skips spaces, tabs and carriage returns from p.
func (s *scanner) blank(p int) int {
	for p < len(s.src) && class[s.src[p]]&cBlank != 0 {
		p++
	}
	return p
}

// space skips blanks, newlines and comments; false at the end of src.
func (s *scanner) space() bool {
	for {
		if s.p = s.blank(s.p); s.p >= len(s.src) {
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

// at is the position of offset p of the current line. It counts runes from
// the previous position on the line, so that long lines stay linear.
func (s *scanner) at(p int) pos32 {
	if s.atLine != s.line || p < s.atOff {
		s.atLine, s.atOff, s.atCol = s.line, s.ls, 1
	}
	s.atCol += int32(utf8.RuneCountInString(s.src[s.atOff:p]))
	s.atOff = p
	return pos32{s.line, s.atCol}
}

// header handles a [table] or [[array.of.tables]] line and returns the table
// receiving the next key/values.
func (s *scanner) header(cur int32) int32 {
	mode, p := byte('['), s.p+1
	if strings.HasPrefix(s.src[s.p:], "[[") {
		mode, p = 'a', p+1
	}
	end, nseg := s.scanKey(p)
	if nseg == 0 {
		return cur
	}
	cur = s.resolve(0, p, nseg, mode, s.at(s.p))
	s.p = end
	return cur
}

// keyval parses "key = value" at s.p into table t (t < 0: record nothing).
// ok is false, with s.p unchanged, if there is no key followed by '='; abort
// is as for value.
func (s *scanner) keyval(t int32, depth int) (ok, abort bool) {
	end, nseg := s.scanKey(s.p)
	if nseg == 0 || end >= len(s.src) || s.src[end] != '=' {
		return false, false
	}
	if t >= 0 {
		t = s.resolve(t, s.p, nseg, 'k', pos32{})
	}
	if s.p = s.blank(end + 1); s.p >= len(s.src) {
		return true, false
	}
	return true, s.value(t, depth)
}

// resolve walks the key of nseg segments at p from table n, creating the
// missing intermediate tables, and returns the node of its last segment:
// for mode 'k' (key/value) a new key, or -1 if it exists (the first wins);
// for '[' the table of a [header]; for 'a' a new element of the array of a
// [[header]]. hdr is the header's position.
func (s *scanner) resolve(n int32, p, nseg int, mode byte, hdr pos32) int32 {
	for i := 0; ; i++ {
		a, e, _ := s.segment(p)
		name, noff := s.name(a, e)
		c := s.ix.child(n, name)
		switch {
		case i < nseg-1:
			if c < 0 {
				c = s.add(n, name, noff, s.at(a), fImplicit)
			}
			n, p = s.descend(c), s.blank(e)+1 // skip the '.'
			continue
		case mode == 'k' && c >= 0:
			return -1
		case mode == 'k':
			return s.add(n, name, noff, s.at(a), 0)
		case mode == 'a':
			if c < 0 {
				c = s.add(n, name, noff, hdr, fArray)
			}
			if s.ix.nodes[c].flags&fArray == 0 { // [x] then [[x]]: invalid
				return c
			}
			c = s.add(c, "", 0, hdr, fElem)
			s.ix.nodes[c].val = hdr
			return c
		case c < 0:
			return s.add(n, name, noff, hdr, 0)
		}
		if nd := &s.ix.nodes[c]; nd.flags&fImplicit != 0 { // [a.b] then [a]
			nd.key, nd.flags = hdr, nd.flags&^fImplicit
		}
		return s.descend(c)
	}
}

// value skips the value at s.p, recording its start in node n (n < 0: record
// nothing) and indexing the elements and keys inside it. abort reports that
// a key/value line was met where the value should have ended (an unclosed
// array or inline table); s.p is then at the start of that line.
func (s *scanner) value(n int32, depth int) (abort bool) {
	c := s.src[s.p]
	if class[c]&cEnd != 0 {
		return false // no value: ',', ']', '}', '=', '#' or '\n'
	}
	if n >= 0 {
		s.ix.nodes[n].val = s.at(s.p)
	}
	switch {
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
		for s.p < len(s.src) && class[s.src[s.p]]&cEnd == 0 {
			s.p++
		}
	}
	return false
}

// array parses the array at s.p ('[') into node n.
func (s *scanner) array(n int32, depth int) bool {
	if n >= 0 {
		s.ix.nodes[n].flags |= fArray
	}
	for s.p++; s.space(); {
		switch s.src[s.p] {
		case ']':
			s.p++
			return false
		case ',', '=':
			s.p++
			continue
		case '}':
			return false // for the enclosing inline table or line
		}
		if s.line > s.stmtLine && s.isKeyval() { // unclosed array
			s.p = s.ls
			return true
		}
		e := int32(-1)
		if n >= 0 {
			e = s.add(n, "", 0, pos32{}, fElem)
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
	for s.p++; s.space(); {
		switch s.src[s.p] {
		case '}':
			s.p++
			return false
		case ',':
			s.p++
			continue
		}
		if ok, abort := s.keyval(n, depth+1); abort {
			return true
		} else if !ok && s.line > s.stmtLine { // unclosed inline table
			s.p = s.ls
			return true
		} else if !ok { // garbage
			end, _ := s.scanKey(s.p)
			s.p = max(end, s.p+1)
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
// the end of the line if the string is not closed on it.
func (s *scanner) quoted(p int) int {
	for i := p + 1; ; i++ {
		j := strings.IndexByte(s.src[i:], s.src[p])
		if j < 0 {
			j = len(s.src) - i
		}
		if nl := strings.IndexByte(s.src[i:i+j], '\n'); nl >= 0 {
			return i + nl
		} else if i += j; i == len(s.src) || s.src[p] == '\'' || !escaped(s.src, p+1, i) {
			return min(i+1, len(s.src))
		}
	}
}

// escaped reports whether an odd number of backslashes (after start)
// precede offset j.
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
	start, end := s.p+3, len(s.src) // unclosed: runs to the end
	for i := start; ; i++ {
		j := strings.IndexByte(s.src[i:], q)
		if j < 0 {
			break
		}
		if i += j; q == '"' && escaped(s.src, start, i) {
			continue
		}
		if i+2 < len(s.src) && s.src[i+1] == q && s.src[i+2] == q {
			end = i + 3
			for k := 0; k < 2 && end < len(s.src) && s.src[end] == q; k++ {
				end++ // """a"""" ends with a quote
			}
			break
		}
	}
	body := s.src[s.p:end]
	if k := strings.Count(body, "\n"); k > 0 {
		s.line += int32(k)
		s.ls = s.p + strings.LastIndexByte(body, '\n') + 1
	}
	s.p = end
}

// segment returns the extent of the key segment at p (after blanks): a bare
// key or a quoted key closed on its line. Bare keys are read leniently (any
// byte but TOML punctuation) so that an unquoted Chinese key is indexed too.
func (s *scanner) segment(p int) (start, end int, ok bool) {
	if p = s.blank(p); p >= len(s.src) {
		return p, p, false
	}
	if c := s.src[p]; c == '"' || c == '\'' {
		e := s.quoted(p)
		return p, e, e-1 > p && s.src[e-1] == c
	}
	e := p
	for e < len(s.src) && class[s.src[e]]&cPunct == 0 {
		e++
	}
	return p, e, e > p
}

// scanKey reads the (dotted) key at p without indexing it. It returns the
// offset after the key and its blanks, and the number of segments.
func (s *scanner) scanKey(p int) (end, nseg int) {
	for ; ; p++ {
		a, e, ok := s.segment(p)
		if !ok {
			return a, nseg
		}
		nseg++
		if p = s.blank(e); p >= len(s.src) || s.src[p] != '.' {
			return p, nseg
		}
	}
}

// name is the unquoted name of the segment [a, e) and its offset in src, or
// -1 if it has escapes (it is then a new string).
func (s *scanner) name(a, e int) (string, int) {
	if c := s.src[a]; c == '"' || c == '\'' {
		a, e = a+1, e-1
		if c == '"' && strings.IndexByte(s.src[a:e], '\\') >= 0 {
			return unescape(s.src[a:e]), -1
		}
	}
	return s.src[a:e], a
}

// unescape decodes the escapes of a basic string (TOML 1.1: \e and \xHH
// too); invalid ones are kept as written.
func unescape(raw string) string {
	b := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c == '\\' && i+1 < len(raw) {
			if k := strings.IndexByte(`btnfre"\`, raw[i+1]); k >= 0 {
				b, i = append(b, "\b\t\n\f\r\x1b\"\\"[k]), i+1
				continue
			}
			if k := strings.IndexByte("xuU", raw[i+1]); k >= 0 {
				w := 2 << k // number of hex digits
				r, err := strconv.ParseUint(raw[i+2:min(i+2+w, len(raw))], 16, 32)
				if err == nil && i+1+w < len(raw) {
					b, i = utf8.AppendRune(b, rune(r)), i+1+w
					continue
				}
			}
		}
		b = append(b, c)
	}
	return string(b)
}

// add appends a child named name (at noff in src, or -1: decoded) to node
// parent and returns it.
func (s *scanner) add(parent int32, name string, noff int, key pos32, flags uint8) int32 {
	if noff < 0 {
		noff, flags = s.extra.Len(), flags|fExtra
		s.extra.WriteString(name)
		s.ix.extra = s.extra.String() // no copy
	}
	nd := node{noff: int32(noff), nlen: int32(len(name)), key: key, first: -1, last: -1, next: -1, flags: flags}
	if name != "" {
		nd.c0 = name[0]
	}
	id := int32(len(s.ix.nodes))
	s.ix.nodes = append(s.ix.nodes, nd)
	p := &s.ix.nodes[parent]
	if p.last >= 0 {
		s.ix.nodes[p.last].next, p.last = id, id
	} else {
		p.first, p.last = id, id
	}
	switch {
	case flags&fElem != 0:
		p.elems++
	case p.flags&fWide != 0:
		s.ix.wide[wideKey{parent, name}] = id
	case p.nkeys+1 == wideAt:
		p.flags |= fWide
		if s.ix.wide == nil {
			s.ix.wide = make(map[wideKey]int32)
		}
		for c := p.first; c >= 0; c = s.ix.nodes[c].next {
			if s.ix.nodes[c].flags&fElem == 0 {
				s.ix.wide[wideKey{parent, s.ix.name(c)}] = c
			}
		}
	default:
		p.nkeys++
	}
	return id
}

// descend returns the table that a header or a dotted key continues into:
// node c, or its latest element if it is an array (of tables).
func (s *scanner) descend(c int32) int32 {
	if nd := &s.ix.nodes[c]; nd.flags&fArray == 0 {
		return c
	} else if nd.elems > 0 {
		return nd.last // arrays have only elements as children
	}
	return s.add(c, "", 0, s.ix.nodes[c].key, fElem) // invalid: go on somewhere
}

// name is the key name of node n.
func (ix *Index) name(n int32) string {
	nd, s := &ix.nodes[n], ix.src
	if nd.flags&fExtra != 0 {
		s = ix.extra
	}
	return s[nd.noff : nd.noff+nd.nlen]
}

// child returns node n's key named name, or -1.
func (ix *Index) child(n int32, name string) int32 {
	if ix.nodes[n].flags&fWide != 0 {
		if c, ok := ix.wide[wideKey{n, name}]; ok {
			return c
		}
		return -1
	}
	for c := ix.nodes[n].first; c >= 0; c = ix.nodes[c].next {
		nd := &ix.nodes[c]
		if int(nd.nlen) == len(name) && (name == "" || nd.c0 == name[0]) && nd.flags&fElem == 0 && ix.name(c) == name {
			return c
		}
	}
	return -1
}

// elem returns node n's element i, or -1.
func (ix *Index) elem(n int32, i int) int32 {
	c := ix.nodes[n].first
	for ; c >= 0 && i >= 0 && i < int(ix.nodes[n].elems); c = ix.nodes[c].next {
		if i -= int(ix.nodes[c].flags & fElem); i < 0 {
			return c
		}
	}
	return -1
}

// walk resolves path: n is its node when ok, near the deepest node on the
// way that has a position (-1 if none).
func (ix *Index) walk(path string) (n, near int32, ok bool) {
	if ix == nil {
		return 0, -1, false
	} else if path == "" {
		return 0, -1, true
	}
	near = -1
	for i := 0; ; i++ {
		j := i // name path[i:j], maybe the empty key ""
		for j < len(path) && path[j] != '.' && path[j] != '[' {
			j++
		}
		c := ix.child(n, path[i:j])
		for c < 0 && j < len(path) && path[j] == '.' { // a key with a '.'
			for j++; j < len(path) && path[j] != '.' && path[j] != '['; j++ {
			}
			c = ix.child(n, path[i:j])
		}
		if n, near, ok = ix.step(n, near, c); !ok {
			return
		}
		for i = j; i < len(path) && path[i] == '['; i = j + 1 {
			j = i + strings.IndexByte(path[i:], ']')
			k, err := strconv.Atoi(path[i+1 : max(j, i+1)])
			if j <= i+1 || err != nil {
				return n, near, false
			}
			if n, near, ok = ix.step(n, near, ix.elem(n, k)); !ok {
				return
			}
		}
		if i == len(path) || path[i] != '.' {
			return n, near, i == len(path)
		}
	}
}

// step moves a walk from n to c (-1: not found).
func (ix *Index) step(n, near, c int32) (int32, int32, bool) {
	if c < 0 {
		return n, near, false
	}
	if ix.nodes[c].key.line != 0 || ix.nodes[c].val.line != 0 {
		near = c
	}
	return c, near, true
}

func (ix *Index) pos(p pos32) Pos { return Pos{Line: int(p.line) + ix.off, Col: int(p.col)} }

// Key returns the position of the key of path: its first character (the
// opening quote of a quoted key; in a.b = 1, "a.b" is at b and "a" at a).
// For a table or an array of tables it is the '[' of its header [x] / [[x]]:
// the first one for "x", the element's own for "x[i]". Elements of array
// values have no key.
func (ix *Index) Key(path string) (Pos, bool) {
	if n, _, ok := ix.walk(path); ok && ix.nodes[n].key.line != 0 {
		return ix.pos(ix.nodes[n].key), true
	}
	return Pos{}, false
}

// Value returns the position of the first character of the value assigned to
// path (for arrays the '[', for inline tables the '{'); for array elements
// (path "officers[1]") the element itself, which for an array of tables is
// its [[officers]] header. Tables defined by a [header] have no value.
func (ix *Index) Value(path string) (Pos, bool) {
	if n, _, ok := ix.walk(path); ok && ix.nodes[n].val.line != 0 {
		return ix.pos(ix.nodes[n].val), true
	}
	return Pos{}, false
}

// Keys returns the direct child key names of the table at tablePath ("" =
// the root), in file order, without duplicates (first occurrence). For
// elements of arrays of tables use "item[3]". Sub-tables and arrays of
// tables are included by their name. It returns nil if there are none.
func (ix *Index) Keys(tablePath string) []string {
	n, _, ok := ix.walk(tablePath)
	if !ok {
		return nil
	}
	var keys []string
	for c := ix.nodes[n].first; c >= 0; c = ix.nodes[c].next {
		if ix.nodes[c].flags&fElem == 0 {
			keys = append(keys, ix.name(c))
		}
	}
	return keys
}

// Len returns the number of elements of an array of tables (Len("item") ==
// 12) or of an array value, inline or multi-line; 0 for anything else.
func (ix *Index) Len(path string) int {
	if n, _, ok := ix.walk(path); ok {
		return int(ix.nodes[n].elems)
	}
	return 0
}

// Nearest returns the best position for path: Value(path), else Key(path),
// else the same for the nearest existing ancestor (trailing segments
// stripped), else line 1 column 1 of the document ({1+lineOffset, 1}).
func (ix *Index) Nearest(path string) Pos {
	_, near, _ := ix.walk(path)
	switch {
	case near >= 0 && ix.nodes[near].val.line != 0:
		return ix.pos(ix.nodes[near].val)
	case near >= 0:
		return ix.pos(ix.nodes[near].key)
	case ix == nil:
		return Pos{Line: 1, Col: 1}
	}
	return Pos{Line: 1 + ix.off, Col: 1}
}
