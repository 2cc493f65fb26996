import Testing
import ZizhuCore
import ZizhuJobs
import ZizhuSchema

/// A valid 18-character resident id of someone born on `born` (`yyyymmdd`) with a three-digit
/// sequence (odd = 男), for the cases `residentID(_:)` cannot write (a 19xx birth, so that the
/// 15-digit form upgrades to it).
func submitResidentID(born: String, sequence: Int, region: String = "370102") -> String {
    let digits = String(sequence)
    let body = region + born + String(repeating: "0", count: 3 - digits.count) + digits
    guard let check = ResidentID.checkCharacter(Array(body.utf8)) else { return body + "0" }
    return body + String(UnicodeScalar(check))
}

/// The old 15-digit form of a 19xx id from `submitResidentID` (no century, no check character).
func fifteenDigitForm(_ id: String) -> String {
    let chars = Array(id)
    return String(chars[0..<6]) + String(chars[8..<17])
}

/// A tiny school submission written as the CSV cells a school registrar would hand over,
/// validated the way production does (RecordBatch → TableValidator, a `UniqueTracker` per unique
/// field as `PipelineRunner` builds them) and run through `Submitter`. Validation's findings
/// (S01, S09) are adopted the way `SubmitJob` adopts them: term and school code filled in when
/// empty, merged with the submitter's and sorted in contract order.
///
/// Source indexes: `roster.csv` is 0, `applications.csv` is 1.
struct SubmitCase {
    static let rosterHeader = ["学籍号", "姓名", "证件类型", "身份证号码", "性别", "出生日期", "学校代码", "学校名称", "教学点所在地",
                               "注册日期", "学习形式", "年级", "学籍状态", "异动日期", "异动处理日期", "困难类型"]
    static let applicationsHeader = ["学期", "学籍号", "姓名", "身份证号", "学校代码", "资助类型", "资助档次", "金额", "申报日期", "审批状态",
                                     "证件类型"]
    static let names = ["王小明", "李华", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄丽", "周杰", "吴敏", "徐静", "孙悦"]
    static let school = "3701001"

    /// 2023-fall, school 3701001 in 济南市 (370100).
    /// The detail column's language (nil: English, which these tests match on).
    var language: Language?
    var settings = SubmitSettings(term: Term(year: 2023, season: .fall), schoolCode: SubmitCase.school, schoolCity: 370100)
    var roster: [[String]] = []
    var applications: [[String]] = []
    /// Rows per batch when validating (nil: one batch per file).
    var batchSize: Int?
    /// Feed the batches to the submitter in reverse order (applications first, last batch first).
    var reverseBatches = false

    var sourceNames: [String] { ["roster.csv", "applications.csv"] }

    static func name(_ n: Int) -> String { names[n % names.count] }

    /// A roster row (学籍号 `S<n>`, id `residentID(n)` unless given): by default a full-time,
    /// enrolled grade-1 student registered in time, campus and hardship empty.
    mutating func enrol(_ n: Int, name: String? = nil, id: String? = nil, idType: String = "", gender: String = "",
                        birth: String = "", school: String = SubmitCase.school, schoolName: String = "",
                        campus: String = "", registered: String = "2023-09-05", mode: String = "全日制",
                        grade: String = "1", status: String = "在籍", changed: String = "", recorded: String = "",
                        hardship: String = "") {
        roster.append(["S\(n)", name ?? Self.name(n), idType, id ?? residentID(n), gender, birth, school, schoolName, campus,
                       registered, mode, grade, status, changed, recorded, hardship])
    }

    /// An applications row: by default an approved 2023-fall 一档 grant of 1250.00 applied on 10-10
    /// (证件类型 empty: 居民身份证).
    mutating func apply(_ n: Int, name: String? = nil, id: String? = nil, idType: String = "", term: String = "2023年秋季学期",
                        aid: String = "国家助学金", tier: String = "一档", amount: String = "1250.00",
                        applied: String = "2023-10-10", status: String = "已审批", school: String = SubmitCase.school) {
        applications.append([term, "S\(n)", name ?? Self.name(n), id ?? residentID(n), school, aid, tier, amount, applied, status,
                             idType])
    }

    /// A tuition-waiver row (no tier; the amount is the school's fee, not a grant tier).
    mutating func waive(_ n: Int, amount: String = "2000.00", term: String = "2023年秋季学期", status: String = "已审批") {
        apply(n, term: term, aid: "免学费", tier: "", amount: amount, status: status)
    }

    /// One validated input: its batches, validator and validation's own findings.
    struct Validated {
        var batches: [ValidatedBatch]
        var validator: RowValidator
        var findings: [Discrepancy]
    }

    /// Validates `rows` under `header` as one file; every data row must be accepted.
    func validate(_ schemaName: String, header: [String], rows: [[String]], source: Int) throws -> Validated {
        let schema = try TableSchema.named(schemaName)
        // As PipelineRunner: one tracker per unique field (roster id_number → S01).
        let trackers = schema.fields.enumerated().compactMap { i, field in
            field.constraints?.unique == true ? UniqueTracker(field: i, finding: field.uniqueFinding ?? "DUPLICATE") : nil
        }
        let (out, validator) = try validateFixtureFile(schemaName, header: header, rows: rows, source: source,
                                                       sourceNames: sourceNames, batchSize: batchSize)
        var findings = out.flatMap(\.findings)
        for batch in out { for tracker in trackers { tracker.add(batch, validator: validator) } }
        for tracker in trackers {
            findings += tracker.findings(sourceNames: sourceNames, fieldTitle: schema.fields[tracker.field].displayTitle)
        }
        return Validated(batches: out, validator: validator, findings: findings)
    }

    func run() throws -> SubmitOutcome {
        // The tests match on the English detail text; Chinese is the default (CatalogueTests, LanguageCommandTests).
        var settings = settings
        settings.language = language ?? .en
        let submitter = Submitter(settings: settings)
        let r = try validate("roster", header: Self.rosterHeader, rows: roster, source: 0)
        let a = try validate("applications", header: Self.applicationsHeader, rows: applications, source: 1)
        var feeds: [() -> Void] = []
        feeds += r.batches.map { b in { submitter.addRoster(b, validator: r.validator) } }
        feeds += a.batches.map { b in { submitter.addApplications(b, validator: a.validator) } }
        for feed in reverseBatches ? feeds.reversed() : feeds { feed() }
        let result = try submitter.finish(sourceNames: sourceNames)
        // As the submit stage: validation's findings on the submit inputs are submit's.
        let adopted = submitter.adopt(validationFindings: r.findings + a.findings, sourceNames: sourceNames)
        return SubmitOutcome(result: result, findings: (result.findings + adopted).sorted(by: Discrepancy.contractOrder))
    }
}

/// What a `SubmitCase` produced.
struct SubmitOutcome {
    var result: SubmitResult
    /// The submitter's findings plus validation's (S01, S09), in contract order, as the submit report lists them.
    var findings: [Discrepancy]

    func codes(_ code: String) -> [Discrepancy] { findings.filter { $0.code == code } }
    var codeList: [String] { findings.map(\.code) }
    /// `code S<n>` per finding, in contract order: one assertion pins codes, students and counts.
    var summary: [String] { findings.map { "\($0.code) \($0.studentNo)" } }

    /// The package CSVs as lines (header first), without the final newline.
    var rosterLines: [String] { Self.lines(result.rosterCSV) }
    var applicationLines: [String] { Self.lines(result.applicationsCSV) }

    static func lines(_ bytes: [UInt8]) -> [String] {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// The cells of a package CSV line holding no quoted cell.
    static func cells(_ line: String) -> [String] { line.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
}
