import Foundation
import Testing
import ZizhuCore
import ZizhuHistory
import ZizhuTestSupport

/// A run reads only a few cells of the term's stored findings; the findings it resolves are
/// changed by the store from their own rows. Nothing of them may be lost on the way.
@Suite("History: resolving keeps the stored finding, on every store")
struct ResolveStoreTests {
    @Test("a resolved finding keeps every cell but status and resolved_run; its occurrence shows the stored cells",
          arguments: StoreFactory.all)
    func resolvedKeepsEverything(_ factory: StoreFactory) throws {
        try withStore(factory) { history, _ in
            let late = finding("R11", no: "3", id: idA1, expected: "2023-09-01..2024-02-29", actual: "2024-03-05",
                               detail: "paid late")
            let other = finding("R01", no: "4", id: idA2)
            let first = try history.record(runFacts(on: 1), findings: [late, other])
            let id = try #require(first.annotations.first?.id)
            _ = try history.note(findingID: id, status: .explained, by: "王会计", note: "教育局批准延期", at: day(1))
            let before = try #require(try history.backend.findings(FindingFilter(idPrefix: id)).first)

            let second = try history.record(runFacts(on: 2), findings: [other])
            #expect(second.run.resolvedCount == 1)
            let after = try #require(try history.backend.findings(FindingFilter(idPrefix: id)).first)
            var expected = before
            expected.status = .resolved
            expected.resolvedRun = second.run.id
            #expect(after == expected)
            let occurrence = try #require(try history.backend.occurrences(ofRun: second.run.id).first { $0.findingID == id })
            #expect(!occurrence.present)
            #expect(occurrence.status == .resolved)
            #expect(occurrence.display == before.display)
            #expect(occurrence.display.detail == "paid late")

            // Seen again: reopened, first seen and the note kept from the stored row.
            let third = try history.record(runFacts(on: 3), findings: [late, other])
            #expect(third.annotations.map(\.status) == [.reopened, .open])
            #expect(third.annotations.first?.firstSeen == HistoryLifecycle.timestamp(day(1)))
            #expect(third.annotations.first?.note == before.note)
            let reopened = try #require(try history.backend.findings(FindingFilter(idPrefix: id)).first)
            #expect(reopened.resolvedRun == nil && reopened.firstSeenRun == 1 && reopened.decidedBy == before.decidedBy)
        }
    }

    @Test("a run of another job does not resolve a finding; nor does a run over another school", arguments: StoreFactory.all)
    func otherJobOrSchoolDoesNotResolve(_ factory: StoreFactory) throws {
        try withStore(factory) { history, _ in
            _ = try history.record(runFacts(on: 1), findings: [finding("R01", no: "1", id: idA1)])
            let merge = try history.record(runFacts(job: "merge", schools: nil, on: 2), findings: [])
            #expect(merge.run.resolvedCount == 0)
            let otherSchool = try history.record(runFacts(schools: ["B"], on: 3), findings: [finding("R01", school: "B", no: "9", id: idB1)])
            #expect(otherSchool.run.resolvedCount == 0)
            #expect(try history.backend.findings(FindingFilter(statuses: [.resolved])).isEmpty)
        }
    }
}
