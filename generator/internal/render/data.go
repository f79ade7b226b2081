package render

import (
	"bytes"
	"encoding/csv"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"zfgs/generator/internal/model"
)

// dataset is one open-data table: the same rows become a CSV file (Chinese
// headers, for people opening it in Excel/WPS) and a JSON file (the content
// contract's field names, for programs), so the two never disagree.
//
// Each row is encoded as it is added, and not kept: a year's site-wide
// decision list at a million decisions is a few hundred thousand rows,
// which held as cells were 220 MB of heap on top of the two files' bytes.
// A dataset made with &dataset{cols: …} keeps both files in memory (CSV,
// JSON: the small lists); one made by streamDataset writes one of them to
// a file as it goes (the decision lists, see writeCachedData).
type dataset struct {
	cols []column

	started bool
	csvOut  io.Writer // nil: no CSV
	jsonOut io.Writer // nil: no JSON
	cw      *csv.Writer
	rec     []string // the CSV record being written
	keys    [][]byte // each column's `"key":`
	row     []byte   // the JSON object being written
	rows    int
	err     error // the first write error
	ended   bool

	csvBuf, jsonBuf bytes.Buffer // the files of a dataset kept in memory
}

type column struct {
	Key  string // JSON key
	Head string // CSV header
}

// streamDataset returns a dataset that writes its CSV to csvOut, or its
// JSON to jsonOut (the other nil); end finishes the file.
func streamDataset(cols []column, csvOut, jsonOut io.Writer) *dataset {
	return &dataset{cols: cols, csvOut: csvOut, jsonOut: jsonOut}
}

// start writes the CSV header and opens the JSON array.
func (d *dataset) start() {
	if d.started {
		return
	}
	d.started = true
	if d.csvOut == nil && d.jsonOut == nil {
		d.csvOut, d.jsonOut = &d.csvBuf, &d.jsonBuf
	}
	d.keys = make([][]byte, len(d.cols))
	d.rec = make([]string, len(d.cols))
	for i, c := range d.cols {
		d.rec[i] = c.Head
		d.keys[i] = append(appendJSONString(nil, c.Key), ':')
	}
	if d.csvOut != nil {
		d.write(d.csvOut, utf8BOM)
		d.cw = csv.NewWriter(d.csvOut)
		d.cw.UseCRLF = true
		d.cw.Write(d.rec)
	}
	if d.jsonOut != nil {
		d.write(d.jsonOut, []byte{'['})
	}
}

func (d *dataset) write(w io.Writer, b []byte) {
	if d.err == nil {
		_, d.err = w.Write(b)
	}
}

// add appends one row; cells beyond the columns are ignored, missing ones
// are empty (null in JSON).
func (d *dataset) add(cells ...any) {
	d.start()
	if d.cw != nil {
		for i := range d.cols {
			d.rec[i] = ""
			if i < len(cells) {
				d.rec[i] = csvCell(cells[i])
			}
		}
		d.cw.Write(d.rec)
	}
	if d.jsonOut != nil {
		b := d.row[:0]
		if d.rows > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n{"...)
		for i := range d.cols {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, d.keys[i]...)
			var v any
			if i < len(cells) {
				v = cells[i]
			}
			b = appendJSONCell(b, v)
		}
		d.row = append(b, '}')
		d.write(d.jsonOut, d.row)
	}
	d.rows++
}

// end finishes the files (closes the JSON array, flushes the CSV); no row
// can be added after it. It returns the first write error.
func (d *dataset) end() error {
	d.start()
	if !d.ended {
		d.ended = true
		if d.cw != nil {
			d.cw.Flush()
			if err := d.cw.Error(); d.err == nil {
				d.err = err
			}
		}
		if d.jsonOut != nil {
			d.write(d.jsonOut, []byte("\n]\n"))
		}
	}
	return d.err
}

// utf8BOM lets Excel open the CSV as UTF-8 instead of the local code page.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// CSV is RFC 4180 (CRLF line ends, quotes where needed) with a BOM. Like
// JSON, it is for a dataset kept in memory, and ends it.
func (d *dataset) CSV() []byte {
	d.end()
	return d.csvBuf.Bytes()
}

func csvCell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return csvText(x)
	case int:
		return strconv.Itoa(x)
	case float64:
		return formatNumber(x)
	case *float64:
		if x == nil {
			return ""
		}
		return formatNumber(*x)
	case bool:
		return yesNo(x)
	case *bool:
		if x == nil {
			return ""
		}
		return yesNo(*x)
	case model.Date:
		return x.String()
	case []string:
		return csvText(strings.Join(x, "；"))
	case []int:
		s := make([]string, len(x))
		for i, n := range x {
			s[i] = strconv.Itoa(n)
		}
		return strings.Join(s, "、")
	}
	panic("render: unsupported data cell type")
}

