package tomlpos

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// check is one expectation on an index: fn is "key", "value" or "nearest";
// a zero want means "not found" (Key and Value only).
type check struct {
	fn   string
	path string
	want Pos
}

func k(path string, line, col int) check { return check{"key", path, Pos{line, col}} }
func v(path string, line, col int) check { return check{"value", path, Pos{line, col}} }
func n(path string, line, col int) check { return check{"nearest", path, Pos{line, col}} }
func noKey(path string) check            { return check{"key", path, Pos{}} }
func noValue(path string) check          { return check{"value", path, Pos{}} }

// docBasic: comments, Chinese quoted keys, tabs, inline tables, dotted keys,
// inline and nested arrays.
const docBasic = `# 注释 = [不是表]
title = "行政处罚决定书" # 尾注释 = x
"合计(宗)" = 5
	tab = 1
party = {kind = "法人", name = "某某公司"}
a.b.c = 1
a . "中 文" . d = '字'
kinds = ["罚款", "责令改正", ["嵌套", 2]]
`

// docMultiline: multi-line strings containing TOML punctuation, multi-line
// arrays with comments, trailing commas and nesting, escaped quotes.
const docMultiline = `summary = """
第一行 = 不是键
[不是表] # 不是注释
引号 \""" 仍在字符串内"""
after = 1
lit = '''
x = [ ''
'''
tags = [ # 注释 ]
  "施工许可", # 注释, "假元素"
  "建筑工程",
  [1, 2,],
]
next = "a\"b = [c" # 转义引号
last = 2
`

// docTables: nested arrays of tables, sub-tables of the latest element,
// headers with blanks and dotted quoted names.
const docTables = `[[benchmark]]
name = "甲"
[[benchmark.tier]]
fine_min = 1
[[benchmark.tier]]
fine_min = 2

[[benchmark]]
name = "乙"
[benchmark.meta]
note = "x"
[[benchmark.tier]]
  fine_min = 3 # 缩进
[[table]]
title = "表一"
[table.values]
"合计(宗)" = 5
[[table]]
[table.values]
"合计(宗)" = 6
[ party ]
name = "x"
[a."b.c"]
d = 1
`

// docCRLF: BOM, CRLF line endings, tabs, and a line offset of 3.
const docCRLF = "\xEF\xBB\xBFa = 1\r\n\tb\t=\t\"中\"\r\n[t]\r\nc = [\r\n  1,\r\n  2\r\n]\r\n"

