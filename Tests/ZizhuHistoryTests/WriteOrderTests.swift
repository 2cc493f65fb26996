import Foundation
import Testing
import ZizhuCore
import ZizhuHistory

@Suite("History: the order a run's rows are written in")
struct WriteOrderTests {
    /// Forty findings of three codes over twenty students, in contract order (not id order), one
    /// student twice under one code (an ordinal id).
    private func findings() -> [Discrepancy] {
        var out: [Discrepancy] = []
        for code in ["R01", "R05", "R10"] {
            for n in 1...13 {
                let id = "1101051949123\(String(format: "%04d", n))"
                let check = ResidentID.checkCharacter(Array(id.utf8)).map { String(UnicodeScalar($0)) } ?? "X"
                out.append(finding(code, no: "\(n)", id: id + check))
            }
        }
        out.append(out[3])
        return out
    }

    @Test("a run's findings and occurrences are given to the store in ascending id order, each id once")
    func rowsInIDOrder() throws {
        let identity = FindingIdentity(secret: Data(repeating: 7, count: 32))
        let observed = HistoryLifecycle.observe(findings(), term: "2023-fall", identity: identity)
        #expect(observed.map(\.id) != observed.map(\.id).sorted(), "the test needs findings out of id order")
        let write = HistoryLifecycle.plan(runID: 1, facts: runFacts(on: 1), observed: observed, stored: [])
        var findingIDs: [String] = []
        write.forEachFinding { findingIDs.append($0.id) }
        var occurrenceIDs: [String] = []
        write.forEachOccurrence { occurrenceIDs.append($0.findingID) }
        #expect(findingIDs == Set(observed.map(\.id)).sorted())
        #expect(occurrenceIDs == findingIDs)
        // The annotations stay in the order of the findings given.
        #expect(write.annotations.map(\.id) == observed.map(\.id))
    }
}
