package rules

import (
	"fmt"

	"zfgs/generator/internal/model"
)

// PublicationEnds returns the day a penalty decision stops being published
// under the config's publish_months* rules (市场监督管理行政处罚信息公示规定
// 第十三条: 仅通报批评或较低数额罚款 3 个月, 其他 3 年), counted from the
// publication date; 0 when it never ends. "Below" the minor_fine_* amount
// excludes the amount itself, as the spec says; provinces that count "及以下"
// set the threshold one yuan higher.
func PublicationEnds(cfg *model.Config, c *model.Case) model.Date {
	r := &cfg.Rules
	if c.Category != model.CategoryPenalty || c.Published == 0 {
		return 0
	}
	if r.PublishMonthsMinor > 0 && isMinorPenalty(r, c) {
		return c.Published.AddMonths(r.PublishMonthsMinor)
	}
	if r.PublishMonths > 0 {
		return c.Published.AddMonths(r.PublishMonths)
	}
	return 0
}

// isMinorPenalty: the decision is only 通报批评 and/or a fine below the
// party's minor_fine_* threshold (警告 may accompany either), and nothing
// was confiscated. 警告 alone is not "minor" in this sense: it falls under
// publish_months like every other penalty.
func isMinorPenalty(r *model.RulesConfig, c *model.Case) bool {
	limit := r.MinorFineOrg
	if c.Party.Kind == model.PartyNatural {
		limit = r.MinorFinePerson
	}
	minor := false
	for _, k := range c.Decision.Kinds {
		switch k {
		case "警告":
		case "通报批评":
			minor = true
		case "罚款":
			if limit <= 0 || c.Decision.Fine == nil || *c.Decision.Fine >= limit {
				return false
			}
			minor = true
		default:
			return false
		}
	}
	return minor && (c.Decision.Confiscated == nil || *c.Decision.Confiscated == 0)
}

// ApplyExpiry turns a case whose publication period has ended by now into a
// 停止公示 tombstone, without anyone editing its file: the URL keeps
// resolving, the facts leave the portal.
func ApplyExpiry(cfg *model.Config, c *model.Case, now model.Date) {
	if c.Status != model.StatusActive && c.Status != model.StatusChanged {
		return
	}
	end := PublicationEnds(cfg, c)
	if end != 0 && now >= end {
		c.Status = model.StatusWithdrawn
		c.StatusReason = fmt.Sprintf("本决定自 %s 起公示，公示期限已满，依规定于 %s 停止公示。", c.Published.Chinese(), end.Chinese())
	}
}
