import Foundation
import ZizhuCore
import ZizhuIO
import ZizhuPackage

/// The province merge (合并, contract §6 merge): verified school packages in, one merged data
/// set and the cross-school findings out.
///
/// Two passes over the packages, one package in memory at a time:
/// 1. every package is read and verified (`PackageVerifier`: M02, M04, and M06 — a signature
///    that does not verify always, an unsigned or strangely signed one with a trust folder); one
///    that fails is quarantined whole. Of the verified packages of the term, each
///    enrolled roster row and funded application row goes into the `CrossSchoolIndex` as a
///    packed id and a reference — nothing else of the package is kept;
/// 2. per school the package to merge is chosen (`SubmissionChoice`, M05), M01 is decided over
///    the chosen packages, and their rows are streamed, school by school, into
///    `merged/roster.csv.gz` and `merged/applications.csv.gz` — each package read again and
///    used only when its bytes have the SHA-256 verified in pass 1.
///
/// Everything depends on the packages, not on the order of the inputs: packages are taken in
/// name order and merged in school-code order.
public struct Merger: Sendable {
    public let settings: MergeSettings

    public init(settings: MergeSettings) {
        self.settings = settings
    }

    /// Merges the packages found in `inputs` (package files, city archives, folders), writing the
    /// merged data files to `rosterPath` and `applicationsPath`. `progress` is called before each
    /// package of each pass with its name.
    ///
    /// Throws only when an input cannot be read at all (`.ioFailure`, exit 3) or an output cannot
    /// be written; everything wrong inside a package is a finding.
    public func run(_ inputs: [String], rosterPath: String, applicationsPath: String,
                    progress: (_ package: String) -> Void = { _ in }) throws -> MergeResult {
        let collection = try PackageCollector.collect(inputs, limits: settings.limits, language: settings.language)
        var run = MergeRun(settings: settings, sources: collection.sources, notes: collection.notes)
        return try run.execute(rosterPath: rosterPath, applicationsPath: applicationsPath, progress: progress)
    }
}
