import Foundation
import Testing
import ZizhuCore
import ZizhuSample

/// Checks the finance files against each other the way reconcile will, so that an unplanted
/// payment discrepancy (a clean row that is not clean) shows up here first.
@Suite("zizhu sample: approved list and ledgers agree except where planted")
struct SampleLedgerTests {
    static let success: Set<String> = ["成功", "交易成功", "已入账"]

    @Test func paidTotalsEqualApprovedAmountsExceptPlantedCases() throws {
        let (folder, _) = try SampleSupport.generate(students: 1500, seed: 11)
        defer { SampleSupport.remove(folder) }
        try Self.checkPaidTotals(folder)
    }

    /// Every student's paid total equals the approved amount, except the planted payment cases.
    static func checkPaidTotals(_ folder: String) throws {
        let tables = try SamplePlantedTests.tables(folder)
        let planted = try SampleSupport.planted(folder)
        let rejected = Set(planted.filter { $0["code"] == "REJECT" }.flatMap {
            SamplePlantedTests.sources($0).map { "\($0.file):\($0.line)" }
        })
        let approvedTable = try #require(tables["finance/approved.csv"])
        let term = "2023年秋季学期"
        var approved: [String: Int64] = [:]     // id → approved fen (this term's 已审批 grants)
        var cardOwner: [String: String] = [:]   // card digits → id
        for row in approvedTable.rows where !rejected.contains("\(approvedTable.path):\(row.line)") {
            let cells = row.cells
            guard let id = SamplePlantedTests.canonicalId(approvedTable.cell(cells, approvedTable.column(SampleSupport.idTitles))) else { continue }
            cardOwner[approvedTable.cell(cells, approvedTable.column(["中职资助卡号"]))] = id
            guard approvedTable.cell(cells, approvedTable.column(["学期"])) == term,
                  approvedTable.cell(cells, approvedTable.column(["资助项目"])) == "国家助学金",
                  approvedTable.cell(cells, approvedTable.column(["审核状态"])) == "已审批",
                  case .success(let fen) = Fen.parse(approvedTable.cell(cells, approvedTable.column(["资助金额"]))) else { continue }
            approved[id, default: 0] += fen.value
        }
        var paid: [String: Int64] = [:]
        var unmatched = 0
        for (path, ledger) in tables where path.contains("ledger") {
            let idColumn = ledger.column(["证件号码", "身份证号"])
            let accountColumn = ledger.column(["账号", "卡号", "收款账号", "账户"])
            for row in ledger.rows where !rejected.contains("\(path):\(row.line)") {
                let cells = row.cells
                guard Self.success.contains(ledger.cell(cells, ledger.column(["交易状态", "处理结果", "状态"]))) else { continue }
                guard case .success(let fen) = Fen.parse(ledger.cell(cells, ledger.column(["金额", "交易金额", "发放金额"]))) else {
                    Issue.record("\(path):\(row.line): amount unreadable"); continue
                }
                let account = ledger.cell(cells, accountColumn)
                var owner = SamplePlantedTests.canonicalId(ledger.cell(cells, idColumn)) ?? cardOwner[account]
                if owner == nil, account.contains("*") {
                    let prefix = account.prefix(6), suffix = account.suffix(4)
                    let candidates = cardOwner.filter { $0.key.hasPrefix(prefix) && $0.key.hasSuffix(suffix) && $0.key.count == account.count }
                    #expect(candidates.count == 1, "\(path):\(row.line): masked account matches \(candidates.count) cards")
                    owner = candidates.first?.value
                }
                guard let owner else { unmatched += 1; continue }
                paid[owner, default: 0] += fen.value
            }
        }
        let excused = Set(planted.filter { ["R01", "R02", "R03", "R04", "R10", "R13"].contains($0["code"] ?? "") }
            .compactMap { $0["id_number"] })
        var wrong: [String] = []
        for id in Set(approved.keys).union(paid.keys) where !excused.contains(id) && approved[id] != paid[id] {
            wrong.append("\(id): approved \(approved[id] ?? 0), paid \(paid[id] ?? 0)")
        }
        #expect(wrong.isEmpty, "unplanted payment discrepancies: \(wrong.prefix(5))")
        #expect(unmatched == planted.filter { $0["code"] == "R02" && $0["id_number"] == "" }.count)
        #expect(approved.count > 100)
    }

    @Test func approvedAmountsMatchTheirTierExceptPlantedR12() throws {
        let (folder, _) = try SampleSupport.generate(students: 1500, seed: 11)
        defer { SampleSupport.remove(folder) }
        let tables = try SamplePlantedTests.tables(folder)
        let planted = try SampleSupport.planted(folder)
        let r12 = Set(planted.filter { $0["code"] == "R12" }.compactMap { $0["id_number"] })
        let table = try #require(tables["finance/approved.csv"])
        let tiers: [String: Int64] = ["一档": 125_000, "二档": 100_000, "三档": 75_000]
        var mismatched: Set<String> = []
        for row in table.rows where table.cell(row.cells, table.column(["资助项目"])) == "国家助学金" {
            guard case .success(let fen) = Fen.parse(table.cell(row.cells, table.column(["资助金额"]))),
                  let id = SamplePlantedTests.canonicalId(table.cell(row.cells, table.column(SampleSupport.idTitles))) else { continue }
            if tiers[table.cell(row.cells, table.column(["档次"]))] != fen.value { mismatched.insert(id) }
        }
        #expect(mismatched == r12)
    }
}