func TestPositions(t *testing.T) {
	tests := []struct {
		name   string
		doc    string
		offset int
		checks []check
	}{
		{"basic", docBasic, 0, []check{
			k("title", 2, 1), v("title", 2, 9),
			k("合计(宗)", 3, 1), v("合计(宗)", 3, 11),
			k("tab", 4, 2), v("tab", 4, 8),
			k("party", 5, 1), v("party", 5, 9),
			k("party.kind", 5, 10), v("party.kind", 5, 17),
			k("party.name", 5, 23), v("party.name", 5, 30),
			k("a", 6, 1), noValue("a"), k("a.b", 6, 3), k("a.b.c", 6, 5), v("a.b.c", 6, 9),
			k("a.中 文", 7, 5), k("a.中 文.d", 7, 13), v("a.中 文.d", 7, 17),
			k("kinds", 8, 1), v("kinds", 8, 9),
			v("kinds[0]", 8, 10), v("kinds[1]", 8, 16), v("kinds[2]", 8, 24),
			v("kinds[2][0]", 8, 25), v("kinds[2][1]", 8, 31), noKey("kinds[0]"),
			noValue("kinds[3]"), noKey("nope"), noKey("title.x"), noKey("kinds[x]"), noKey("kinds[0"),
		}},
		{"multiline", docMultiline, 0, []check{
			k("summary", 1, 1), v("summary", 1, 11),
			k("after", 5, 1), v("after", 5, 9),
			k("lit", 6, 1), v("lit", 6, 7),
			k("tags", 9, 1), v("tags", 9, 8),
			v("tags[0]", 10, 3), v("tags[1]", 11, 3), v("tags[2]", 12, 3), v("tags[2][1]", 12, 7),
			noValue("tags[3]"),
			k("next", 14, 1), v("next", 14, 8),
			k("last", 15, 1), v("last", 15, 8),
		}},
		{"tables", docTables, 0, []check{
			k("benchmark", 1, 1), noValue("benchmark"),
			k("benchmark[0]", 1, 1), v("benchmark[0]", 1, 1), k("benchmark[1]", 8, 1), v("benchmark[1]", 8, 1),
			k("benchmark[0].name", 2, 1), v("benchmark[0].name", 2, 8),
			k("benchmark[0].tier", 3, 1), k("benchmark[0].tier[1]", 5, 1),
			v("benchmark[0].tier[0].fine_min", 4, 12), v("benchmark[0].tier[1].fine_min", 6, 12),
			v("benchmark[1].name", 9, 8),
			k("benchmark[1].meta", 10, 1), noValue("benchmark[1].meta"), k("benchmark[1].meta.note", 11, 1),
			k("benchmark[1].tier", 12, 1), k("benchmark[1].tier[0]", 12, 1),
			k("benchmark[1].tier[0].fine_min", 13, 3), v("benchmark[1].tier[0].fine_min", 13, 14),
			noKey("benchmark[1].tier[1]"), noKey("benchmark[2]"), noKey("benchmark.name"),
			v("table[0].title", 15, 9), k("table[0].values", 16, 1),
			k("table[0].values.合计(宗)", 17, 1), v("table[0].values.合计(宗)", 17, 11),
			k("table[1]", 18, 1), k("table[1].values", 19, 1), v("table[1].values.合计(宗)", 20, 11),
			k("party", 21, 1), k("party.name", 22, 1),
			k("a", 23, 2), k("a.b.c", 23, 1), k("a.b.c.d", 24, 1),
		}},
		{"crlf-bom-offset", docCRLF, 3, []check{
			k("a", 4, 1), v("a", 4, 5),
			k("b", 5, 2), v("b", 5, 6),
			k("t", 6, 1), k("t.c", 7, 1), v("t.c", 7, 5),
			v("t.c[0]", 8, 3), v("t.c[1]", 9, 3),
			n("missing", 4, 1), n("t.zz", 6, 1), n("t.c[5]", 7, 5), n("", 4, 1),
		}},
		{"nearest", docBasic, 10, []check{
			n("party.kind", 15, 17), n("party.zz", 15, 9), n("party.zz.yy[1]", 15, 9),
			n("kinds[5]", 18, 9), n("kinds[2][9]", 18, 24), n("kinds[2][1]", 18, 31),
			n("a.b", 16, 3), n("a.b.zz", 16, 3), n("nope.x", 11, 1), n("", 11, 1), n("[0]", 11, 1),
		}},
		{"nearest-tables", docTables, 0, []check{
			n("benchmark[1].tier[0].fine_max", 12, 1), n("benchmark[7].name", 1, 1),
			n("benchmark[1].meta.note", 11, 8), n("table[1].values.合计(件)", 19, 1),
		}},
		{"duplicates-and-reopened", "a = 1\na = [2, 3]\n[t]\n[t]\nx = 1\n[x.y]\nz = 1\n[x]\nw = 2\n", 0, []check{
			k("a", 1, 1), v("a", 1, 5), noValue("a[0]"),
			k("t", 3, 1), k("t.x", 5, 1),
			k("x", 8, 1), k("x.y", 6, 1), k("x.y.z", 7, 1), k("x.w", 9, 1),
		}},
		{"escaped-and-literal-keys", `"a\"b" = 1` + "\n'c\\d' = 2\n\"\\u4E2D\" = 3\n\"\" = {x = 4}\n\"\\x41\\e\\q\" = 5\n", 0, []check{
			k(`a"b`, 1, 1), v(`a"b`, 1, 10),
			k(`c\d`, 2, 1), v(`c\d`, 2, 9),
			k("中", 3, 1), v("中", 3, 12),
			k(".x", 4, 7),                             // "" = {x = 4}: the empty key
			k("A\x1b\\q", 5, 1), v("A\x1b\\q", 5, 14), // TOML 1.1 escapes; invalid \q kept
		}},
		{"strings-with-punctuation", "a = 'x = [y] # z'\nb = \"\\\\\" # c\nc = \"\"\"\"\"\"\nd = '''a''''\ne = 1979-05-27 07:32:00Z # 日期\nf = true\n", 0, []check{
			v("a", 1, 5), k("b", 2, 1), v("b", 2, 5), k("c", 3, 1), k("d", 4, 1), v("d", 4, 5),
			k("e", 5, 1), v("e", 5, 5), k("f", 6, 1), v("f", 6, 5),
		}},
		{"inline-nested", "officers = [\n  {name = \"王五\", ids = [1, 2]},\n  {name = \"赵六\", sub = {x = 1}}, # 注释\n]\nlater = { a = 1,\n  b = 2, }\n", 0, []check{
			v("officers", 1, 12), v("officers[0]", 2, 3), v("officers[1]", 3, 3),
			k("officers[0].name", 2, 4), v("officers[0].name", 2, 11),
			v("officers[0].ids[1]", 2, 27), k("officers[1].sub.x", 3, 24), v("officers[1].sub.x", 3, 28),
			k("later.b", 6, 3), v("later.b", 6, 7),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := Build([]byte(tt.doc), tt.offset)
			for _, c := range tt.checks {
				var got Pos
				ok := true
				switch c.fn {
				case "key":
					got, ok = ix.Key(c.path)
				case "value":
					got, ok = ix.Value(c.path)
				case "nearest":
					got = ix.Nearest(c.path)
				}
				if c.want == (Pos{}) {
					if ok {
						t.Errorf("%s(%q) = %v, want not found", c.fn, c.path, got)
					}
					continue
				}
				if !ok || got != c.want {
					t.Errorf("%s(%q) = %v, %v; want %v", c.fn, c.path, got, ok, c.want)
				}
			}
		})
	}
}

