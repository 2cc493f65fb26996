extension Catalogue {
    /// The run summary printed on stdout (and kept in summary.json's notes).
    static let summary: [Entry] = [
        Entry("summary.file", zh: "{file}：读入 {read} 行，接受 {accepted} 行，拒绝 {rejected} 行",
              en: "{file}: {read} rows read, {accepted} accepted, {rejected} rejected"),
        Entry("summary.file.blank", zh: "，空行 {count} 行", en: ", {count} blank"),
        Entry("summary.file.titles", zh: "；跳过标题行 {count} 行", en: "; {count} title line(s) skipped"),
        Entry("summary.file.trailers", zh: "；跳过表尾行 {count} 行", en: "; {count} trailer line(s) skipped"),
        Entry("summary.file.warning", zh: "  警告：{text}", en: "  warning: {text}"),
        Entry("summary.topRejectRules", zh: "拒绝最多的规则：{rules}", en: "top reject rules: {rules}"),
        Entry("summary.findings", zh: "发现问题：{codes}", en: "findings: {codes}"),
        Entry("summary.rows", zh: "读入 {read} 行 = 接受 {accepted} 行 + 拒绝 {rejected} 行",
              en: "{read} read = {accepted} accepted + {rejected} rejected"),
        Entry("summary.total", zh: "合计：{text}", en: "total: {text}"),
        Entry("summary.total.withRows", zh: "合计：{text}；{label}：{rows}", en: "total: {text}; {label}: {rows}"),
        Entry("summary.list", zh: "、", en: ", "),
        Entry("summary.semicolon", zh: "；", en: "; "),

        Entry("summary.reconcile.term", zh: "学期：{term}", en: "term: {term}"),
        Entry("summary.reconcile.amounts",
              zh: "审批：{students} 名学生，{approved} 元；发放：{rows} 行，{paid} 元；未匹配的发放：{unmatched} 行",
              en: "approved: {students} students, {approved} yuan; paid: {rows} rows, {paid} yuan; unmatched paid: {unmatched}"),
        Entry("summary.reconcile.written", zh: "已写出 ledger.csv（发放台账）和 settlement.json",
              en: "ledger.csv (发放台账) and settlement.json written"),

        Entry("summary.submit.noPackage", zh: "未生成申报包：{reasons}——请更正数据后重新运行",
              en: "no package written: {reasons} — correct the data and run again"),
        Entry("summary.submit.and", zh: "，且", en: " and "),
        Entry("summary.submit.written", zh: "已写出申报包 {package} 和 declaration.html；数据指纹 {fingerprint}",
              en: "package {package} and declaration.html written; fingerprint {fingerprint}"),
        Entry("summary.submit.signed", zh: "已用密钥 {key} 签名", en: "signed with key {key}"),
        Entry("summary.submit.unknownColumns", zh: "不在表结构中的列不会进入申报包：{titles}",
              en: "columns not in the schemas are not in the package: {titles}"),

        Entry("summary.merge.packages",
              zh: "申报包：找到 {found} 个，合并 {merged} 个，隔离 {quarantined} 个，被取代 {superseded} 个，重复发送 {resends} 个，其他学期 {otherTerm} 个",
              en: "packages: {found} found, {merged} merged, {quarantined} quarantined, {superseded} superseded, {resends} identical resends, {otherTerm} other term"),
        Entry("summary.merge.merged",
              zh: "合并：merged/ 中名册 {rosterRows} 行、申报 {applicationRows} 行；学生 {students} 名，全日制在籍 {fullTime} 名，国家助学金申报金额 {amount} 元",
              en: "merged: {rosterRows} roster rows, {applicationRows} application rows in merged/; {students} students, {fullTime} full-time enrolled, grant amount {amount} yuan"),
        Entry("summary.merge.quarantined", zh: "已隔离 {package}：{problems}", en: "quarantined {package}: {problems}"),
        Entry("summary.merge.read",
              zh: "读入申报包 {packages} 个，合并 {merged} 个；合并 {rows} 行 = 名册 {rosterRows} 行 + 申报 {applicationRows} 行",
              en: "{packages} packages read, {merged} merged; {rows} rows merged = {rosterRows} roster + {applicationRows} application rows"),
        Entry("summary.merge.expectedList", zh: "应报学校名单", en: "expected list"),
    ]
}

extension Catalogue {
    /// Warnings of a reconcile run.
    static let reconcileWarnings: [Entry] = [
        Entry("reconcile.termCount", zh: "{term} {rows} 行", en: "{term} {rows} rows"),
        Entry("reconcile.termCount.one", zh: "{term} {rows} 行", en: "{term} {rows} row"),
        Entry("reconcile.termCount.none", zh: "未写学期 {rows} 行", en: "no term written {rows} rows"),
        Entry("reconcile.termCount.none.one", zh: "未写学期 {rows} 行", en: "no term written {rows} row"),
        Entry("reconcile.termMatchesNone",
              zh: "学期 {term} 与审批名单中的任何行都不匹配：没有该学期的已审批国家助学金行；审批名单中已审批的国家助学金行属于 {seen}（请检查 --term）",
              en: "the term {term} matches none of the approved rows: no approved 国家助学金 row is of that term; the approved list's approved 国家助学金 rows are of {seen} (check --term)"),
        Entry("reconcile.termMatchesNone.noGrant",
              zh: "学期 {term} 与审批名单中的任何行都不匹配：没有该学期的已审批国家助学金行；审批名单有 {rows} 行，没有一行是已审批的国家助学金（请检查 --term）",
              en: "the term {term} matches none of the approved rows: no approved 国家助学金 row is of that term; the approved list has {rows} rows, none an approved 国家助学金 (check --term)"),
        Entry("reconcile.ledgerEmpty", zh: "银行发放明细没有数据行：没有任何发放，或该文件不是发放文件",
              en: "the bank ledger has no data rows: nothing was paid, or the file is not the payout file"),
    ]
}
