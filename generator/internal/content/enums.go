package content

import (
	"strings"

	"zfgs/generator/internal/diag"
)

// The closed value sets of the content contract.
var (
	agencyLevels  = []string{"省", "市", "县", "镇"}
	officerStatus = []string{"在岗", "暂扣", "注销"}
	itemTypes     = []string{"行政许可", "行政处罚", "行政强制", "行政征收", "行政征用", "行政给付", "行政检查", "行政确认", "行政奖励", "行政裁决", "其他"}
	itemStatus    = []string{"有效", "暂停", "取消"}
	leniencyLists = []string{"不予处罚", "可以不予处罚", "从轻处罚", "减轻处罚", "不予强制", "从重处罚"}
	taskKinds     = []string{"日常", "专项"}
	caseStatus    = []string{"生效", "已撤销", "已变更", "停止公示"}
	partyKinds    = []string{"法人", "个体工商户", "自然人", "其他组织"}
	eccLevels     = []string{"L", "M", "Q", "H"}
	penaltyKinds  = []string{"警告", "通报批评", "罚款", "没收违法所得", "没收非法财物", "暂扣许可证件", "降低资质等级", "吊销许可证件", "限制开展生产经营活动", "责令停产停业", "责令关闭", "限制从业", "行政拘留", "其他", "不予处罚"}
)

// enum reports E_ENUM when v is set and not one of allowed.
func (t table) enum(key, v string, allowed []string) {
	if v == "" || contains(allowed, v) {
		return
	}
	t.f.diags.Add(t.pos(key), diag.EEnum, "%s = %q 不是允许的取值；应为：%s", key, v, strings.Join(allowed, "、"))
}

// validID reports whether s matches [A-Za-z0-9-]{1,40}.
func validID(s string) bool {
	if len(s) == 0 || len(s) > 40 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// validAgencyID reports whether s matches [a-z0-9-]{2,32}.
func validAgencyID(s string) bool {
	if len(s) < 2 || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// validItemCode: printable ASCII except whitespace and '/'.
func validItemCode(s string) bool {
	if s == "" || len(s) > 80 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c > '~' || c == '/' {
			return false
		}
	}
	return true
}

// id reads a required id field and checks its form.
func (t table) id(key string) string {
	s := t.str(key, true)
	if s != "" && !validID(s) {
		t.f.diags.Add(t.pos(key), diag.EID, "%s = %q 不符合编号规则：只能用英文字母、数字和连字符“-”，最长 40 个字符", key, s)
	}
	return s
}

// ValidCaseID reports whether id is a valid case id (the file name without .md).
func ValidCaseID(id string) bool { return validID(id) }
