import Foundation
import Testing
import ZizhuCore
@testable import ZizhuReport

/// `discrepancies.json` is written by hand for speed; JSONEncoder (what it replaced) is the oracle.
@Suite("discrepancies.json: the fast writer makes JSONEncoder's bytes")
struct FindingsJSONTests {
    static let awkward = [
        "", "plain", "张三", "quote \" and backslash \\ and slash /", "tab\tnew\nline\rcarriage", "\u{08}\u{0C}\u{01}\u{1F}\u{7F}",
        "emoji 🎓 and U+2028 \u{2028} U+2029 \u{2029}", "371312********6904", "审批 1000.00，无任何银行发放记录（应发未发）",
        "\u{0}nul", "é composed vs e\u{301} decomposed", "https://x/y?z=1&a=<b>",
    ]

    static func findings(count: Int, seed: Int) -> [Discrepancy] {
        (0..<count).map { n in
            let pick = { (k: Int) in awkward[(n * 7 + k * 3 + seed) % awkward.count] }
            return Discrepancy(code: n % 5 == 0 ? "R11" : "R0\(n % 9 + 1)", term: "2023-fall", schoolCode: pick(1),
                               studentNo: pick(2), name: pick(3), idNumber: pick(4), expected: pick(5), actual: pick(6),
                               detail: pick(7), sources: Array((0..<(n % 4)).map { "ledger.csv:\($0 + n)" + pick($0) }))
        }
    }

    @Test("findings without history: the same bytes, for every awkward string, empty and many sources", arguments: [0, 1, 2, 37])
    func withoutHistory(count: Int) throws {
        for seed in 0..<3 {
            let findings = Self.findings(count: count, seed: seed)
            let fast = FindingsJSON.encode(findings, history: nil)
            let oracle = try FindingsWriter.encodedJSON(findings, history: nil)
            #expect(fast == oracle, "\(String(decoding: fast, as: UTF8.self))\n---\n\(String(decoding: oracle, as: UTF8.self))")
        }
    }

    @Test("findings with status, first_seen and note: the same bytes", arguments: [0, 1, 5, 37])
    func withHistory(count: Int) throws {
        let findings = Self.findings(count: count, seed: 1)
        let history = (0..<count).map { n in
            FindingsWriter.HistoryCells(status: ["new", "open", "explained"][n % 3], firstSeen: "2026-12-06T10:54:06Z",
                                        note: Self.awkward[n % Self.awkward.count])
        }
        let fast = FindingsJSON.encode(findings, history: history)
        let oracle = try FindingsWriter.encodedJSON(findings, history: history)
        #expect(fast == oracle, "\(String(decoding: fast, as: UTF8.self))\n---\n\(String(decoding: oracle, as: UTF8.self))")
    }

    @Test("what it writes parses back to the findings")
    func roundTrip() throws {
        let findings = Self.findings(count: 12, seed: 2)
        let decoded = try JSONDecoder().decode([Discrepancy].self, from: FindingsJSON.encode(findings, history: nil))
        #expect(decoded == findings)
    }
}
