import Testing
import ZizhuCore
import ZizhuJobs
import ZizhuSchema

/// A valid 18-character resident id, different for each `n` below 12,000 (born in 2007, month
/// 1 + n / 1000, sequence n % 1000).
func residentID(_ n: Int) -> String {
    let month = 1 + n / 1000 % 12
    let sequence = String(n % 1000)
    let body = "1101052007" + (month < 10 ? "0\(month)" : "\(month)") + "01"
        + String(repeating: "0", count: 3 - sequence.count) + sequence
    guard let check = ResidentID.checkCharacter(Array(body.utf8)) else { return body + "0" }
    return body + String(UnicodeScalar(check))
}

/// A 19-digit card number, different for each `n` (BIN 621285).
func card(_ n: Int) -> String {
    let tail = String(n)
    return "621285" + String(repeating: "0", count: 13 - tail.count) + tail
}

/// Masks a card the way some banks print it: first six, stars, last four.
func masked(_ account: String) -> String {
    String(account.prefix(6)) + String(repeating: "*", count: account.count - 10) + String(account.suffix(4))
}

/// A tiny reconcile case written as the CSV cells a finance office would hand over, validated
/// the way production does (RecordBatch → TableValidator) and run through `Reconciler`.
///
/// Inputs get source indexes in the order files are added: `sourceNames` are `approved.csv`,
/// then the ledger files (`ledger1.csv`, …), then `roster.csv`, `allocations.csv`.
struct ReconcileCase {
    static let approvedHeader = ["学期", "学籍号", "姓名", "身份证号", "学校代码", "资助类型", "资助档次", "金额", "审批状态", "资助卡号",
                                 "证件类型"]
    static let ledgerHeader = ["流水号", "交易日期", "账号", "户名", "证件号码", "金额", "交易状态", "失败原因", "卡类型"]
    /// A bank that prints no id column.
    static let ledgerHeaderWithoutID = ["流水号", "交易日期", "账号", "户名", "金额", "交易状态", "失败原因", "卡类型"]
    static let rosterHeader = ["学籍号", "姓名", "身份证号码", "学校代码", "学习形式", "学籍状态", "异动日期", "证件类型"]
    static let allocationsHeader = ["学期", "学校代码", "拨付金额"]

    /// The detail column's language (nil: English, which these tests match on).
    var language: Language?
    var settings = ReconcileSettings(term: Term(year: 2023, season: .fall))
    var approved: [[String]] = []
    /// Each file: header and rows.
    var ledgers: [(header: [String], rows: [[String]])] = []
    var roster: [[String]]?
    var allocations: [[String]]?
    /// Rows per batch when validating (nil: one batch per file).
    var batchSize: Int?
    /// Feed the batches to the reconciler in reverse order (determinism checks).
    var reverseBatches = false

    /// An approved-list row (`S<n>`, school `3701001` unless given; id `residentID(n)` of 证件类型
    /// empty, i.e. 居民身份证, unless given).
    mutating func approve(_ n: Int, name: String, tier: String = "一档", amount: String = "1250.00",
                          aid: String = "国家助学金", status: String = "已审批", term: String = "2023年秋季学期",
                          school: String = "3701001", card cardNumber: String? = nil, id: String? = nil, idType: String = "") {
        approved.append([term, "S\(n)", name, id ?? residentID(n), school, aid, tier, amount, status, cardNumber ?? card(n),
                         idType])
    }

    /// A bank row with an id column (in ledger file `file`, created on demand).
    mutating func pay(_ n: Int?, name: String, amount: String = "1250.00", date: String = "2023-10-15",
                      status: String = "成功", reason: String = "", channel: String = "中职资助卡",
                      account: String? = nil, file: Int = 0) {
        while ledgers.count <= file { ledgers.append((Self.ledgerHeader, [])) }
        let serial = "T\(ledgers[file].rows.count + 1)"
        ledgers[file].rows.append([serial, date, account ?? n.map(card) ?? "", name, n.map(residentID) ?? "", amount,
                                   status, reason, channel])
    }

    /// A bank row in a file without an id column (matched by account).
    mutating func payWithoutID(account: String, name: String, amount: String = "1250.00", date: String = "2023-10-15",
                               status: String = "成功", channel: String = "中职资助卡", file: Int = 0) {
        while ledgers.count <= file { ledgers.append((Self.ledgerHeaderWithoutID, [])) }
        let serial = "T\(ledgers[file].rows.count + 1)"
        ledgers[file].rows.append([serial, date, account, name, amount, status, "", channel])
    }

    /// A roster row (学籍号 `S<n>`).
    mutating func enrol(_ n: Int, name: String, mode: String = "全日制", status: String = "在籍", changed: String = "",
                        school: String = "3701001", id: String? = nil, idType: String = "") {
        roster = (roster ?? []) + [["S\(n)", name, id ?? residentID(n), school, mode, status, changed, idType]]
    }

    mutating func allocate(_ school: String, _ amount: String, term: String = "2023-fall") {
        allocations = (allocations ?? []) + [[term, school, amount]]
    }

    var sourceNames: [String] {
        ["approved.csv"] + ledgers.indices.map { "ledger\($0 + 1).csv" } + ["roster.csv", "allocations.csv"]
    }

    /// Validates `rows` under `header` as one file; every data row must be accepted.
    func validate(_ schemaName: String, header: [String], rows: [[String]], source: Int)
        throws -> (batches: [ValidatedBatch], validator: RowValidator) {
        try validateFixtureFile(schemaName, header: header, rows: rows, source: source, sourceNames: sourceNames, batchSize: batchSize)
    }

    func run() throws -> ReconcileResult {
        // The tests match on the English detail text; Chinese is the default (CatalogueTests, LanguageCommandTests).
        var settings = settings
        settings.language = language ?? .en
        let reconciler = Reconciler(settings: settings)
        var feeds: [() -> Void] = []
        let a = try validate("applications", header: Self.approvedHeader, rows: approved, source: 0)
        feeds += a.batches.map { b in { reconciler.addApproved(b, validator: a.validator) } }
        for (i, file) in ledgers.enumerated() {
            let l = try validate("ledger", header: file.header, rows: file.rows, source: 1 + i)
            feeds += l.batches.map { b in { reconciler.addLedger(b, validator: l.validator) } }
        }
        if let roster {
            let r = try validate("roster", header: Self.rosterHeader, rows: roster, source: 1 + ledgers.count)
            feeds += r.batches.map { b in { reconciler.addRoster(b, validator: r.validator) } }
        }
        if let allocations {
            let r = try validate("allocations", header: Self.allocationsHeader, rows: allocations, source: 2 + ledgers.count)
            feeds += r.batches.map { b in { reconciler.addAllocations(b, validator: r.validator) } }
        }
        for feed in reverseBatches ? feeds.reversed() : feeds { feed() }
        return reconciler.finish(sourceNames: sourceNames)
    }
}

extension ReconcileResult {
    func codes(_ code: String) -> [Discrepancy] { findings.filter { $0.code == code } }
    var codeSet: Set<String> { Set(findings.map(\.code)) }
    func row(_ studentNo: String) -> PayoutLedgerRow? { ledger.first { $0.studentNo == studentNo } }
}