func TestKeysLen(t *testing.T) {
	tests := []struct {
		doc  string
		path string
		keys []string
		len  int
	}{
		{docBasic, "", []string{"title", "合计(宗)", "tab", "party", "a", "kinds"}, 0},
		{docBasic, "party", []string{"kind", "name"}, 0},
		{docBasic, "a", []string{"b", "中 文"}, 0},
		{docBasic, "a.b", []string{"c"}, 0},
		{docBasic, "kinds", nil, 3},
		{docBasic, "kinds[2]", nil, 2},
		{docBasic, "title", nil, 0},
		{docBasic, "nope", nil, 0},
		{docMultiline, "", []string{"summary", "after", "lit", "tags", "next", "last"}, 0},
		{docMultiline, "tags", nil, 3},
		{docMultiline, "tags[2]", nil, 2},
		{docTables, "", []string{"benchmark", "table", "party", "a"}, 0},
		{docTables, "benchmark", nil, 2},
		{docTables, "benchmark[0]", []string{"name", "tier"}, 0},
		{docTables, "benchmark[1]", []string{"name", "meta", "tier"}, 0},
		{docTables, "benchmark[0].tier", nil, 2},
		{docTables, "benchmark[1].tier", nil, 1},
		{docTables, "table", nil, 2},
		{docTables, "table[0]", []string{"title", "values"}, 0},
		{docTables, "table[1].values", []string{"合计(宗)"}, 0},
		{docTables, "a", []string{"b.c"}, 0},
		{docCRLF, "", []string{"a", "b", "t"}, 0},
		{docCRLF, "t.c", nil, 2},
		{"a = 1\nb = 2\na = 3\n[t]\n[t]\nb.c = 1\nb.d = 2\n", "", []string{"a", "b", "t"}, 0},
		{"a = 1\nb = 2\na = 3\n[t]\n[t]\nb.c = 1\nb.d = 2\n", "t.b", []string{"c", "d"}, 0},
		{"empty = []\nitem = [\n]\n", "empty", nil, 0},
	}
	for _, tt := range tests {
		ix := Build([]byte(tt.doc), 0)
		if got := ix.Keys(tt.path); !reflect.DeepEqual(got, tt.keys) {
			t.Errorf("Keys(%q) = %q, want %q\n%s", tt.path, got, tt.keys, tt.doc)
		}
		if got := ix.Len(tt.path); got != tt.len {
			t.Errorf("Len(%q) = %d, want %d\n%s", tt.path, got, tt.len, tt.doc)
		}
	}
}

