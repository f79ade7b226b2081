package diag

// Code is a stable rule code (E_*). Agencies search for these; never rename.
type Code string

// The rule codes of the content contract (shared/spec/CONTENT.md).
const (
	EParse         Code = "E_PARSE"
	EEncoding      Code = "E_ENCODING"
	ERequired      Code = "E_REQUIRED"
	EEnum          Code = "E_ENUM"
	EDupID         Code = "E_DUP_ID"
	ERef           Code = "E_REF"
	ETypeMismatch  Code = "E_TYPE_MISMATCH"
	ECancelledItem Code = "E_CANCELLED_ITEM"
	EFineRange     Code = "E_FINE_RANGE"
	ERefineRange   Code = "E_REFINE_RANGE"
	ELeniency      Code = "E_LENIENCY"
	ELate          Code = "E_LATE"
	ECalendar      Code = "E_CALENDAR"
	EID            Code = "E_ID"
	EUnknownKey    Code = "E_UNKNOWN_KEY"
	EStatsMissing  Code = "E_STATS_MISSING"
	EStatsLate     Code = "E_STATS_LATE"
	EStatsTotal    Code = "E_STATS_TOTAL"
	EQuietDays     Code = "E_QUIET_DAYS"
	EOfficer       Code = "E_OFFICER"
	EOnsiteFreq    Code = "E_ONSITE_FREQ"
	EPII           Code = "E_PII"
	EURLGone       Code = "E_URL_GONE"
	EType          Code = "E_TYPE"
	EStatsDue      Code = "E_STATS_DUE"
	ELimit         Code = "E_LIMIT"
)

// Info documents a code: what it means and how an agency clerk fixes it.
type Info struct {
	Severity Severity
	Title    string
	Fix      string
}

// Catalogue documents every code. It is printed by `generator codes` and kept
// in the README, so that a clerk who sees a code can look it up.
var catalogue = map[Code]Info{
	EParse:         {Error, "TOML 或 front matter 格式错误", "按提示位置检查引号、方括号、等号是否成对，字符串须用英文双引号括起"},
	EEncoding:      {Error, "文件不是 UTF-8 编码", "用 WPS/记事本“另存为”UTF-8 编码后重新提交"},
	ERequired:      {Error, "缺少必填字段或字段为空", "按规范补齐该字段"},
	EEnum:          {Error, "取值不在允许范围内", "改为提示中列出的取值之一"},
	EDupID:         {Error, "编号重复", "两处编号须唯一：修改其中一处"},
	ERef:           {Error, "引用的对象不存在", "检查编号拼写，或先在相应清单中添加该对象"},
	ETypeMismatch:  {Error, "类别不一致", "使案件类别与事项类型一致，或改用正确的事项/基准"},
	ECancelledItem: {Error, "使用了已取消的事项", "改用现行有效的事项"},
	EFineRange:     {Error, "罚款超出所适用裁量阶次的幅度", "核对罚款金额与适用的阶次；如适用减轻处罚，填写 discretion.leniency"},
	ERefineRange:   {Error, "细化基准超出上级基准同一阶次的幅度", "将本级阶次幅度调整到上级阶次之内"},
	ELeniency:      {Error, "适用清单与处理结果矛盾", "不予处罚的案件不得同时处罚；不予强制的案件不得采取强制措施"},
	ELate:          {Warning, "公示超过法定期限", "今后在期限内公示；本案仍会公示并标注逾期"},
	ECalendar:      {Warning, "工作日历未覆盖该年份", "在 content/calendar.toml 补充该年的放假和调休安排"},
	EID:            {Error, "编号或文件名不符合规则", "编号只用字母、数字和连字符；年份须与文件名一致"},
	EUnknownKey:    {Warning, "未知字段（可能拼写错误）", "改为提示的字段名，或删除该字段"},
	EStatsMissing:  {Warning, "未公开上年度行政执法统计数据", "添加 stats/<年份>.toml"},
	EStatsLate:     {Warning, "统计数据晚于截止日公开", "今后按期公开"},
	EStatsTotal:    {Warning, "统计表合计与分项之和不符", "核对合计列与各分项"},
	EQuietDays:     {Warning, "现场检查时段落在企业宁静日内", "调整检查时段"},
	EOfficer:       {Error, "执法人员不符合持证上岗要求", "每案至少两名本机关持有效执法证的人员"},
	EOnsiteFreq:    {Warning, "同一企业年度现场检查次数超过上限", "合并检查或改为非现场检查"},
	EPII:           {Error, "公示文本含个人敏感信息", "在源文件中遮蔽身份证号、手机号、银行卡号"},
	EURLGone:       {Error, "已公示的案件网址将失效", "不要删除或改名已公示的案件：改为设置 status（已撤销/停止公示/已变更）"},
	ELimit:         {Error, "文件过大或 Markdown 嵌套过深", "单个内容文件不超过 64 MB；Markdown 的引用、列表嵌套不超过 100 层"},
	EStatsDue:      {Reminder, "上年度统计数据即将到期", "在截止日前添加 stats/<年份>.toml"},
}

// DefaultSeverity is the severity of c without --strict.
func (c Code) DefaultSeverity() Severity {
	if i, ok := catalogue[c]; ok {
		return i.Severity
	}
	return Error
}

// Describe returns the documentation of c.
func (c Code) Describe() (Info, bool) {
	i, ok := catalogue[c]
	return i, ok
}

// Codes lists every documented code in a stable order.
func Codes() []Code {
	return []Code{EParse, EEncoding, ERequired, EEnum, EDupID, ERef, ETypeMismatch, ECancelledItem,
		EFineRange, ERefineRange, ELeniency, ELate, ECalendar, EID, EUnknownKey, EStatsMissing,
		EStatsLate, EStatsTotal, EQuietDays, EOfficer, EOnsiteFreq, EPII, EURLGone, ELimit, EStatsDue}
}
