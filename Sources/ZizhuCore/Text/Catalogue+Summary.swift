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

        Entry("note.column.repeated", zh: "列「{title}」对应的字段已由前面的列读取；它作为额外列保留",
              en: "column '{title}' matches a field already read from an earlier column; it is kept as an extra column"),
        Entry("note.total.differs", zh: "合计行（第 {line} 行）的{title}为 {stated}，但数据行相加为 {computed}",
              en: "the total row (line {line}) says {title} {stated}, but the data rows add up to {computed}"),
        Entry("note.archive.skipped", zh: "{path}：跳过压缩包中的 {entry}：{reason}", en: "{path}: skipped archive entry {entry}: {reason}"),

        // zizhu verify.
        Entry("verify.ok.declaration", zh: "核验通过 {package}：{school} {name}，{term}（{termName}）", en: "OK {package}: {school} {name}, {term} ({termName})"),
        Entry("verify.ok", zh: "核验通过 {package}", en: "OK {package}"),
        Entry("verify.counts",
              zh: "  数量：名册 {roster} 行，申报 {applications} 行；全日制在籍 {fullTime}；未退回的申报：{aid}；国家助学金档次：{tiers}；国家助学金申报金额 {amount}",
              en: "  counts: roster {roster} rows, applications {applications} rows; full-time enrolled {fullTime}; applications not 退回: {aid}; grant tiers: {tiers}; grant amount {amount}"),
        Entry("verify.none", zh: "无", en: "none"),
        Entry("verify.fingerprint", zh: "  数据指纹：{fingerprint}", en: "  fingerprint: {fingerprint}"),
        Entry("verify.signature.none", zh: "  签名：无", en: "  signature: none"),
        Entry("verify.signature.none.untrusted", zh: "  签名：无（未给出 --trust：不要求签名）", en: "  signature: none (no --trust given: signatures not required)"),
        Entry("verify.signature.trusted", zh: "  签名：密钥 {key}，验证通过，是 {school} 的受信任密钥",
              en: "  signature: key {key}, verifies, the trusted key of {school}"),
        Entry("verify.signature.unchecked", zh: "  签名：密钥 {key}，验证通过（未给出 --trust：未与受信任的密钥核对）",
              en: "  signature: key {key}, verifies (no --trust given: the key is not checked against a trusted one)"),
        Entry("verify.signature.fails", zh: "  签名：验证未通过——{reason}", en: "  signature: DOES NOT VERIFY — {reason}"),

        // zizhu sample and zizhu keys new.
        Entry("sample.written", zh: "已为 {students} 名学生写出 {files} 个文件（含 {planted} 个预置问题）到 {folder}",
              en: "wrote {files} files for {students} students ({planted} planted cases) to {folder}"),
        Entry("keys.private", zh: "私钥：{path}（权限 0600；请妥善保密：submit --sign-key 用它签名）",
              en: "private key: {path} (mode 0600; keep it secret: submit --sign-key signs with it)"),
        Entry("keys.public", zh: "公钥：{path}（密钥 ID {key}；省级保存为 <学校代码>.pub）",
              en: "public key:  {path} (key id {key}; the province keeps it as <school_code>.pub)"),

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
