package render

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
)

// encodingJSON is what the data files used to write per cell: the
// reference appendJSONCell must match byte for byte.
func encodingJSON(t testing.TB, v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// FuzzJSONMatchesEncodingJSON: every string and number is written exactly
// as encoding/json writes it (quotes, controls, invalid UTF-8, U+2028,
// exponents), so the open-data JSON keeps its bytes and stays valid.
func FuzzJSONMatchesEncodingJSON(f *testing.F) {
	for _, s := range []string{"", "江门市", `"\`, "a\x00\x1f\b\f\n\r\t", "\xff\xfe", "\u2028\u2029", "<&>", "=cmd|", "\U0001F600"} {
		f.Add(s, 8000.5)
	}
	f.Add("x", 1e-7)
	f.Add("x", 1e21)
	f.Add("x", -0.0)
	f.Add("x", 123456789012345678.0)
	f.Fuzz(func(t *testing.T, s string, x float64) {
		if got, want := appendJSONCell(nil, s), encodingJSON(t, s); !bytes.Equal(got, want) {
			t.Fatalf("string %q: %s, encoding/json %s", s, got, want)
		}
		if got, want := appendJSONCell(nil, []string{s, s}), encodingJSON(t, []string{s, s}); !bytes.Equal(got, want) {
			t.Fatalf("list of %q: %s, encoding/json %s", s, got, want)
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return
		}
		if got, want := appendJSONCell(nil, &x), encodingJSON(t, x); !bytes.Equal(got, want) {
			t.Fatalf("number %v: %s, encoding/json %s", x, got, want)
		}
	})
}

// TestDatasetJSONValid: a table with every cell type is valid JSON, keys in
// column order, nil and zero values as null or [].
func TestDatasetJSONValid(t *testing.T) {
	fine := 1753.79
	yes := true
	d := &dataset{cols: []column{{"a", "A"}, {"b", "B"}, {"c", "C"}, {"d", "D"}, {"e", "E"}, {"f", "F"}, {"g", "G"}}}
	d.add("文\"本\n", 3, &fine, &yes, []string(nil), []int{1, 2}, nil)
	d.add("", 0, (*float64)(nil), (*bool)(nil), []string{"罚款", "警告"}, []int(nil), 0.5)
	var rows []map[string]any
	if err := json.Unmarshal(d.JSON(), &rows); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, d.JSON())
	}
	want := "[\n{\"a\":\"文\\\"本\\n\",\"b\":3,\"c\":1753.79,\"d\":true,\"e\":[],\"f\":[1,2],\"g\":null},\n" +
		"{\"a\":\"\",\"b\":0,\"c\":null,\"d\":null,\"e\":[\"罚款\",\"警告\"],\"f\":[],\"g\":0.5}\n]\n"
	if string(d.JSON()) != want {
		t.Errorf("JSON:\n%s\nwant:\n%s", d.JSON(), want)
	}
}