// TestWideTable covers tables with more keys than wideAt, whose keys are
// found through a map, and keys written with escapes.
func TestWideTable(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&b, "k%d = %d\n", i, i) // line i+1
	}
	b.WriteString("k5 = 0\n[t]\n") // lines 201, 202
	for i := 0; i < 100; i++ {
		fmt.Fprintf(&b, "\"\\u0061%d\" = 1\n", i) // line 203+i: "\u0061<i>", escaped a<i>
	}
	b.WriteString("[k200.x]\n[k200]\n") // lines 303, 304
	ix := Build([]byte(b.String()), 0)
	for _, c := range []check{
		k("k0", 1, 1), k("k5", 6, 1), v("k5", 6, 6), k("k199", 200, 1), v("k150", 151, 8),
		k("t", 202, 1), k("t.a0", 203, 1), k("t.a99", 302, 1), v("t.a64", 267, 14),
		k("k200", 304, 1), k("k200.x", 303, 1), noKey("k201"), noKey("t.a100"),
	} {
		var got Pos
		var ok bool
		if c.fn == "key" {
			got, ok = ix.Key(c.path)
		} else {
			got, ok = ix.Value(c.path)
		}
		if c.want == (Pos{}) && ok || c.want != (Pos{}) && got != c.want {
			t.Errorf("%s(%q) = %v, %v; want %v", c.fn, c.path, got, ok, c.want)
		}
	}
	if keys := ix.Keys(""); len(keys) != 202 || keys[0] != "k0" || keys[199] != "k199" || keys[200] != "t" || keys[201] != "k200" {
		t.Errorf("Keys(\"\") = %d keys %q", len(keys), keys)
	}
	if keys := ix.Keys("t"); len(keys) != 100 || keys[64] != "a64" {
		t.Errorf("Keys(\"t\") = %q", keys)
	}
}

