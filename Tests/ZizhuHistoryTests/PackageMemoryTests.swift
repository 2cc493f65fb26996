import Testing
import ZizhuHistory

@Suite("History: merge remembers packages")
struct PackageMemoryTests {
    func earlier(_ school: String, _ fingerprint: String, run: Int64, generatedAt: String = "2023-10-30T09:00:00+08:00",
                 verdict: String = "merged") -> PackageRecord {
        PackageRecord(runID: run, schoolCode: school, term: "2023-fall", fingerprint: fingerprint, generatedAt: generatedAt,
                      verdict: verdict, source: "\(school)_2023-fall.zip", receivedAt: "2023-11-0\(run)T08:00:00Z")
    }

    func today(_ school: String, _ fingerprint: String, generatedAt: String = "2023-11-02T09:00:00+08:00",
               verdict: String = "merged") -> PackageMemory.Received {
        PackageMemory.Received(schoolCode: school, fingerprint: fingerprint, generatedAt: generatedAt,
                               source: "day2/\(school)_2023-fall.zip", verdict: verdict)
    }

    @Test("a package merged today with other data than one received on an earlier day is a conflict")
    func conflictAcrossDays() {
        let conflicts = PackageMemory.conflicts(today: [today("A", "f2"), today("B", "g1")],
                                                previous: [earlier("A", "f1", run: 1), earlier("B", "g1", run: 1)])
        #expect(conflicts.map(\.schoolCode) == ["A"])
        #expect(conflicts.first?.earlier.map(\.fingerprint) == ["f1"])
        #expect(conflicts.first?.earlierIsNewer == false)
    }

    @Test("an identical resend, a quarantined earlier package or another school is no conflict")
    func noConflict() {
        #expect(PackageMemory.conflicts(today: [today("A", "f1")], previous: [earlier("A", "f1", run: 1)]).isEmpty)
        #expect(PackageMemory.conflicts(today: [today("A", "f2")], previous: [earlier("A", "f1", run: 1, verdict: "quarantined")]).isEmpty)
        #expect(PackageMemory.conflicts(today: [today("A", "f2")], previous: [earlier("B", "f1", run: 1)]).isEmpty)
        // Today's package quarantined: nothing of it merged, nothing to compare.
        #expect(PackageMemory.conflicts(today: [today("A", "f2", verdict: "quarantined")], previous: [earlier("A", "f1", run: 1)]).isEmpty)
    }

    @Test("each earlier fingerprint is listed once, latest received first; a later-generated earlier package is flagged")
    func listsEarlierOnce() {
        let conflicts = PackageMemory.conflicts(
            today: [today("A", "f3")],
            previous: [earlier("A", "f1", run: 1), earlier("A", "f2", run: 2, generatedAt: "2023-11-05T09:00:00+08:00"),
                       earlier("A", "f1", run: 3)])
        #expect(conflicts.first?.earlier.map(\.runID) == [3, 2])
        #expect(conflicts.first?.earlierIsNewer == true)
    }
}
