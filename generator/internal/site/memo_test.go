package site

import (
	"reflect"
	"testing"

	"zfgs/generator/internal/diag"
	"zfgs/generator/internal/rules"
)

// FuzzDecodePayload: a case memo read back from .cache may be damaged or
// from another version; decoding it must never panic, and what it accepts
// re-encodes to the same bytes.
func FuzzDecodePayload(f *testing.F) {
	p := casePayload{
		ends: 20270101, expired: true,
		diags: []diag.Diagnostic{{Pos: diag.Pos{File: "content/a.md", Line: 2, Col: 17}, Severity: diag.Warning, Code: diag.EUnknownKey, Message: "未知字段",
			Notes: []diag.Note{{Pos: diag.Pos{File: "content/b.md", Line: 1, Col: 1}, Message: "附注"}}}},
		scope: [32]byte{7, 1, 9},
		keys:  rules.CaseKeys{Number: "江〔2025〕1号", Decided: 20250101, Onsite: true, CreditCode: "91440700MA00000000", SupersededBy: "JM-2"},
		build: []byte{1, 2, 3},
	}
	f.Add(p.append(nil))
	f.Add([]byte{payloadVersion})
	f.Add([]byte{payloadVersion, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, b []byte) {
		got, ok := decodePayload(b)
		if !ok {
			return
		}
		if again, ok := decodePayload(got.append(nil)); !ok || !reflect.DeepEqual(again, got) {
			t.Fatalf("accepted payload does not survive a round trip")
		}
	})
}
