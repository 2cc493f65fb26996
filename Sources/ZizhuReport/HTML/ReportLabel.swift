import Foundation
import ZizhuCore

/// The words of `report.html` (headings, column titles, fact labels, the jobs' facts): Chinese
/// first, English when the run's language is `.en`. Codes (R01, S12, M05, rule codes) and file
/// names are never translated. `{0}`, `{1}` … are filled by `text(_:_:)`.
///
/// Every label has both languages: `ReportLabelTests` fails when one is missing or empty.
public enum ReportLabel: String, CaseIterable, Sendable {
    // The page's own sections.
    case inputFiles, file, encoding, read, accepted, rejected, blank
    case findings, noFindings, chartLabel, code, name, severity, count, meaning
    case school, studentNo, personName, idNumber, expected, actual, detail, sources, moreFindings
    case severityError, severityWarning
    case rejectedRows, noRejects, rejectsIntro, line, column, value, rule, message, hint, moreRejects
    case titleLineSkipped, trailerLineSkipped
    // Facts every run shows.
    case validationTitle, subtitle
    case factFiles, factFilesValue, factRowsRead, factAccepted, factRejected, factBlank, factFindings, factFindingsValue
    case factRowWarnings, factRowWarningsValue, factMoneyTotal
    // Submit.
    case submitTitle, factSchool, factTerm, factRosterRows, factApplicationRows, factPackage, factPackageNotWritten
    case factFingerprint, factFullTimeEnrolled, factGrantAmount, yuan
    // Reconcile.
    case reconcileTitle, factApprovedStudents, factPaidRows, factFailedReversal, factUnmatchedPaid, factMatchedBy, factUnattributed
    // Merge.
    case mergeTitle, factPackages, factPackagesValue, factSignatures, signaturesNotRequired, signaturesRequired
    case factExpectedList, expectedListValue, expectedListNone, factStudents, factApplications, none
    case factMergedFiles, factMergedFilesValue
    case cityUnknown, city, schoolCode, schoolName, status, students, fullTimeEnrolled, grantApplications, waiverApplications
    case grantAmount, packageOutcome, cityTotal, schoolsCount
    case packagesTitle, packagesNote, package, term, generatedAt, mergedInstead, fingerprintPrefix, signedByKey
    case statusMerged, statusQuarantined, statusMissing, statusOtherTermOnly, statusSuperseded, statusIdenticalResend, statusOtherTerm

