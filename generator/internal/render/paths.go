package render

import (
	"fmt"
	"net/url"
	"strings"
)

// URL paths of every page kind, in one place: printed QR codes and links
// from other sites depend on them (CONTENT.md "URLs and files").

func agencyPath(id string) string { return "/agencies/" + id + "/" }
func casePath(id string) string   { return "/c/" + id + "/" }
func officerPath(cert string) string {
	return "/officers/" + cert + "/"
}

// OfficerPath is the URL path of an officer's credential page, with the
// certificate number percent-escaped where it must be (a QR code carries
// the URL as it is), or "" when the number cannot be one path segment and
// the officer gets no page.
func OfficerPath(cert string) string {
	if !validSegment(cert) {
		return ""
	}
	return "/officers/" + url.PathEscape(cert) + "/"
}

// QRImages are the URL paths (without the base path) of one QR code's
// files; the zero value means there is no code.
type QRImages struct{ SVG, PNG string }

// CaseQR is where a case's QR code is published: /qr/<id>.svg and .png.
func CaseQR(caseID string) QRImages {
	return QRImages{SVG: "/qr/" + caseID + ".svg", PNG: "/qr/" + caseID + ".png"}
}

// OfficerQR is where an officer's QR code is published,
// /qr/officer-<cert_no>.svg and .png; zero when the officer has no page.
func OfficerQR(cert string) QRImages {
	if !validSegment(cert) {
		return QRImages{}
	}
	return QRImages{SVG: "/qr/officer-" + cert + ".svg", PNG: "/qr/officer-" + cert + ".png"}
}

// Print views: a case's QR label, an agency's QR sheet for one year of
// decisions, and its officers' QR cards.
// casePrintPath is a file beside the case page, not a folder of its own:
// one directory fewer per case is a tenth of a million-case build's
// metadata operations.
func casePrintPath(id string) string { return casePath(id) + "print.html" }
func qrSheetPath(agency string, year, page int) string {
	p := fmt.Sprintf("%sqr/%d/", agencyPath(agency), year)
	if page > 1 {
		p += fmt.Sprintf("page/%d/", page)
	}
	return p
}
func officerCardsPath(agency string) string { return agencyPath(agency) + "officers/print/" }

// scope is "" for the whole site or an agency id.
func scopePath(scope string) string {
	if scope == "" {
		return "/"
	}
	return agencyPath(scope)
}

func cataloguePath(scope string) string  { return scopePath(scope) + "catalogue/" }
func benchmarksPath(scope string) string { return scopePath(scope) + "benchmarks/" }
func leniencyPath(scope, slug string) string {
	return scopePath(scope) + "leniency/" + slug + "/"
}
func plansPath(scope string, year int) string {
	if scope == "" && year == 0 {
		return "/plans/"
	}
	return fmt.Sprintf("%splans/%d/", scopePath(scope), year)
}
func statsPath(scope string, year int) string {
	if year == 0 {
		return scopePath(scope) + "stats/"
	}
	return fmt.Sprintf("%sstats/%d/", scopePath(scope), year)
}
func casesPath(scope string, year, page int) string {
	if year == 0 {
		return scopePath(scope) + "cases/"
	}
	p := fmt.Sprintf("%scases/%d/", scopePath(scope), year)
	if page > 1 {
		p += fmt.Sprintf("page/%d/", page)
	}
	return p
}
func timelinessPath(scope string) string { return scopePath(scope) + "timeliness/" }

// itemHref links a catalogue item to its row on its owner's catalogue.
func itemHref(agencyID, code string) string { return cataloguePath(agencyID) + "#" + code }

// benchmarkHref links a benchmark to its section on its owner's page.
func benchmarkHref(agencyID, id string) string { return benchmarksPath(agencyID) + "#" + id }

// dataPath is the open-data file of a list: /data/<kind>.csv for the site,
// /data/agencies/<id>/<kind>.csv for an agency.
func dataPath(scope, kind, ext string) string {
	if scope == "" {
		return "/data/" + kind + "." + ext
	}
	return "/data/agencies/" + scope + "/" + kind + "." + ext
}

// Leniency lists in display order, with their permanent URL slugs.
var leniencyLists = []struct{ Name, Slug string }{
	{"不予处罚", "buyu-chufa"},
	{"可以不予处罚", "keyi-buyu-chufa"},
	{"从轻处罚", "congqing"},
	{"减轻处罚", "jianqing"},
	{"不予强制", "buyu-qiangzhi"},
	{"从重处罚", "congzhong"},
}

// leniencyTitle is the published name of a list ("不予处罚清单").
func leniencyTitle(list string) string {
	if list == "不予强制" {
		return "不予实施行政强制措施清单"
	}
	if strings.HasSuffix(list, "清单") {
		return list
	}
	return list + "事项清单"
}

func leniencySlug(list string) string {
	for _, l := range leniencyLists {
		if l.Name == list {
			return l.Slug
		}
	}
	return ""
}
