package render

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"

	"zfgs/generator/internal/model"
)

// dataset is one open-data table: the same rows become a CSV file (Chinese
// headers, for people opening it in Excel/WPS) and a JSON file (the content
// contract's field names, for programs), so the two never disagree.
type dataset struct {
	cols []column
	rows [][]any // cell values: string, int, float64, *float64, bool, *bool, model.Date, []string, []int
}

type column struct {
	Key  string // JSON key
	Head string // CSV header
}

func (d *dataset) add(cells ...any) { d.rows = append(d.rows, cells) }

// utf8BOM lets Excel open the CSV as UTF-8 instead of the local code page.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// CSV is RFC 4180 (CRLF line ends, quotes where needed) with a BOM.
func (d *dataset) CSV() []byte {
	var b bytes.Buffer
	b.Write(utf8BOM)
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	head := make([]string, len(d.cols))
	for i, c := range d.cols {
		head[i] = c.Head
	}
	w.Write(head)
	rec := make([]string, len(d.cols))
	for _, row := range d.rows {
		for i := range d.cols {
			rec[i] = ""
			if i < len(row) {
				rec[i] = csvCell(row[i])
			}
		}
		w.Write(rec)
	}
	w.Flush()
	return b.Bytes()
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
// readable.
func (d *dataset) JSON() []byte {
	var b bytes.Buffer
	b.WriteString("[")
	for r, row := range d.rows {
		if r > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n{")
		for i, c := range d.cols {
			if i > 0 {
				b.WriteString(",")
			}
			b.Write(jsonValue(c.Key))
			b.WriteString(":")
			var v any
			if i < len(row) {
				v = row[i]
			}
			b.Write(jsonCell(v))
		}
		b.WriteString("}")
	}
	b.WriteString("\n]\n")
	return b.Bytes()
}

func jsonCell(v any) []byte {
	switch x := v.(type) {
	case model.Date:
		if x == 0 {
			return []byte("null")
		}
		return jsonValue(x.String())
	case *float64:
		if x == nil {
			return []byte("null")
		}
		return jsonValue(*x)
	case *bool:
		if x == nil {
			return []byte("null")
		}
		return jsonValue(*x)
	case []string:
		if x == nil {
			x = []string{}
		}
		return jsonValue(x)
	case []int:
		if x == nil {
			x = []int{}
		}
		return jsonValue(x)
	}
	return jsonValue(v)
}

func jsonValue(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // Chinese text and <, > stay readable
	if err := enc.Encode(v); err != nil {
		panic(err) // only plain values reach here
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
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
	csvPath, jsonPath := dataPath(scope, kind, "csv"), dataPath(scope, kind, "json")
	if err := b.w.WriteFile(strings.TrimPrefix(csvPath, "/"), d.CSV()); err != nil {
		return nil, err
	}
	if err := b.w.WriteFile(strings.TrimPrefix(jsonPath, "/"), d.JSON()); err != nil {
		return nil, err
	}
	if scopeName == "" {
		scopeName = "全市"
	}
	b.mu.Lock()
	b.data = append(b.data, dataFile{Scope: scopeName, Title: title, CSV: csvPath, JSON: jsonPath})
	b.mu.Unlock()
	return []link{{"下载 CSV", csvPath}, {"下载 JSON", jsonPath}}, nil
}
