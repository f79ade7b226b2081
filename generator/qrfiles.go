package main

import (
	"fmt"
	"strings"
	"sync"

	"zfgs/generator/internal/model"
	"zfgs/generator/internal/publish"
	"zfgs/generator/internal/qr"
	"zfgs/generator/internal/render"
	"zfgs/generator/internal/urllock"
)

// Printed sizes of the published codes, quiet zone included, and the PNG
// resolution. A case code goes on an A4 decision document; an officer's
// code on an 85.6 × 54 mm card next to the certificate.
const (
	caseQRMM    = 25
	officerQRMM = 20
	qrDPI       = 300
)

// caseQRTitle is the accessible name of a case code's SVG.
func caseQRTitle(url string) string { return "行政执法决定公示页二维码：" + url }

func officerQRTitle(url string) string { return "行政执法人员证件核验二维码：" + url }

// caseURL is what a case's code encodes: exactly {base_url}/c/<id>/.
func caseURL(baseURL, id string) string { return baseURL + urllock.Path(id) }

// qrFile is one code in both published forms.
type qrFile struct {
	svg, png []byte
	code     *qr.Code
}

func makeQR(url, title string, level qr.Level, mm float64) (*qrFile, error) {
	code, err := qr.Encode(url, level)
	if err != nil {
		return nil, fmt.Errorf("无法为 %s 生成二维码：%w", url, err)
	}
	return &qrFile{
		svg:  code.SVG(qr.SVGOptions{SizeMM: mm, Title: title}),
		png:  code.PNG(qr.PixelsFor(mm, qrDPI), qrDPI),
		code: code,
	}, nil
}

// qrWriter writes the QR files of a build: each published case's (from the
// parallel case stream; encoding is the CPU-heavy part, ~0.2 ms a case) and
// each officer's. The file names are render.CaseQR and render.OfficerQR.
// It is safe for concurrent use.
type qrWriter struct {
	base  string
	level qr.Level
	w     render.Writer

	officers map[string]string // "officer-<cert>" → cert, to catch a case id that takes its file names
	cache    *buildCache       // nil: every code is encoded

	mu  sync.Mutex
	err error
}

func newQRWriter(cfg *model.Config, w render.Writer) (*qrWriter, error) {
	level, err := qr.ParseLevel(cfg.Rules.QRECC)
	if err != nil {
		return nil, err
	}
	return &qrWriter{base: cfg.BaseURL, level: level, w: w, officers: map[string]string{}}, nil
}

func (q *qrWriter) write(imgs render.QRImages, f *qrFile) error { return writeQR(q.w, imgs, f) }

func writeQR(w render.Writer, imgs render.QRImages, f *qrFile) error {
	if err := w.WriteFile(strings.TrimPrefix(imgs.SVG, "/"), f.svg); err != nil {
		return err
	}
	return w.WriteFile(strings.TrimPrefix(imgs.PNG, "/"), f.png)
}

// writeOfficers writes the code of every officer that has a credential page.
// Call it before the case stream starts.
func (q *qrWriter) writeOfficers(s *model.Site) error {
	for _, a := range s.Agencies {
		for _, o := range a.Officers {
			imgs := render.OfficerQR(o.CertNo)
			if imgs.SVG == "" {
				continue // no page: the number cannot be a URL segment
			}
			url := q.base + render.OfficerPath(o.CertNo)
			f, err := makeQR(url, officerQRTitle(url), q.level, officerQRMM)
			if err != nil {
				return err
			}
			if err := q.write(imgs, f); err != nil {
				return err
			}
			q.officers["officer-"+o.CertNo] = o.CertNo
		}
	}
	return nil
}

// writeCase writes one case's code; errors are kept for Err.
func (q *qrWriter) writeCase(id string) {
	if cert, ok := q.officers[id]; ok {
		q.fail(fmt.Errorf("案件编号 %s 的二维码文件与执法证号 %s 的证件二维码同名（qr/%s.svg），请更换案件编号", id, cert, id))
		return
	}
	var w render.Writer = q.w
	var gw *publish.GroupWriter
	if q.cache != nil {
		// A code depends on nothing that an edit of the case can change.
		key := q.cache.qrKey(q.base, q.level, id)
		name := "qr/" + id
		if q.cache.tx.Reuse(name, key) {
			return
		}
		gw = q.cache.tx.Group(name, key)
		w = gw
	}
	url := caseURL(q.base, id)
	f, err := makeQR(url, caseQRTitle(url), q.level, caseQRMM)
	if err == nil {
		err = writeQR(w, render.CaseQR(id), f)
	}
	if err != nil {
		q.fail(err)
		return
	}
	if gw != nil {
		gw.Done()
	}
}

func (q *qrWriter) fail(err error) {
	q.mu.Lock()
	if q.err == nil {
		q.err = err
	}
	q.mu.Unlock()
}

// Err is the first error any writeCase call met.
func (q *qrWriter) Err() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.err
}
