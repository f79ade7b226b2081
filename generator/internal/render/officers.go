package render

import (
	"zfgs/generator/internal/model"
)

// verdict is an officer's standing on the build date, decided here and only
// shown by the layouts: what a citizen needs when an officer shows a
// certificate (亮证即亮码) is one unmistakable answer. Kind selects the
// block's style; Symbol and Text carry the meaning without colour.
type verdict struct {
	Kind   string // "ok", "warn" or "bad"
	Symbol string // ✓, ! or ✕
	Text   string // 有效, 暂扣（不得执法）, 已注销, 已过期, 尚未生效, 状态未公示
	Detail string // one sentence: what it means for the person in front of the officer
	Valid  bool   // may act as an enforcement officer today
}

// officerVerdict judges o at now. Only 在岗 within the validity dates is
// 有效 (the loader reads a missing status as 在岗; an empty one, should a
// model ever carry it, is not called valid). The strongest reason wins:
// 注销 and expiry end a certificate for good, 暂扣 and not-yet-valid for a
// while.
func officerVerdict(o *model.Officer, now model.Date) verdict {
	const stop = "持证人不得以此证件从事行政执法活动。"
	switch {
	case o.Status == "注销":
		return verdict{Kind: "bad", Symbol: "✕", Text: "已注销", Detail: "该执法证件已注销，" + stop}
	case o.ValidUntil != 0 && now > o.ValidUntil:
		return verdict{Kind: "bad", Symbol: "✕", Text: "已过期", Detail: "该执法证件有效期已于 " + o.ValidUntil.Chinese() + " 届满，" + stop}
	case o.Status == "暂扣":
		return verdict{Kind: "warn", Symbol: "!", Text: "暂扣（不得执法）", Detail: "该执法证件已被暂扣，暂扣期间" + stop}
	case o.ValidFrom != 0 && now < o.ValidFrom:
		return verdict{Kind: "warn", Symbol: "!", Text: "尚未生效", Detail: "该执法证件自 " + o.ValidFrom.Chinese() + " 起生效，此前" + stop}
	case o.Status == "在岗":
		return verdict{Kind: "ok", Symbol: "✓", Text: "有效", Detail: "持证人可以在所属执法主体的职权范围内从事行政执法活动，执法时应当主动出示本证件。", Valid: true}
	}
	return verdict{Kind: "warn", Symbol: "!", Text: "状态未公示", Detail: "执法主体未公示该证件的当前状态，请向执法主体核实后再配合执法。"}
}

// officerView is the credential page (亮证即亮码): what a citizen checks when
// an officer shows a certificate.
type officerView struct {
	O        *model.Officer
	Validity string
	Verdict  verdict
	AsOf     model.Date // the build date the verdict was judged at
	QR       QRImages
	URL      string // the page's address, which the QR code encodes
	Sup      model.Supervision
}

func (b *Build) officerPages(*caseIndex) error {
	r := b.r
	for _, a := range r.site.Agencies {
		for _, o := range a.Officers {
			if !validSegment(o.CertNo) {
				continue
			}
			v := &officerView{O: o, Validity: validity(o), Verdict: officerVerdict(o, r.opt.Now), AsOf: r.opt.Now, Sup: a.Supervision}
			if r.opt.OfficerQR != nil {
				v.QR = r.opt.OfficerQR(o.CertNo)
				v.URL = r.info.BaseURL + OfficerPath(o.CertNo)
			}
			err := b.writePage("officer.html", &page{
				Title: o.Name + "（执法证号 " + o.CertNo + "）", Path: officerPath(o.CertNo), Nav: "agencies",
				Crumbs: []link{{"首页", "/"}, {a.Name, agencyPath(a.ID)}},
				D:      v,
			})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// officerCard is one printed card: 85.6 × 54 mm (ISO/IEC 7810 ID-1, the
// size of a bank card or the certificate holder) with a 20 mm code.
type officerCard struct {
	Name, CertNo, Field, URL string
	QR                       QRImages
}

// officerCardsView is an agency's card sheet. Only officers whose
// certificate is valid today get a card; the others are named, with the
// reason, so nobody wonders where a card went.
type officerCardsView struct {
	Agency  *model.Agency
	Cards   []officerCard
	Skipped []officerSkip
}

type officerSkip struct{ Name, CertNo, Reason string }

// officerCardPages writes /agencies/<id>/officers/print/ for every agency
// with officers, when officer codes are made.
func (b *Build) officerCardPages(*caseIndex) error {
	r := b.r
	if r.opt.OfficerQR == nil {
		return nil
	}
	for _, a := range r.site.Agencies {
		if len(a.Officers) == 0 {
			continue
		}
		v := &officerCardsView{Agency: a}
		for _, o := range a.Officers {
			q := r.opt.OfficerQR(o.CertNo)
			vd := officerVerdict(o, r.opt.Now)
			switch {
			case q.SVG == "":
				v.Skipped = append(v.Skipped, officerSkip{o.Name, o.CertNo, "执法证号含有不能用于网址的字符，没有核验页"})
			case !vd.Valid:
				v.Skipped = append(v.Skipped, officerSkip{o.Name, o.CertNo, "证件状态：" + vd.Text})
			default:
				v.Cards = append(v.Cards, officerCard{Name: o.Name, CertNo: o.CertNo, Field: o.Field, QR: q, URL: r.info.BaseURL + OfficerPath(o.CertNo)})
			}
		}
		err := b.writeUnlisted("officer-cards.html", &page{
			Title: a.Name + "执法人员证件二维码卡片", Path: officerCardsPath(a.ID), Nav: "agencies",
			Crumbs: []link{{"首页", "/"}, {a.Name, agencyPath(a.ID)}},
			D:      v, Class: "print-sheet",
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func validity(o *model.Officer) string {
	switch {
	case o.ValidFrom == 0 && o.ValidUntil == 0:
		return ""
	case o.ValidUntil == 0:
		return o.ValidFrom.String() + " 起"
	case o.ValidFrom == 0:
		return "至 " + o.ValidUntil.String()
	}
	return o.ValidFrom.String() + " 至 " + o.ValidUntil.String()
}