// TestInvalid checks the best effort on documents BurntSushi/toml rejects.
func TestInvalid(t *testing.T) {
	tests := []struct {
		name   string
		doc    string
		checks []check
	}{
		{"bare-chinese-key", "名称 = \"张三\"\n", []check{k("名称", 1, 1), v("名称", 1, 6)}},
		{"unclosed-array", "tags = [\"a\",\n  \"b\"\nnext = 1\n", []check{v("tags[1]", 2, 3), noValue("tags[2]"), k("next", 3, 1)}},
		{"unclosed-inline", "party = {kind = \"x\",\n[t]\ny = 2\n", []check{k("party.kind", 1, 10), k("t", 2, 1), k("t.y", 3, 1)}},
		{"unclosed-string", "a = \"abc\nb = 'x\nc = 1\n", []check{v("a", 1, 5), v("b", 2, 5), k("c", 3, 1)}},
		{"unclosed-multiline", "a = \"\"\"\nb = 1\n", []check{v("a", 1, 5), noKey("b")}},
		{"missing-value", "a =\nb = # c\nc = 1\n", []check{k("a", 1, 1), noValue("a"), noValue("b"), v("c", 3, 5)}},
		{"garbage", "a b c\n= 1\n[\n[[]]\n]]\nx = 1 2 3\n{\n", []check{v("x", 6, 5)}},
		{"unclosed-header", "[t\nx = 1\n", []check{k("t", 1, 1), k("t.x", 2, 1)}},
		{"table-then-aot", "[x]\n[[x]]\na = 1\n", []check{k("x", 1, 1), k("x.a", 3, 1)}},
		{"header-into-scalar-array", "d = [1]\na = []\n[[d]]\n[a.b]\nc = 1\n", []check{k("d[1]", 3, 1), k("a[0].b.c", 5, 1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := Build([]byte(tt.doc), 0)
			for _, c := range tt.checks {
				var got Pos
				var ok bool
				if c.fn == "key" {
					got, ok = ix.Key(c.path)
				} else {
					got, ok = ix.Value(c.path)
				}
				if c.want == (Pos{}) {
					if ok {
						t.Errorf("%s(%q) = %v, want not found", c.fn, c.path, got)
					}
				} else if !ok || got != c.want {
					t.Errorf("%s(%q) = %v, %v; want %v", c.fn, c.path, got, ok, c.want)
				}
			}
		})
	}
}

func TestNil(t *testing.T) {
	var ix *Index
	if _, ok := ix.Key("a"); ok {
		t.Error("Key on nil index found something")
	}
	if _, ok := ix.Value("a"); ok {
		t.Error("Value on nil index found something")
	}
	if ix.Keys("") != nil || ix.Len("a") != 0 || ix.Nearest("a") != (Pos{1, 1}) {
		t.Error("nil index not empty")
	}
	if got := Build(nil, 2).Nearest("x"); got != (Pos{3, 1}) {
		t.Errorf("Nearest on empty document = %v", got)
	}
}

// frontMatter is a realistic case front matter (~40 lines).
const frontMatter = `# 行政处罚决定书
title = "关于某某建设有限公司未取得施工许可证擅自施工案"
code = "京建罚〔2025〕12号"
date = 2025-03-02
published = 2025-03-10T09:30:00+08:00
agency = "北京市住房和城乡建设委员会"
kinds = ["罚款", "责令改正"]
tags = [
  "施工许可", # 主要
  "建筑工程",
]
fine = 125_000
"合计(宗)" = 5
summary = """
当事人于 2024 年 5 月 [未经许可] 擅自施工 # 不是注释
违反了《建筑法》第七条 = 第一款。"""
basis.law = "《中华人民共和国建筑法》"
basis.article = "第六十四条"
party = { kind = "法人", name = "某某建设有限公司", id = 'x\y' }

[decision]
kinds = ["罚款"]
amount = 125000.0
deadline = 15
[decision.appeal]
days = 60

[[officers]]
name = "王五"
badge = "11010001"

[[officers]]
name = "赵六"
badge = "11010002"

[[timeline]]
date = 2025-01-02
event = "立案"

[[timeline]]
date = 2025-02-20
event = "告知"
`

// TestAgainstBurntSushi checks that every key BurntSushi/toml reports outside
// arrays of tables is indexed, that every non-table has a value position
// whose line holds the key, and that array lengths agree.
func TestAgainstBurntSushi(t *testing.T) {
	for _, doc := range []string{frontMatter, docBasic, docMultiline, docTables, docCRLF} {
		var m map[string]any
		md, err := toml.Decode(doc, &m)
		if err != nil {
			t.Fatalf("%v\n%s", err, doc)
		}
		ix := Build([]byte(doc), 0)
		checked := 0
	keys:
		for _, key := range md.Keys() {
			for i := 1; i < len(key); i++ {
				if typ := md.Type(key[:i]...); typ == "ArrayHash" || typ == "Array" {
					continue keys
				}
			}
			path := strings.Join(key, ".")
			if strings.Contains(key[len(key)-1], ".") {
				continue // ambiguous path; covered by TestPositions
			}
			kp, ok := ix.Key(path)
			if !ok {
				t.Errorf("Key(%q) not found", path)
				continue
			}
			checked++
			switch typ := md.Type(key...); typ {
			case "Hash", "ArrayHash":
			default:
				vp, ok := ix.Value(path)
				if !ok || vp.Line != kp.Line || vp.Col <= kp.Col {
					t.Errorf("Value(%q) = %v, %v (key at %v)", path, vp, ok, kp)
				}
			}
			if a, ok := lookup(m, key).([]any); ok && ix.Len(path) != len(a) {
				t.Errorf("Len(%q) = %d, want %d", path, ix.Len(path), len(a))
			}
			if a, ok := lookup(m, key).([]map[string]any); ok && ix.Len(path) != len(a) {
				t.Errorf("Len(%q) = %d, want %d", path, ix.Len(path), len(a))
			}
		}
		if checked < 4 {
			t.Errorf("only %d keys checked", checked)
		}
	}
}

func lookup(m map[string]any, key []string) any {
	var v any = m
	for _, k := range key {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[k]
	}
	return v
}

// paths lists the path of every node of ix reachable by a path, with the
// node; names containing '.' or '[' make a path ambiguous and are skipped.
func paths(ix *Index) map[string]int32 {
	out := map[string]int32{}
	var rec func(n int32, path string)
	rec = func(n int32, path string) {
		out[path] = n
		i := 0
		for c := ix.nodes[n].first; c >= 0; c = ix.nodes[c].next {
			if ix.nodes[c].flags&fElem != 0 {
				rec(c, fmt.Sprintf("%s[%d]", path, i))
				i++
				continue
			}
			name := ix.name(c)
			if strings.ContainsAny(name, ".[") || path == "" && name == "" {
				// ambiguous: "" is the root
				continue
			}
			if path == "" {
				rec(c, name)
			} else {
				rec(c, path+"."+name)
			}
		}
	}
	rec(0, "")
	return out
}

func FuzzBuild(f *testing.F) {
	for _, doc := range []string{frontMatter, docBasic, docMultiline, docTables, docCRLF,
		"a = [[[[{b = [{c = 1}]}]]]]\n", "\"\\u4E2D\" = '''\n'''\n[[x.y]]\n[x.z]\n"} {
		f.Add([]byte(doc), "item[3].code")
	}
	f.Fuzz(func(t *testing.T, src []byte, path string) {
		// The document's lines as Build sees them: BOM dropped, split at '\n'.
		text := strings.TrimPrefix(string(src), "\xEF\xBB\xBF")
		lines := strings.Split(text, "\n")
		const off = 7
		ix := Build(src, off)
		in := func(what string, p Pos) {
			t.Helper()
			if p.Line < 1+off || p.Line > len(lines)+off {
				t.Fatalf("%s: line %d outside 1..%d (+%d)", what, p.Line, len(lines), off)
			}
			if max := utf8.RuneCountInString(lines[p.Line-off-1]) + 1; p.Col < 1 || p.Col > max {
				t.Fatalf("%s: %v col outside 1..%d", what, p, max)
			}
		}
		for p, node := range paths(ix) {
			if n, _, ok := ix.walk(p); !ok || n != node {
				t.Fatalf("walk(%q) = %d, %v; want node %d", p, n, ok, node)
			}
			if pos, ok := ix.Key(p); ok {
				in("Key("+p+")", pos)
			}
			if pos, ok := ix.Value(p); ok {
				in("Value("+p+")", pos)
			}
			in("Nearest("+p+")", ix.Nearest(p))
			ix.Keys(p)
			ix.Len(p)
		}
		in("Nearest(path)", ix.Nearest(path))
		ix.Key(path)
		ix.Value(path)
		ix.Keys(path)
		ix.Len(path)

		// Differential check on documents BurntSushi/toml accepts.
		var m map[string]any
		md, err := toml.Decode(string(src), &m)
		if err != nil {
			return
		}
	keys:
		for _, key := range md.Keys() {
			for i := 1; i < len(key); i++ {
				if typ := md.Type(key[:i]...); typ == "ArrayHash" || typ == "Array" {
					continue keys
				}
			}
			p := strings.Join(key, ".")
			if p == "" || strings.ContainsAny(p, "[") || strings.Contains(key[len(key)-1], ".") {
				continue
			}
			kp, ok := ix.Key(p)
			if !ok {
				t.Fatalf("Key(%q) not found", p)
			}
			r, _ := utf8.DecodeRuneInString(string([]rune(lines[kp.Line-off-1])[kp.Col-1:]))
			if first, _ := utf8.DecodeRuneInString(key[len(key)-1]); r != '[' && r != '"' && r != '\'' && r != first {
				t.Fatalf("Key(%q) = %v points at %q", p, kp, r)
			}
			want := -1
			switch x := lookup(m, key).(type) {
			case []any:
				want = len(x)
			case []map[string]any:
				want = len(x)
			}
			if want >= 0 && ix.Len(p) != want {
				t.Fatalf("Len(%q) = %d, want %d", p, ix.Len(p), want)
			}
		}
	})
}

func BenchmarkBuild(b *testing.B) {
	src := []byte(frontMatter)
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		Build(src, 1)
	}
}