    /// Both languages of every label.
    static let table: [ReportLabel: (zh: String, en: String)] = [
        .inputFiles: ("输入文件", "Input files"),
        .file: ("文件", "File"),
        .encoding: ("编码", "Encoding"),
        .read: ("读入", "Read"),
        .accepted: ("接受", "Accepted"),
        .rejected: ("拒绝", "Rejected"),
        .blank: ("空行", "Blank"),
        .findings: ("发现问题", "Findings"),
        .noFindings: ("未发现问题。", "No findings."),
        .chartLabel: ("各代码的问题数", "findings per code"),
        .code: ("代码", "Code"),
        .name: ("名称", "Name"),
        .severity: ("级别", "Severity"),
        .count: ("数量", "Count"),
        .meaning: ("含义", "Meaning"),
        .school: ("学校", "School"),
        .studentNo: ("学籍号", "Student no."),
        .personName: ("姓名", "Name"),
        .idNumber: ("身份证号", "Id number"),
        .expected: ("应为", "Expected"),
        .actual: ("实为", "Actual"),
        .detail: ("说明", "Detail"),
        .sources: ("来源", "Sources"),
        .moreFindings: ("…… 另有 {0} 条，见 discrepancies.csv", "… and {0} more in discrepancies.csv"),
        .severityError: ("错误", "error"),
        .severityWarning: ("警告", "warning"),
        .rejectedRows: ("拒绝的行", "Rejected rows"),
        .noRejects: ("没有被拒绝的行。", "No rejected rows."),
        .rejectsIntro: ("共 {0} 条拒绝原因；每条写明文件、物理行号和列。",
                        "{0} reasons in all; each row names the file, the physical line and the column."),
        .line: ("行号", "Line"),
        .column: ("列", "Column"),
        .value: ("值", "Value"),
        .rule: ("规则", "Rule"),
        .message: ("问题", "Problem"),
        .hint: ("处理建议", "What to do"),
        .moreRejects: ("…… 另有 {0} 条，见 rejects.csv", "… and {0} more in rejects.csv"),
        .titleLineSkipped: ("第 {0} 行是标题行，已跳过：{1}", "title line {0} skipped: {1}"),
        .trailerLineSkipped: ("第 {0} 行是表尾，已跳过：{1}", "trailer line {0} skipped: {1}"),
        .validationTitle: ("数据校验报告", "Validation report"),
        .subtitle: ("zizhu {0} · 流程 {1} · 表结构 {2}", "zizhu {0} · pipeline {1} · schema {2}"),
        .factFiles: ("文件", "Files"),
        .factFilesValue: ("{0}（{1} 个申报包或归档 + {2} 个名单文件）", "{0} ({1} packages or archives + {2} list files)"),
        .factRowsRead: ("读入行", "Rows read"),
        .factAccepted: ("接受", "Accepted"),
        .factRejected: ("拒绝", "Rejected"),
        .factBlank: ("空行（不是数据）", "Blank rows (not data)"),
        .factFindings: ("发现问题", "Findings"),
        .factFindingsValue: ("{0}（其中错误 {1}）", "{0} ({1} errors)"),
        .factRowWarnings: ("行警告", "Row warnings"),
        .factRowWarningsValue: ("{0}（见 warnings.csv）", "{0} (warnings.csv)"),
        .factMoneyTotal: ("金额合计 {0}（接受的行）", "Money total {0} (accepted rows)"),
        .submitTitle: ("学校资助申报检查报告", "School submission report"),
        .factSchool: ("学校", "School"),
        .factTerm: ("学期", "Term"),
        .factRosterRows: ("名册行（入包）", "Roster rows (package)"),
        .factApplicationRows: ("申报行（入包）", "Application rows (package)"),
        .factPackage: ("申报包", "Package"),
        .factPackageNotWritten: ("未生成：{0}", "not written: {0}"),
        .factFingerprint: ("数据指纹（SHA-256）", "Fingerprint (SHA-256)"),
        .factFullTimeEnrolled: ("全日制在籍", "Full-time enrolled"),
        .factGrantAmount: ("国家助学金申报金额", "Grant amount"),
        .yuan: ("{0} 元", "{0} yuan"),
        .reconcileTitle: ("资助发放核对报告", "Reconciliation report"),
        .factApprovedStudents: ("批准学生", "Approved students"),
        .factPaidRows: ("成功发放", "Paid rows"),
        .factFailedReversal: ("失败 / 冲正", "Failed / reversal rows"),
        .factUnmatchedPaid: ("未匹配的发放", "Unmatched paid rows"),
        .factMatchedBy: ("匹配方式：身份证 / 账号 / 掩码", "Matched by id / account / masked"),
        .factUnattributed: ("未归属学校的发放", "Paid, no school"),
        .mergeTitle: ("资助数据汇总报告", "Merge report"),
        .factPackages: ("申报包", "Packages"),
        .factPackagesValue: ("找到 {0} 个：合并 {1}，隔离 {2}，被替代 {3}，重复报送 {4}，其他学期 {5}",
                             "{0} found: {1} merged, {2} quarantined, {3} superseded, {4} identical resends, {5} other term"),
        .factSignatures: ("签名核验", "Signatures"),
        .signaturesNotRequired: ("不要求（未给 --trust）", "not required (no --trust)"),
        .signaturesRequired: ("要求：每个申报包须由本校受信任的密钥签名", "required: every package signed with its school's trusted key"),
        .factExpectedList: ("应报学校名单", "Expected list"),
        .expectedListValue: ("{0} 所学校", "{0} schools"),
        .expectedListNone: ("未给出（不检查 M03）", "none given (no M03 check)"),
        .factStudents: ("学生（合并名册行）", "Students (merged roster rows)"),
        .factApplications: ("申报（不含退回）", "Applications not 退回"),
        .none: ("无", "none"),
        .factMergedFiles: ("合并文件", "Merged files"),
        .factMergedFilesValue: ("merged/roster.csv.gz（{0} 行），merged/applications.csv.gz（{1} 行）",
                                "merged/roster.csv.gz ({0} rows), merged/applications.csv.gz ({1} rows)"),
        .cityUnknown: ("城市未知", "City unknown"),
        .city: ("城市", "City"),
        .schoolCode: ("学校代码", "School"),
        .schoolName: ("学校名称", "Name"),
        .status: ("状态", "Status"),
        .students: ("学生", "Students"),
        .fullTimeEnrolled: ("全日制在籍", "Full-time"),
        .grantApplications: ("国家助学金", "Grant apps"),
        .waiverApplications: ("免学费", "Waiver apps"),
        .grantAmount: ("助学金金额（元）", "Grant amount (yuan)"),
        .packageOutcome: ("合并/隔离/被替代", "Merged/quar./superseded"),
        .cityTotal: ("合计", "Total"),
        .schoolsCount: ("{0} 所学校", "{0} schools"),
        .packagesTitle: ("申报包", "Packages"),
        .packagesNote: ("找到的每个申报包；被隔离的包写明每条原因，其中任何数据都未合并。",
                        "Every package found; a quarantined package is named with each reason, and nothing of it was merged."),
        .package: ("申报包", "Package"),
        .term: ("学期", "Term"),
        .generatedAt: ("生成时间", "generated_at"),
        .mergedInstead: ("改为合并：{0}", "merged instead: {0}"),
        .fingerprintPrefix: ("指纹 {0}…", "fingerprint {0}…"),
        .signedByKey: ("，签名密钥 {0}", ", signed by key {0}"),
        .statusMerged: ("已合并", "merged"),
        .statusQuarantined: ("已隔离", "quarantined"),
        .statusMissing: ("未报送", "missing"),
        .statusOtherTermOnly: ("仅其他学期", "other term only"),
        .statusSuperseded: ("被替代", "superseded"),
        .statusIdenticalResend: ("重复报送", "identical resend"),
        .statusOtherTerm: ("其他学期", "other term"),
    ]

    /// The label in `language`, with `{0}`, `{1}` … replaced by `arguments`.
    public func text(_ language: Language, _ arguments: CustomStringConvertible...) -> String {
        text(language, arguments: arguments)
    }

    /// The label in `language`, with `{0}`, `{1}` … replaced by `arguments`.
    public func text(_ language: Language, arguments: [CustomStringConvertible]) -> String {
        let entry = Self.table[self] ?? (rawValue, rawValue)
        var text = language == .en ? entry.en : entry.zh
        for (i, argument) in arguments.enumerated() {
            text = text.replacingOccurrences(of: "{\(i)}", with: argument.description)
        }
        return text
    }

    /// The English and Chinese text, or nil when the table lacks the label (a test checks none does).
    static func entry(_ label: ReportLabel) -> (zh: String, en: String)? { table[label] }
}
