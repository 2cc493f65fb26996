import Foundation
import ZizhuCore
import ZizhuIO

/// The province merge (合并, contract §6 merge): verified school packages in, one merged data
/// set and the cross-school findings out.
///
/// Two passes over the packages, one package in memory at a time:
/// 1. every package is read and verified (`PackageVerifier`: M02, M04, and M06 with a trust
///    folder); one that fails is quarantined whole. Of the verified packages of the term, each
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
        let collection = try PackageCollector.collect(inputs, limits: settings.limits)
        var run = MergeRun(settings: settings, sources: collection.sources, notes: collection.notes)
        return try run.execute(rosterPath: rosterPath, applicationsPath: applicationsPath, progress: progress)
    }
}

/// One merge's state.
struct MergeRun {
    let settings: MergeSettings
    let sources: [PackageSource]
    var notes: [String]
    private var records: [Record] = []
    private var index = CrossSchoolIndex()
    private let termBytes: [UInt8]

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
        termBytes = Array(settings.term.utf8)
    }

    mutating func execute(rosterPath: String, applicationsPath: String,
                          progress: (String) -> Void) throws -> MergeResult {
        guard sources.count < CrossSchoolIndex.maximumPackages else {
            throw ZizhuError(.limitExceeded, "\(sources.count) packages in one merge: more than \(CrossSchoolIndex.maximumPackages - 1)",
                             hint: "merge city by city, then the cities' merged data")
        }
        var loader = PackageLoader(settings: settings)
        for (i, source) in sources.enumerated() {
            progress(source.name)
            records.append(try inspect(i, source, loader: &loader))
        }
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

    // MARK: pass 1

    /// Reads and verifies one package; indexes the rows of a verified package of the term.
    private mutating func inspect(_ i: Int, _ source: PackageSource, loader: inout PackageLoader) throws -> Record {
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
                notes.append("\(source.name): a package for \(manifest.term), not \(settings.term): not merged")
                break
            }
            // A candidate for now: `choose` may still make it superseded or an identical resend.
            record.outcome.status = .merged
            indexRows(package: i, name: source.name, roster: roster, applications: applications)
        }
        if record.outcome.schoolCode.isEmpty || record.outcome.term.isEmpty {
            let (school, term) = Self.guess(from: source.fileName)
            if record.outcome.schoolCode.isEmpty { record.outcome.schoolCode = school }
            if record.outcome.term.isEmpty { record.outcome.term = term }
        }
        record.outcome.problems = record.problems.map(\.description)
        return record
    }

    private func header(of csv: [UInt8]) -> [String] {
        var header: [String] = []
        _ = try? PackageCSV.scan(csv, name: "") { scanner, isHeader in
            if isHeader { header = scanner.spans.indices.map { scanner.string($0) } }
            // Stop after the header: the rows were read by the verifier.
            throw StopScan()
        }
        return header
    }

    private struct StopScan: Error {}

    /// The package's school, term and signer, as far as they could be read.
    private func describe(_ outcome: inout PackageOutcome, _ verification: PackageVerification) {
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

    /// Puts the package's enrolled roster rows and funded application rows of the term into the index.
    private mutating func indexRows(package: Int, name: String, roster: [UInt8], applications: [UInt8]) {
        var index = self.index
        defer { self.index = index }
        var idColumn = 0, statusColumn = 0
        do {
            _ = try PackageCSV.scan(roster, name: PackageFormat.rosterEntry) { scanner, isHeader in
                if isHeader {
                    let header = scanner.spans.indices.map { scanner.string($0) }
                    guard let id = header.firstIndex(of: "id_number"), let status = header.firstIndex(of: "status") else {
                        throw MissingColumns(file: PackageFormat.rosterEntry, columns: "id_number, status")
                    }
                    idColumn = id
                    statusColumn = status
                    return header
                }
                if scanner.field(statusColumn, equals: "在籍") || scanner.field(statusColumn, equals: "复学") {
                    index.add(id: scanner.raw(idColumn), row: .init(package: package, kind: .enrolled, line: scanner.recordLine))
                }
                return []
            }
        } catch {
            notes.append("\(name): \(Self.describe(error)): M01 cannot check its roster")
        }
        var aidColumn = 0, approvalColumn = 0
        var termColumn: Int?
        let termBytes = self.termBytes
        do {
            _ = try PackageCSV.scan(applications, name: PackageFormat.applicationsEntry) { scanner, isHeader in
                if isHeader {
                    let header = scanner.spans.indices.map { scanner.string($0) }
                    guard let id = header.firstIndex(of: "id_number"), let aid = header.firstIndex(of: "aid_type"),
                          let approval = header.firstIndex(of: "approval_status") else {
                        throw MissingColumns(file: PackageFormat.applicationsEntry, columns: "id_number, aid_type, approval_status")
                    }
                    idColumn = id
                    aidColumn = aid
                    approvalColumn = approval
                    termColumn = header.firstIndex(of: "term")
                    return header
                }
                guard scanner.field(aidColumn, equals: "国家助学金") || scanner.field(aidColumn, equals: "免学费"),
                      !scanner.field(approvalColumn, equals: "退回") else { return [] }
                if let termColumn {
                    let term = scanner.raw(termColumn)
                    guard term.isEmpty || term.elementsEqual(termBytes) else { return [] }
                }
                index.add(id: scanner.raw(idColumn), row: .init(package: package, kind: .funded, line: scanner.recordLine))
                return []
            }
        } catch {
            notes.append("\(name): \(Self.describe(error)): M01 cannot check its applications")
        }
    }

    private struct MissingColumns: Error {
        var file: String
        var columns: String
    }

    private static func describe(_ error: any Error) -> String {
        if let missing = error as? MissingColumns { return "\(missing.file) lacks a column of \(missing.columns)" }
        return PackageVerifier.message(error)
    }

    // MARK: choosing (M05)

    /// Decides per school which verified package of the term is merged; adds M05 findings.
    private mutating func choose(_ findings: inout [Discrepancy]) -> [SubmissionChoice.Decision] {
        var bySchool: [String: [SubmissionChoice.Candidate]] = [:]
        for (i, record) in records.enumerated() where record.outcome.status == .merged {
            let o = record.outcome
            bySchool[o.schoolCode, default: []].append(SubmissionChoice.Candidate(
                package: i, name: o.name, generatedAt: o.generatedAt, content: record.content,
                fingerprint: o.fingerprint, sha256: o.sha256))
        }
        var decisions: [SubmissionChoice.Decision] = []
        for school in bySchool.keys.sorted() {
            guard let candidates = bySchool[school], let decision = SubmissionChoice.decide(candidates) else { continue }
            decisions.append(decision)
            let winner = records[decision.merged].outcome
            for i in decision.duplicates {
                records[i].outcome.status = .identicalResend
                records[i].outcome.mergedInstead = winner.name
            }
            for i in decision.superseded {
                records[i].outcome.status = .superseded
                records[i].outcome.mergedInstead = winner.name
            }
            guard !decision.superseded.isEmpty else { continue }
            let others = decision.superseded.map { records[$0].outcome }
            func describe(_ o: PackageOutcome) -> String {
                "\(o.name) (generated_at \(o.generatedAt.isEmpty ? "?" : o.generatedAt), fingerprint \(o.fingerprint.prefix(12))…)"
            }
            findings.append(Discrepancy(
                code: "M05", term: settings.term, schoolCode: school,
                expected: "one package for \(school) \(settings.term)",
                actual: "\(others.count + 1) different packages",
                detail: "merged the latest, \(describe(winner)); superseded, not merged: " + others.map(describe).joined(separator: "; "),
                sources: [winner.name] + others.map(\.name)))
        }
        return decisions
    }

    // MARK: pass 2

    private struct Written {
        var rosterRows = 0
        var applicationRows = 0
        var details: [CrossSchoolIndex.RowRef: RowDetail] = [:]
    }

    /// Streams the merged packages' rows into the merged files; collects what M01 shows of its rows.
    private func write(_ merged: [Int], rosterPath: String, applicationsPath: String,
                       flagged: Set<CrossSchoolIndex.RowRef>, progress: (String) -> Void) throws -> Written {
        func union(_ headers: [[String]]) -> [String] {
            var columns: [String] = []
            var seen = Set<String>()
            for header in headers {
                for name in header where name != MergedTableWriter.sourceColumn && seen.insert(name).inserted { columns.append(name) }
            }
            return columns
        }
        let roster = try MergedTableWriter(path: rosterPath, columns: union(merged.map { records[$0].rosterHeader }))
        let applications = try MergedTableWriter(path: applicationsPath,
                                                 columns: union(merged.map { records[$0].applicationsHeader }))
        var written = Written()
        var loader = PackageLoader(settings: settings)
        for i in merged {
            let outcome = records[i].outcome
            progress(outcome.name)
            let source = sources[i]
            guard case .bytes(let bytes) = try loader.load(source), PackageBuilder.sha256(bytes) == outcome.sha256 else {
                throw ZizhuError(.ioFailure, "the package changed while it was being merged", at: InputPosition(file: source.name),
                                 hint: "leave the inputs alone during a merge and run it again")
            }
            // The bytes are those verified in pass 1 (same SHA-256), so their data files are too.
            let archive = try ZipArchive(bytes: bytes, name: source.name, limits: loader.limits)
            func data(_ name: String) throws -> [UInt8] {
                guard let entry = archive.entry(named: name) else {
                    throw ZizhuError(.archive, "no entry \(name)", at: InputPosition(file: source.name))
                }
                return try Gzip.decompress(try archive.read(entry), limits: loader.limits)
            }
            let rosterCSV = try data(PackageFormat.rosterEntry)
            let applicationsCSV = try data(PackageFormat.applicationsEntry)
            let name = MergedTableWriter.encoded(outcome.name)
            try copy(rosterCSV, file: PackageFormat.rosterEntry, into: roster, source: name, package: i, kind: .enrolled,
                     flagged: flagged, details: &written.details)
            try copy(applicationsCSV, file: PackageFormat.applicationsEntry, into: applications, source: name, package: i,
                     kind: .funded, flagged: flagged, details: &written.details)
        }
        try roster.close()
        try applications.close()
        written.rosterRows = roster.rows
        written.applicationRows = applications.rows
        return written
    }

    /// Copies one data file's rows; keeps the student number, name and status or aid of flagged rows.
    private func copy(_ csv: [UInt8], file: String, into writer: MergedTableWriter, source: [UInt8], package: Int,
                      kind: CrossSchoolIndex.Kind, flagged: Set<CrossSchoolIndex.RowRef>,
                      details: inout [CrossSchoolIndex.RowRef: RowDetail]) throws {
        var mapping: [Int?]?
        var studentNo: Int?, name: Int?, labels: [Int] = []
        _ = try PackageCSV.scan(csv, name: file) { scanner, isHeader in
            if isHeader {
                let header = scanner.spans.indices.map { scanner.string($0) }
                mapping = writer.mapping(for: header)
                studentNo = header.firstIndex(of: "student_no")
                name = header.firstIndex(of: "name")
                labels = (kind == .enrolled ? ["status"] : ["aid_type", "approval_status"]).compactMap { header.firstIndex(of: $0) }
                return header
            }
            try writer.write(scanner, mapping: mapping, source: source)
            if !flagged.isEmpty {
                let ref = CrossSchoolIndex.RowRef(package: package, kind: kind, line: scanner.recordLine)
                if flagged.contains(ref) {
                    details[ref] = RowDetail(studentNo: studentNo.map { scanner.string($0) } ?? "",
                                             name: name.map { scanner.string($0) } ?? "",
                                             label: labels.map { scanner.string($0) }.joined(separator: " "))
                }
            }
            return []
        }
    }

    // MARK: findings

    /// M01: one finding per id, naming every enrolled and funded row of it in the merged packages.
    private func crossSchoolFinding(_ duplicate: CrossSchoolIndex.Duplicate, details: [CrossSchoolIndex.RowRef: RowDetail]) -> Discrepancy {
        let rows = duplicate.rows.sorted { a, b in
            let sa = records[a.package].outcome.schoolCode, sb = records[b.package].outcome.schoolCode
            if sa != sb { return sa < sb }
            return a < b
        }
        func school(_ row: CrossSchoolIndex.RowRef) -> String { records[row.package].outcome.schoolCode }
        func part(_ kind: CrossSchoolIndex.Kind) -> (schools: [String], text: String) {
            var schools: [String] = []
            var pieces: [String] = []
            for row in rows where row.kind == kind {
                let code = school(row)
                if !schools.contains(code) { schools.append(code) }
                let detail = details[row]
                pieces.append("\(code) \(detail?.studentNo ?? "") \(detail?.label ?? "")".trimmingCharacters(in: .whitespaces))
            }
            return (schools, pieces.joined(separator: ", "))
        }
        let enrolled = part(.enrolled)
        let funded = part(.funded)
        var actual: [String] = []
        if enrolled.schools.count > 1 { actual.append("在籍 in \(enrolled.schools.count) schools: \(enrolled.schools.joined(separator: ", "))") }
        if funded.schools.count > 1 { actual.append("funded by \(funded.schools.count) schools: \(funded.schools.joined(separator: ", "))") }
        var detail: [String] = []
        if !enrolled.text.isEmpty { detail.append("enrolled (在籍/复学): \(enrolled.text)") }
        if !funded.text.isEmpty { detail.append("funded (国家助学金/免学费, not 退回): \(funded.text)") }
        let first = rows.first(where: { $0.kind == .enrolled }) ?? rows.first
        let shown = first.flatMap { details[$0] }
        return Discrepancy(
            code: "M01", term: settings.term, schoolCode: first.map(school) ?? "",
            studentNo: shown?.studentNo ?? "", name: shown?.name ?? "", idNumber: index.idText(duplicate.id),
            expected: "enrolled in and funded by one school", actual: actual.joined(separator: "; "),
            detail: detail.joined(separator: "; "),
            sources: rows.map { row in
                let file = row.kind == .enrolled ? PackageFormat.rosterEntry : PackageFormat.applicationsEntry
                return "\(records[row.package].outcome.name)!\(file):\(row.line)"
            })
    }

    /// M02 / M04 / M06: one finding per quarantined package and code, with every reason.
    private func quarantineFindings() -> [Discrepancy] {
        var findings: [Discrepancy] = []
        for record in records where record.outcome.status == .quarantined {
            let o = record.outcome
            for code in Set(record.problems.map(\.code)).sorted() {
                let reasons = record.problems.filter { $0.code == code }.map { "\($0.subject): \($0.reason)" }
                findings.append(Discrepancy(
                    code: code.rawValue, term: o.term.isEmpty ? settings.term : o.term, schoolCode: o.schoolCode,
                    expected: expectation(code), actual: "quarantined: nothing of the package merged",
                    detail: reasons.joined(separator: "; "), sources: [o.name]))
            }
        }
        return findings
    }

    private func expectation(_ code: PackageProblem.Code) -> String {
        switch code {
        case .packageIntegrity: return "a readable package whose files match its manifest"
        case .declarationMismatch: return "a declaration that agrees with the data"
        case .signatureInvalid: return "a declaration signed with the school's trusted key"
        }
    }

    /// Whether a package counts as sent for its school in the term: anything but another term's
    /// verified package (a quarantined one of unknown term counts: it has its own finding).
    private func isSentThisTerm(_ o: PackageOutcome) -> Bool {
        o.status != .otherTerm && (o.term.isEmpty || o.term == settings.term)
    }

    /// M03: each school of the expected list that sent no package for the term.
    private func missingFindings() -> [Discrepancy] {
        guard let expected = settings.expected else { return [] }
        var bySchool: [String: [PackageOutcome]] = [:]
        for record in records { bySchool[record.outcome.schoolCode, default: []].append(record.outcome) }
        var seen = Set<String>()
        var findings: [Discrepancy] = []
        for school in expected where seen.insert(school.code).inserted {
            let packages = bySchool[school.code] ?? []
            guard !packages.contains(where: isSentThisTerm) else { continue }
            let others = packages.map { "\($0.name) (\($0.term))" }
            let named = [school.code, school.name].filter { !$0.isEmpty }.joined(separator: " ")
                + (school.cityName.isEmpty ? "" : " (\(school.cityName))")
            findings.append(Discrepancy(
                code: "M03", term: settings.term, schoolCode: school.code,
                expected: "a package for \(settings.term)",
                actual: others.isEmpty ? "nothing received" : "only packages for other terms: " + others.joined(separator: "; "),
                detail: "\(named) is on the expected list and sent no package for \(settings.term)",
                sources: school.source.isEmpty ? [] : [school.source]))
        }
        return findings
    }

    // MARK: summary

    private mutating func summarize() -> (cities: [CitySummary], totals: SchoolCounts) {
        var schools: [String: SchoolSummary] = [:]
        var order: [String] = []
        let listed = settings.expected.map { Dictionary($0.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first }) }
        func entry(_ code: String) -> SchoolSummary {
            if let known = schools[code] { return known }
            let expected = listed?[code]
            order.append(code)
            return SchoolSummary(code: code, name: expected?.name ?? "", cityCode: expected?.cityCode ?? "",
                                 expected: listed.map { $0[code] != nil }, status: .missing, package: nil, counts: SchoolCounts())
        }
        for school in settings.expected ?? [] { schools[school.code] = entry(school.code) }
        var unattributed = SchoolCounts()
        var sentThisTerm = Set<String>()
        var otherTerm = Set<String>()
        for record in records {
            let o = record.outcome
            guard !o.schoolCode.isEmpty else {
                if o.status == .quarantined { unattributed.packagesQuarantined += 1 }
                continue
            }
            var school = entry(o.schoolCode)
            if school.name.isEmpty { school.name = o.schoolName }
            if school.cityCode.isEmpty { school.cityCode = o.schoolCity }
            switch o.status {
            case .merged:
                school.package = o.name
                school.name = listed?[o.schoolCode]?.name ?? o.schoolName
                if let counts = o.counts { school.counts.add(counts) }
                school.counts.packagesMerged += 1
            case .quarantined: school.counts.packagesQuarantined += 1
            case .superseded: school.counts.packagesSuperseded += 1
            case .identicalResend: school.counts.identicalResends += 1
            case .otherTerm: break
            }
            if isSentThisTerm(o) { sentThisTerm.insert(o.schoolCode) }
            if o.status == .otherTerm { otherTerm.insert(o.schoolCode) }
            schools[o.schoolCode] = school
        }
        for code in order {
            guard var school = schools[code] else { continue }
            if school.counts.packagesMerged > 0 {
                school.status = .merged
            } else if school.counts.packagesQuarantined > 0 && sentThisTerm.contains(code) {
                school.status = .quarantined
            } else if otherTerm.contains(code) {
                school.status = .otherTermOnly
            } else if school.counts.packagesQuarantined > 0 {
                school.status = .quarantined
            } else {
                school.status = .missing
            }
            schools[code] = school
            if school.expected == false {
                notes.append("school \(code) \(school.name) is not on the expected list; its packages were checked like the others")
            }
        }
        var cityNames: [String: String] = [:]
        for school in settings.expected ?? [] where !school.cityCode.isEmpty && !school.cityName.isEmpty {
            if cityNames[school.cityCode] == nil { cityNames[school.cityCode] = school.cityName }
        }
        var byCity: [String: [SchoolSummary]] = [:]
        for school in schools.values { byCity[school.cityCode, default: []].append(school) }
        let codes = byCity.keys.sorted { a, b in a.isEmpty != b.isEmpty ? !a.isEmpty : a < b }
        var totals = unattributed
        let cities = codes.map { code -> CitySummary in
            let members = (byCity[code] ?? []).sorted { $0.code < $1.code }
            var sum = SchoolCounts()
            for member in members { sum.add(member.counts) }
            totals.add(sum)
            return CitySummary(code: code, name: cityNames[code] ?? "", schools: members, totals: sum)
        }
        return (cities, totals)
    }
}
