import ZizhuCore
import ZizhuIO
import ZizhuPackage

/// Pass 1: each package read, verified and described — apart from the run, so that packages can be
/// inspected on worker threads; `execute` takes the inspections back in package order.
extension MergeRun {
    /// What pass 1 learns of one package.
    struct Inspection: Sendable {
        var record: Record
        var notes: [String] = []
        /// The rows of a verified package of the term, for M01.
        var rows = CrossSchoolIndex.PackageRows()
    }

    /// Reads and verifies one package; keys the rows of a verified package of the term.
    static func inspect(_ i: Int, _ source: PackageSource, settings: MergeSettings,
                        loader: inout PackageLoader) throws -> Inspection {
        var notes: [String] = []
        var rows = CrossSchoolIndex.PackageRows()
        var record = Record(outcome: PackageOutcome(
            name: source.name, status: .quarantined, schoolCode: "", schoolName: "", schoolCity: "", term: "",
            generatedAt: "", sha256: "", fingerprint: "", signedBy: nil, mergedInstead: nil, problems: [], counts: nil))
        switch try loader.load(source) {
        case .refused(let problem):
            record.problems = [problem]
        case .bytes(let bytes):
            record.outcome.sha256 = PackageBuilder.sha256(bytes)
            if case .entry = source.location,
               let problem = PackageLoader.nestingProblem(bytes, name: source.name, limits: loader.limits) {
                record.problems = [problem]
                break
            }
            let verification = PackageVerifier.verify(bytes: bytes, name: source.name, trust: settings.trust, limits: loader.limits)
            describe(&record.outcome, verification)
            record.problems = verification.problems
            guard verification.isValid, let manifest = verification.manifest, let declaration = verification.declaration,
                  let roster = verification.roster, let applications = verification.applications,
                  let fingerprint = verification.fingerprint else { break }
            let declarationDigest = (try? declaration.canonicalBytes()).map(PackageBuilder.sha256) ?? record.outcome.sha256
            record.content = fingerprint + " " + declarationDigest
            record.rosterHeader = header(of: roster)
            record.applicationsHeader = header(of: applications)
            guard manifest.term == settings.term else {
                record.outcome.status = .otherTerm
                notes.append(settings.language("note.merge.otherTerm", ["package": source.name, "other": manifest.term, "term": settings.term]))
                break
            }
            // A candidate for now: `choose` may still make it superseded or an identical resend.
            record.outcome.status = .merged
            rows = packageRows(package: i, name: source.name, roster: roster, applications: applications,
                               termBytes: Array(settings.term.utf8), language: settings.language, notes: &notes)
        }
        if record.outcome.schoolCode.isEmpty || record.outcome.term.isEmpty {
            let (school, term) = Self.guess(from: source.fileName)
            if record.outcome.schoolCode.isEmpty { record.outcome.schoolCode = school }
            if record.outcome.term.isEmpty { record.outcome.term = term }
        }
        record.outcome.problems = record.problems.map { $0.text(settings.language) }
        return Inspection(record: record, notes: notes, rows: rows)
    }

    /// The header of a data file the verifier read without an error (its UTF-8 is not checked again).
    static func header(of csv: [UInt8]) -> [String] {
        var header: [String] = []
        _ = try? PackageCSV.scan(csv, name: "", checked: true) { scanner, isHeader in
            if isHeader { header = scanner.spans.indices.map { scanner.string($0) } }
            // Stop after the header: the rows were read by the verifier.
            throw StopScan()
        }
        return header
    }

    private struct StopScan: Error {}

    /// The package's school, term and signer, as far as they could be read.
    static func describe(_ outcome: inout PackageOutcome, _ verification: PackageVerification) {
        if let manifest = verification.manifest {
            outcome.schoolCode = manifest.schoolCode
            outcome.schoolName = manifest.schoolName
            outcome.schoolCity = manifest.schoolCity ?? ""
            outcome.term = manifest.term
            outcome.generatedAt = manifest.generatedAt
        } else if let declaration = verification.declaration {
            outcome.schoolCode = declaration.schoolCode
            outcome.schoolName = declaration.schoolName
            outcome.term = declaration.term
        }
        outcome.fingerprint = verification.fingerprint ?? ""
        if case .verifies(let keyId) = verification.signature { outcome.signedBy = keyId }
        outcome.counts = verification.isValid ? verification.counts : nil
    }

    /// `3701J001_2023-fall.zip` → (`3701J001`, `2023-fall`): whom an unreadable package was
    /// probably for. Empty strings when the name is not a package's.
    static func guess(from fileName: String) -> (school: String, term: String) {
        guard fileName.lowercased().hasSuffix(".zip") else { return ("", "") }
        let stem = fileName.dropLast(4)
        guard let underscore = stem.firstIndex(of: "_") else { return ("", "") }
        let school = String(stem[..<underscore])
        let termText = String(stem[stem.index(after: underscore)...])
        guard !school.isEmpty, case .success(let term) = Term.parse(termText) else { return ("", "") }
        return (school, term.canonical)
    }
}
