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

@Suite("History: observing a run's findings")
struct ObserveTests {
    @Test("given the reports' masked copy, observe keeps the same facts it masks by itself, and the same ids")
    func maskedCopyGivesSameFacts() throws {
        let identity = FindingIdentity(secret: Data(repeating: 9, count: 32))
        let findings = [finding("R06", no: "1", id: idA1, detail: "account \(accountA1) also paid \(idA2)"),
                        finding("R05", school: "B", no: "9", id: idB1, expected: "户名 \(idB1)", actual: accountA1),
                        finding("R01", no: "3", id: ""),
                        finding("R01", no: "3", id: "")]
        // As FindingsWriter.masked shows them.
        let masked = findings.map { f -> Discrepancy in
            var copy = f
            if !copy.idNumber.isEmpty { copy.idNumber = Masking.id(copy.idNumber) }
            copy.name = Masking.text(copy.name)
            copy.expected = Masking.text(copy.expected)
            copy.actual = Masking.text(copy.actual)
            copy.detail = Masking.text(copy.detail)
            return copy
        }
        let alone = HistoryLifecycle.observe(findings, term: "2023-fall", identity: identity)
        let given = HistoryLifecycle.observe(findings, masked: masked, term: "2023-fall", identity: identity)
        #expect(given == alone)
        #expect(!given.contains { $0.facts.detail.contains(accountA1) || $0.facts.idMasked == idA1 })
        // A copy of another length is not taken.
        #expect(HistoryLifecycle.observe(findings, masked: Array(masked.prefix(1)), term: "2023-fall", identity: identity) == alone)
    }
}
