package main

// Scaffolds of `generator new`: every field of shared/spec/CONTENT.md, each
// line with a Chinese comment. Required fields are left blank so that
// `generator check` names each one until it is filled; optional fields that
// have no blank form (dates, numbers) are commented out. PREFIX, YEAR and
// TODAY are replaced with the agency id in capitals, the year and the date.

const agencyTemplate = `# 执法主体信息（规格「agency.toml」）。标“必填”的项须填写；可选项不需要时可删除整行。
name = ""                              # 必填：执法主体全称，如“江门市卫生健康局”
short_name = ""                        # 可选：简称，如“市卫生健康局”
level = ""                             # 必填：层级，省 | 市 | 县 | 镇
parent = ""                            # 可选：上级执法主体编号（认领上级事项、细化上级基准时填写），如 gd-wjw
region = ""                            # 可选：所在行政区域，如“江门市”
address = ""                           # 可选：办公地址
phone = ""                             # 可选：咨询电话
duties = ""                            # 可选：职责、权限、程序（Markdown；多段文字用三个双引号 """ 括起）

[supervision]                          # 监督与救济渠道
complaint_phone = ""                   # 可选：投诉举报电话，如“12345”
complaint_url = ""                     # 可选：网上投诉网址，以 https:// 开头
reconsideration = ""                   # 可选：行政复议机关，如“江门市人民政府”
court = ""                             # 可选：行政诉讼管辖法院

[[officer]]                            # 执法人员（每人一段 [[officer]]，事前公示；名单可用 generator import --kind officers 导入）
name = ""                              # 必填：姓名（执法人员姓名依法公开，不遮蔽）
cert_no = ""                           # 必填：执法证号，全站唯一
field = ""                             # 可选：执法领域，如“卫生健康”
status = "在岗"                         # 当前状态：在岗 | 暂扣 | 注销
# valid_from = 2025-01-01              # 可选：执法证有效期起（去掉行首 # 启用）
# valid_until = 2030-12-31             # 可选：执法证有效期止（去掉行首 # 启用）
`

const catalogueTemplate = `# 行政执法事项目录（规格「catalogue.toml」）：每个事项一段 [[item]]；大批事项可用 generator import --kind catalogue 从 Excel 导入。
[[item]]                               # 本主体的一个执法事项
code = ""                              # 必填：事项编码，全站唯一（字母、数字和符号，不含空格和“/”），如 4407-PREFIX-CF-0001
name = ""                              # 必填：事项名称，如“对……的处罚”
type = ""                              # 必填：行政许可 行政处罚 行政强制 行政征收 行政征用 行政给付 行政检查 行政确认 行政奖励 行政裁决 其他
basis = ""                             # 必填：设定依据（法律、法规、规章的条款）
level = []                             # 可选：行使层级，如 ["市", "县"]
department = ""                        # 可选：实施机构（内设机构）
status = "有效"                         # 状态：有效 | 暂停 | 取消
# updated = 2026-01-01                 # 可选：最近调整日期（去掉行首 # 启用）

# [[claim]]                            # 认领上级主体已公布的事项（去掉本行和下一行行首的 # 启用）
# code = ""                            # 上级事项的事项编码
`

const benchmarksTemplate = `# 行政裁量权基准（规格「benchmarks.toml」）：每个违法行为一段 [[benchmark]]，其下每个裁量阶次一段 [[benchmark.tier]]（按公布顺序）。
[[benchmark]]                          # 一个违法行为的裁量基准
id = "PREFIX-B001"                     # 必填：基准编号，全站唯一（英文字母、数字和连字符）
item = ""                              # 必填：对应的行政处罚事项编码（本主体目录中的事项或认领的事项）
group = ""                             # 可选：所属章节或法律
violation = ""                         # 可选：违法行为
violation_basis = ""                   # 可选：违法依据（违反的条款）
penalty_basis = ""                     # 可选：处罚依据（罚则条款）
refines = ""                           # 可选：所细化的上级基准编号（各阶次须在上级同名阶次的幅度内）
notes = ""                             # 可选：备注、计算方法（Markdown）

[[benchmark.tier]]                     # 一个裁量阶次（每个阶次一段）
level = "一般"                          # 必填：阶次名称，同一基准内不重复：轻微/一般/较重/严重，或本单位的写法（如“1”“第一阶次”）
conditions = ""                        # 可选：适用条件/裁量情节；多条可写成 ["……", "……"]
penalty = ""                           # 必填：处罚标准，照公布原文，如“处五千元以上一万元以下罚款”
# fine_min = 5000                      # 可选：罚款下限（元）；“……以下”的阶次不填（去掉行首 # 启用）
# fine_max = 10000                     # 可选：罚款上限（元）；定额罚款时与下限相同
# multiple_min = 1                     # 可选：按倍数罚款时的最低倍数（0.01 即百分之一）
# multiple_max = 3                     # 可选：按倍数罚款时的最高倍数
# multiple_of = "违法所得"               # 按倍数罚款时必填：倍数的基数，如 违法所得、货值金额
`