// csvText keeps a text cell from being read as a formula by Excel or WPS
// (CSV injection: "=HYPERLINK(…)", "+cmd|…", "@SUM(…)"): a text that opens
// with = + - @, a tab or a carriage return gets a leading apostrophe, as
// OWASP recommends. Numbers are written by the other cases and never get one.
func csvText(s string) string {
	if s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0 {
		return "'" + s
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// JSON is an array of objects whose keys keep the column order (a map
// would sort them), one object per line so diffs between builds are
// readable. The bytes are what encoding/json writes for each value (with
// HTML escaping off); appendJSONCell produces them directly, since an
// encoder per cell made the data files of a million decisions cost 30 s.
func (d *dataset) JSON() []byte {
	d.end()
	return d.jsonBuf.Bytes()
}

// appendJSONCell appends a cell: a zero date, a nil pointer and nil are
// null, a nil list is [].
func appendJSONCell(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case string:
		return appendJSONString(b, x)
	case int:
		return strconv.AppendInt(b, int64(x), 10)
	case float64:
		return appendJSONFloat(b, x)
	case bool:
		return strconv.AppendBool(b, x)
	case model.Date:
		if x == 0 {
			return append(b, "null"...)
		}
		return appendJSONString(b, x.String())
	case *float64:
		if x == nil {
			return append(b, "null"...)
		}
		return appendJSONFloat(b, *x)
	case *bool:
		if x == nil {
			return append(b, "null"...)
		}
		return strconv.AppendBool(b, *x)
	case []string:
		b = append(b, '[')
		for i, s := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, s)
		}
		return append(b, ']')
	case []int:
		b = append(b, '[')
		for i, n := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, int64(n), 10)
		}
		return append(b, ']')
	}
	panic("render: unsupported data cell type")
}

// appendJSONFloat is encoding/json's float64 form: shortest digits,
// exponent only below 1e-6 or from 1e21, "e-07" shortened to "e-7".
// NaN and infinities cannot occur (amounts are validated); they would be
// written as null rather than make invalid JSON.
func appendJSONFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// appendJSONString quotes s as encoding/json does with HTML escaping off:
// quote, backslash and control characters escaped (\b \f \n \r \t or
// \u00XX), invalid UTF-8 as \ufffd, U+2028 and U+2029 escaped for
// JavaScript, everything else as it is.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// dataFile is one open-data pair as listed on /data/.
type dataFile struct {
	Scope string // agency name, or "全市"
	Title string
	CSV   string // URL paths
	JSON  string
}

// writeData writes a dataset as CSV and JSON under kind and returns the
// links a list page shows.
func (b *Build) writeData(scope, scopeName, kind, title string, d *dataset) ([]link, error) {
	if err := b.writeDataFiles(b.w, scope, kind, d); err != nil {
		return nil, err
	}
	return b.recordData(scope, scopeName, kind, title), nil
}

// streamWriter is a Writer that can also write a file as it is made
// (publish.GroupWriter).
type streamWriter interface {
	WriteStream(rel string, fill func(io.Writer) error) error
}

// streamDataFiles writes the CSV and JSON of the rows fill adds through w
// without holding either: fill runs once for each.
func (b *Build) streamDataFiles(w streamWriter, scope, kind string, cols []column, fill func(d *dataset)) error {
	for _, ext := range [...]string{"csv", "json"} {
		err := w.WriteStream(strings.TrimPrefix(dataPath(scope, kind, ext), "/"), func(out io.Writer) error {
			d := streamDataset(cols, out, nil)
			if ext == "json" {
				d = streamDataset(cols, nil, out)
			}
			fill(d)
			return d.end()
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// writeDataFiles writes d's CSV and JSON through w.
func (b *Build) writeDataFiles(w Writer, scope, kind string, d *dataset) error {
	if err := w.WriteFile(strings.TrimPrefix(dataPath(scope, kind, "csv"), "/"), d.CSV()); err != nil {
		return err
	}
	return w.WriteFile(strings.TrimPrefix(dataPath(scope, kind, "json"), "/"), d.JSON())
}

// recordData lists a data pair on /data/ and returns the links a list
// page shows.
func (b *Build) recordData(scope, scopeName, kind, title string) []link {
	csvPath, jsonPath := dataPath(scope, kind, "csv"), dataPath(scope, kind, "json")
	if scopeName == "" {
		scopeName = "全市"
	}
	b.mu.Lock()
	b.data = append(b.data, dataFile{Scope: scopeName, Title: title, CSV: csvPath, JSON: jsonPath})
	b.mu.Unlock()
	return []link{{"下载 CSV", csvPath}, {"下载 JSON", jsonPath}}
}
