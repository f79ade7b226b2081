package site

import (
	"encoding/binary"

	"zfgs/generator/internal/diag"
	"zfgs/generator/internal/model"
	"zfgs/generator/internal/rules"
	"zfgs/generator/internal/wire"
)

// What a run stores of a case in the memo (casememo), before what the
// caller's CaseFunc returned: the findings of the case's checks, its keys
// for the rules that span cases, when its publication period ends, and the
// scope key of its agency (what else its checks and pages read).
// A case with an error is never stored: the run fails, and the file will
// be read again.

const payloadVersion = 2

// casePayload is a case's stored results.
type casePayload struct {
	scope   [32]byte   // its agency's scope key (package scope) when stored
	ends    model.Date // rules.PublicationEnds; 0 = never
	expired bool       // ApplyExpiry turned it into 停止公示 when stored
	diags   []diag.Diagnostic
	keys    rules.CaseKeys
	build   []byte // what the CaseFunc returned
}

func appendPos(b []byte, p diag.Pos) []byte {
	b = wire.AppendString(b, p.File)
	b = binary.AppendVarint(b, int64(p.Line))
	return binary.AppendVarint(b, int64(p.Col))
}

func readPos(r *wire.Reader) diag.Pos {
	return diag.Pos{File: r.String(), Line: r.Int(), Col: r.Int()}
}

func (p *casePayload) append(b []byte) []byte {
	b = append(b, payloadVersion)
	b = append(b, p.scope[:]...)
	b = binary.AppendVarint(b, int64(p.ends))
	b = wire.AppendBool(b, p.expired)
	b = binary.AppendUvarint(b, uint64(len(p.diags)))
	for _, d := range p.diags {
		b = appendPos(b, d.Pos)
		b = binary.AppendVarint(b, int64(d.Severity))
		b = wire.AppendString(b, string(d.Code))
		b = wire.AppendString(b, d.Message)
		b = binary.AppendUvarint(b, uint64(len(d.Notes)))
		for _, n := range d.Notes {
			b = appendPos(b, n.Pos)
			b = wire.AppendString(b, n.Message)
		}
	}
	k := &p.keys
	b = wire.AppendString(b, k.Number)
	b = binary.AppendVarint(b, int64(k.Decided))
	b = wire.AppendBool(b, k.Onsite)
	b = wire.AppendString(b, k.CreditCode)
	b = appendPos(b, k.OnsiteAt)
	b = wire.AppendString(b, k.SupersededBy)
	b = appendPos(b, k.SupersededAt)
	return append(b, p.build...)
}

// decodePayload reads what append wrote; false: damaged or from another
// version (a miss).
func decodePayload(b []byte) (p casePayload, ok bool) {
	if len(b) == 0 || b[0] != payloadVersion {
		return p, false
	}
	r := wire.NewReader(b[1:])
	copy(p.scope[:], r.Fixed(len(p.scope)))
	p.ends = model.Date(r.Int())
	p.expired = r.Bool()
	n := r.Uvarint()
	if n > uint64(len(b)) {
		return p, false
	}
	for i := uint64(0); i < n && r.Err() == nil; i++ {
		d := diag.Diagnostic{Pos: readPos(r), Severity: diag.Severity(r.Int()), Code: diag.Code(r.String()), Message: r.String()}
		nn := r.Uvarint()
		if nn > uint64(len(b)) {
			return p, false
		}
		for j := uint64(0); j < nn && r.Err() == nil; j++ {
			d.Notes = append(d.Notes, diag.Note{Pos: readPos(r), Message: r.String()})
		}
		p.diags = append(p.diags, d)
	}
	k := &p.keys
	k.Number = r.String()
	k.Decided = model.Date(r.Int())
	k.Onsite = r.Bool()
	k.CreditCode = r.String()
	k.OnsiteAt = readPos(r)
	k.SupersededBy = r.String()
	k.SupersededAt = readPos(r)
	p.build = r.Rest()
	return p, r.Err() == nil
}
