import Foundation
import ZizhuCore
import ZizhuIO
import ZizhuPackage

/// One merge's state, and its steps in order (`execute`). Each step lives in its own file:
/// - `Inputs/`: `PackageCollector` finds the packages, `PackageLoader` reads one's bytes;
/// - `Verify/`: pass 1 — `inspect` verifies and describes each package, `indexRows` puts the
///   rows of a verified package of the term into the `CrossSchoolIndex`;
/// - `Findings/`: `choose` (M05, `SubmissionChoice`), `crossSchoolFinding` (M01),
///   `quarantineFindings` (M02 / M04 / M06), `missingFindings` (M03);
/// - `Output/`: pass 2 — `write` streams the chosen packages' rows through `MergedTableWriter`;
/// - `Result/`: `summarize` counts per school and city into the `MergeResult`.
struct MergeRun {
    let settings: MergeSettings
    let sources: [PackageSource]
    var notes: [String]
    var records: [Record] = []
    var index = CrossSchoolIndex()

    /// What pass 1 keeps of a package.
    struct Record {
        var outcome: PackageOutcome
        var problems: [PackageProblem] = []
        /// Fingerprint and declaration digest: equal for identical resends.
        var content = ""
        var rosterHeader: [String] = []
        var applicationsHeader: [String] = []
    }

    /// A merged row that M01 names: what its finding shows of it.
    struct RowDetail {
        var studentNo: String
        var name: String
        /// `在籍`, or `国家助学金 已审批`.
        var label: String
    }

    init(settings: MergeSettings, sources: [PackageSource], notes: [String]) {
        self.settings = settings
        self.sources = sources
        self.notes = notes
    }

    mutating func execute(rosterPath: String, applicationsPath: String,
                          progress: (String) -> Void) throws -> MergeResult {
        guard sources.count < CrossSchoolIndex.maximumPackages else {
            throw ZizhuError(.limitExceeded, Message("merge.tooMany", ["count": "\(sources.count)", "limit": "\(CrossSchoolIndex.maximumPackages - 1)"]),
                             hint: Message("merge.tooMany.hint"))
        }
        // Pass 1 on every core: packages are read, verified and keyed on worker threads (each with
        // its own loader) and taken back in package order, so what follows sees what a loop would.
        let settings = self.settings, sources = self.sources
        try OrderedPool.run(count: sources.count, workers: settings.workers, name: "zizhu-merge-verify",
                            state: { PackageLoader(settings: settings) },
                            work: { i, loader in try Self.inspect(i, sources[i], settings: settings, loader: &loader) },
                            consume: { i, inspection in
                                progress(sources[i].name)
                                records.append(inspection.record)
                                notes += inspection.notes
                                index.append(inspection.rows)
                            })
        var findings: [Discrepancy] = []
        let decisions = choose(&findings)
        let merged = decisions.map(\.merged).sorted { lhs, rhs in
            let a = records[lhs].outcome, b = records[rhs].outcome
            return a.schoolCode != b.schoolCode ? a.schoolCode < b.schoolCode : a.name < b.name
        }
        let duplicates = index.duplicates(merged: Set(merged)) { records[$0].outcome.schoolCode }
        var flagged = Set<CrossSchoolIndex.RowRef>()
        for duplicate in duplicates { flagged.formUnion(duplicate.rows) }
        let written = try write(merged, rosterPath: rosterPath, applicationsPath: applicationsPath,
                                flagged: flagged, progress: progress)
        findings += duplicates.map { crossSchoolFinding($0, details: written.details) }
        findings += quarantineFindings()
        findings += missingFindings()
        findings.sort(by: Discrepancy.contractOrder)
        let (cities, totals) = summarize()
        return MergeResult(findings: findings, packages: records.map(\.outcome), cities: cities, totals: totals,
                           mergedRosterRows: written.rosterRows, mergedApplicationRows: written.applicationRows, notes: notes)
    }
}
