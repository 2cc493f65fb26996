import Testing
import ZizhuCore
@testable import ZizhuPackage

/// `DeclarationCounts.compute` counts aid types and tiers by their bytes (`Tally`), not by a
/// String per row; a plain dictionary of `PackageCSV.parse`'s strings is its oracle.
@Suite struct DeclarationCountsTallyTests {
    /// The counts by aid type and by tier as the rules say, from parsed rows.
    static func oracle(_ applications: [UInt8]) throws -> (byAidType: [String: Int], byTier: [String: Int]) {
        let table = try PackageCSV.parse(applications, name: "applications.csv.gz")
        let aid = try #require(table.column("aid_type")), approval = try #require(table.column("approval_status"))
        let tier = try #require(table.column("tier"))
        var byAidType: [String: Int] = [:], byTier: [String: Int] = [:]
        for row in table.rows where row[approval] != "退回" {
            byAidType[row[aid], default: 0] += 1
            guard row[aid] == "国家助学金" else { continue }
            byTier[row[tier].isEmpty ? DeclarationCounts.untieredKey : row[tier], default: 0] += 1
        }
        return (byAidType, byTier)
    }

    @Test func countsByAidTypeAndTierAgreeWithCountingParsedStrings() throws {
        // Few values, as in a real package; more distinct values than the tally keeps as bytes; a
        // value with doubled quotes; an empty tier next to an explicit 未定档; 退回 rows.
        let tiers = ["一档", "二档", "三档", "", "未定档", "\"\"\"一\"\"档\"", "\"一,档\""]
        let aids = ["国家助学金", "免学费", "\"免\"\"学费\"", "其他"]
        var text = "aid_type,tier,amount,approval_status\n"
        for k in 0..<400 {
            let aid = k % 7 == 0 ? "类型\(k % 40)" : aids[k % aids.count]
            let tier = k % 11 == 0 ? "档\(k % 30)" : tiers[k % tiers.count]
            text += "\(aid),\(tier),10.00,\(k % 13 == 0 ? "退回" : "已审批")\n"
        }
        for k in 0..<60 { text += "国家助学金,\(tiers[k % tiers.count]),1.00,已审批\n" }
        for k in 0..<30 { text += "国家助学金,第\(k)档,1.00,已审批\n" }
        let applications = Array(text.utf8)
        let counts = try DeclarationCounts.compute(roster: Array("study_mode,status\n".utf8), applications: applications)
        let expected = try Self.oracle(applications)
        #expect(counts.applicationsByAidType == expected.byAidType)
        #expect(counts.grantApplicationsByTier == expected.byTier)
        // The fixture must go past what the tally keeps as bytes, or the overflow is not tested.
        #expect(expected.byAidType.count > DeclarationCounts.Tally.kept)
        #expect(expected.byTier.count > DeclarationCounts.Tally.kept)
        #expect(expected.byTier[DeclarationCounts.untieredKey] != nil)
        #expect(expected.byTier["\"一\"档"] != nil)
    }

    @Test func checkedBytesCountAsUncheckedOnes() throws {
        let text = "aid_type,tier,amount,approval_status\n国家助学金,一档,1.00,已审批\n免学费,,0,已审批\n国家助学金,,2.00,已审批\n"
        let roster = Array("study_mode,status\n全日制,在籍\n全日制,复学\n非全日制,在籍\n".utf8)
        let unchecked = try DeclarationCounts.compute(roster: roster, applications: Array(text.utf8))
        let checked = try DeclarationCounts.compute(roster: roster, applications: Array(text.utf8), rosterName: "r", applicationsName: "a",
                                                    checked: true)
        #expect(checked == unchecked)
        #expect(checked.fullTimeEnrolled == 2)
        #expect(checked.grantApplicationsByTier == ["一档": 1, DeclarationCounts.untieredKey: 1])
    }
}
