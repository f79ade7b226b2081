package wire

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// FuzzReader: any bytes read as any sequence of values never panic, and
// once a read fails every later read gives zero values.
func FuzzReader(f *testing.F) {
	var b []byte
	b = AppendString(b, "江门")
	b = AppendBool(b, true)
	b = binary.AppendVarint(b, -5)
	f.Add(b, []byte{0, 1, 2, 3, 4, 5, 6})
	f.Add([]byte{0xff, 0xff, 0xff}, []byte{0, 0, 0})
	f.Fuzz(func(t *testing.T, data, ops []byte) {
		r := NewReader(data)
		failed := false
		for _, op := range ops {
			switch op % 7 {
			case 0:
				r.Uvarint()
			case 1:
				r.Varint()
			case 2:
				r.Int()
			case 3:
				r.Bytes()
			case 4:
				_ = r.String()
			case 5:
				r.Bool()
			case 6:
				r.Fixed(int(op / 7))
			}
			if failed && (r.Err() == nil || len(r.Rest()) != 0) {
				t.Fatal("a failed reader recovered")
			}
			failed = r.Err() != nil
		}
	})
}

// What the Append functions write reads back.
func TestRoundTrip(t *testing.T) {
	var b []byte
	b = AppendString(b, "行政执法")
	b = AppendBool(b, false)
	b = AppendBool(b, true)
	b = binary.AppendVarint(b, -1<<31)
	b = append(b, "tail"...)
	r := NewReader(b)
	if s := r.String(); s != "行政执法" {
		t.Fatalf("string %q", s)
	}
	if r.Bool() || !r.Bool() {
		t.Fatal("bools")
	}
	if v := r.Int(); v != -1<<31 {
		t.Fatalf("int %d", v)
	}
	if f := r.Fixed(4); !bytes.Equal(f, []byte("tail")) || r.Err() != nil || len(r.Rest()) != 0 {
		t.Fatal("fixed")
	}
	if r.Fixed(1); r.Err() == nil {
		t.Fatal("reading past the end did not fail")
	}
}