const leniencyTemplate = `# 四张清单（规格「leniency.toml」）：不予处罚、可以不予处罚、从轻处罚、减轻处罚、不予强制；每个条目一段 [[entry]]。
[conditions]                           # 可选：清单级适用条件（条目未写适用条件时适用）
# "不予处罚" = "首次违法且危害后果轻微，并及时改正的，不予行政处罚。"   # 去掉行首 # 启用

[[entry]]                              # 一个清单条目
id = "PREFIX-L001"                     # 必填：条目编号，全站唯一
list = ""                              # 必填：不予处罚 | 可以不予处罚 | 从轻处罚 | 减轻处罚 | 不予强制（另可用 从重处罚）
item = ""                              # 可选：对应的执法事项编码
group = ""                             # 可选：类别
violation = ""                         # 必填：违法行为
violation_basis = ""                   # 可选：违反条款
basis = ""                             # 可选：处罚依据/法律依据
conditions = ""                        # 适用条件/情节：必填，除非 [conditions] 中有本清单的清单级适用条件
handling = ""                          # 可选：处理方式，如“责令改正，批评教育”
observation_days = 0                   # 可选：观察期（天），没有则填 0
`

const planTemplate = `# YEAR 年度行政检查计划（规格「plans/<year>.toml」）：每项检查任务一段 [[task]]；可用 generator import --kind plan 从 Excel 导入。
year = YEAR                            # 计划年度，须与文件名一致
# approved = TODAY                     # 可选：负责人批准日期（去掉行首 # 启用）
published = TODAY                      # 必填：公示日期（请改为实际公示日期）

[[task]]                               # 一项检查任务（每项一段）
id = "PREFIX-PYEAR-01"                 # 必填：任务编号，全站唯一
name = ""                              # 必填：任务名称，如“YEAR年食品经营者双随机抽查”
item = ""                              # 必填：本主体（或认领）的行政检查事项编码：清单之外无检查
kind = ""                              # 可选：日常 | 专项
method = ""                            # 必填：检查方式，如 双随机、重点检查、非现场检查、全覆盖、定向
targets = ""                           # 必填：检查对象，如“全市食品经营者”
population = ""                        # 可选：检查对象基数，如“约27家”
ratio = ""                             # 可选：抽查比例，如“5%”
max_frequency = ""                     # 可选：检查频次上限，如“各检查对象年均1-2次”
enterprise = true                      # 可选：是否涉企，true 或 false
months = []                            # 可选：计划实施月份，如 [3, 4]
# window_from = YEAR-03-01             # 可选：实施期间起（与 window_to 同时填写或同时省略；去掉行首 # 启用）
# window_to = YEAR-03-31               # 可选：实施期间止
onsite = true                          # 是否现场检查（非现场检查填 false）
joint_with = []                        # 可选：联合检查的执法主体编号，如 ["jm-wjj"]
basis = ""                             # 可选：制定任务依据
`

const caseTemplate = `+++
# 行政执法决定（规格「cases/<year>/<case-id>.md」）：文件名即案件编号，全站唯一；两行 +++ 之间是 TOML，其后是公示正文（Markdown）。
number = ""                            # 必填：决定书文号，如“江市监处罚〔YEAR〕12号”
category = "行政处罚"                    # 必填：行政许可 行政处罚 行政强制 行政检查 ……，须与所用事项的类型一致
item = ""                              # 必填：执法事项编码（本主体目录中的事项或认领的事项）
title = ""                             # 可选：案件标题，如“某某公司销售不符合食品安全标准的食品案”
onsite = false                         # 仅行政检查：是否现场检查
triggered = false                      # 仅行政检查：是否触发式检查（投诉举报、转办等），不计入年度频次上限
decided = TODAY                        # 必填：决定日期（请核对）
published = TODAY                      # 必填：公示日期（行政处罚、许可须在决定后 7 个工作日内公示）
status = "生效"                         # 状态：生效 | 已撤销 | 已变更 | 停止公示
status_reason = ""                     # 已撤销、停止公示时必填：原因（显示在公示页上）
superseded_by = ""                     # 已变更时必填：变更后的案件编号
officers = ["", ""]                    # 至少两名执法人员的执法证号

[party]                                # 当事人
kind = "法人"                           # 必填：法人 | 个体工商户 | 自然人 | 其他组织（自然人姓名由系统自动遮蔽）
name = ""                              # 必填：当事人名称或姓名
credit_code = ""                       # 可选：统一社会信用代码（自然人不公开）
minor = false                          # 当事人为未成年人时填 true：案件不公示

[discretion]                           # 裁量基准适用（行政处罚必填，依不予处罚清单不予处罚的除外）
benchmark = ""                         # 适用的裁量基准编号（本主体或上级主体的、本案事项的基准）
tier = ""                              # 适用的裁量阶次，如“一般”
leniency = ""                          # 可选：适用的清单条目编号（如减轻处罚清单的条目）

[decision]                             # 行政执法决定
kinds = []                             # 行政处罚填处罚种类，如 ["罚款", "没收违法所得"]；其他决定可写如 ["扣押财物"]
# fine = 0                             # 罚款金额（元）（去掉行首 # 启用）
# confiscated = 0                      # 没收金额（元）（去掉行首 # 启用）
# base_amount = 0                      # 基数金额（元）：适用按倍数计算的阶次时必填（去掉行首 # 启用）
text = ""                              # 可选：决定内容原文，如“罚款人民币捌仟元整”

[[timeline]]                           # 执法流程的一个环节（按先后顺序，每个环节一段）
step = "立案"                           # 环节：立案 调查取证 告知 听证 法制审核 集体讨论 决定 送达 执行 结案
date = TODAY                           # 该环节的日期
[[timeline]]                           # 下一个环节
step = "决定"                           # 环节名称
date = TODAY                           # 该环节的日期
+++
在此写明违法事实、证据、说理和整改建议等公示正文（Markdown）。自然人的身份证号、手机号、银行卡号不得出现在正文中。
`
