import Foundation
import ZizhuCore
import ZizhuHistory
import ZizhuJobs
import ZizhuPackage
import ZizhuReport
import ZizhuSchema

/// `summary.json`'s merge section: what became of the packages, and the counts and amounts per
/// city and school.
struct MergeSummary: Codable {
    struct Packages: Codable {
        var found: Int
        var merged: Int
        var quarantined: Int
        var superseded: Int
        var identicalResends: Int
        var otherTerm: Int
    }

    var term: String
    /// Whether an expected list was given (M03 only then).
    var expectedList: Bool
    var trustChecked: Bool
    var packages: Packages
    var mergedRosterRows: Int
    var mergedApplicationRows: Int
    var totals: SchoolCounts
    var cities: [CitySummary]
    /// Every package with its status and, when quarantined, its problems.
    var packageList: [PackageOutcome]
}

/// The merge stage's job: reads the expected list's validated rows (port `expected`), then
/// merges the packages named by the input on port `packages` (`Merger`: verify, choose, M01,
/// stream), writing `merged/roster.csv.gz` and `merged/applications.csv.gz` into the run's
/// staged output — a run that fails leaves none of it.
final class MergeJob: ReportJob {
    func title(_ language: Language) -> String { ReportLabel.mergeTitle.text(language) }
    private let term: Term
    private let trust: TrustStore?
    private let packagePaths: [String]
    private let expectedInput: String?
    private let expectedGiven: Bool
    /// The expected list's rows as read: code, name, city, city name, source index, line.
    private var expectedRows: [(code: String, name: String, city: String, cityName: String, source: Int, line: Int)] = []

    init(stage: CompiledPipeline.CompiledStage, pipeline: CompiledPipeline) throws {
        let definition = pipeline.definition
        term = try definition.requiredTerm(for: "merge")
        // Read the trust folder now: a wrong path is a usage error before any package is read.
        if let folder = definition.setting("trust"), !folder.isEmpty {
            trust = try TrustStore(folder: folder)
        } else {
            trust = nil
        }
        let inputs = (stage.sources["packages"] ?? []).compactMap { name in definition.inputs.first { $0.name == name } }
        packagePaths = inputs.flatMap(\.files)
        guard !packagePaths.isEmpty else {
            throw ZizhuError(.usage, Message("error.merge.noPackages"), hint: Message("error.merge.noPackages.pipeline.hint"))
        }
        expectedInput = stage.sources["expected"]?.first.flatMap { pipeline.rootInput(of: $0) }
        expectedGiven = expectedInput.flatMap { name in definition.inputs.first { $0.name == name } }.map { !$0.files.isEmpty } ?? false
    }

    func consume(_ batch: ValidatedBatch, validator: RowValidator, input: String) throws {
        guard input == expectedInput else { return }
        let schema = validator.schema
        let code = schema.index(of: "school_code"), name = schema.index(of: "school_name")
        let city = schema.index(of: "city_code"), cityName = schema.index(of: "city_name")
        func text(_ row: Int, _ field: Int?) -> String {
            guard let field else { return "" }
            switch batch.value(row, field) {
            case .text(let ref): return batch.string(ref)
            case .region(let region): return Self.cityCode(region)
            case .integer(let n): return String(n)
            default: return ""
            }
        }
        for row in 0..<batch.count {
            let school = text(row, code)
            guard !school.isEmpty else { continue }
            expectedRows.append((school, text(row, name), text(row, city), text(row, cityName), batch.sourceIndex, Int(batch.lines[row])))
        }
    }

    /// The city a region lies in, as six digits (a district 370102 → 370100).
    static func cityCode(_ region: Int32) -> String {
        let code = RegionTable.shared.region(code: Int(region)).map(\.cityCode) ?? Int(region) / 100 * 100
        return String(format: "%06d", code)
    }

    func finish(_ context: RunContext, output: OutputDirectory, validation: ValidationFacts) throws -> JobOutcome {
        let expected: [ExpectedSchool]? = expectedGiven ? expectedRows.map { row in
            let file = row.source < context.sourceNames.count ? context.sourceNames[row.source] : "#\(row.source)"
            return ExpectedSchool(code: row.code, name: row.name, cityCode: row.city, cityName: row.cityName,
                                  source: "\(file):\(row.line)")
        } : nil
        var settings = MergeSettings(term: term.canonical, expected: expected, trust: trust)
        settings.language = context.language
        let roster = try output.stagedURL("merged/roster.csv.gz").path
        let applications = try output.stagedURL("merged/applications.csv.gz").path
        context.progress.begin()
        var seen = 0
        var result = try Merger(settings: settings).run(packagePaths, rosterPath: roster, applicationsPath: applications) { name in
            seen += 1
            context.progress.update("merge \(name)", rows: seen, bytes: 0)
        }
        context.progress.finish()
        for i in result.cities.indices where result.cities[i].name.isEmpty {
            if let code = Int(result.cities[i].code), let region = RegionTable.shared.region(code: code) {
                result.cities[i].name = region.name
            }
        }

        let packages = result.packages
        func count(_ status: PackageOutcome.Status) -> Int { packages.filter { $0.status == status }.count }
        let summary = MergeSummary(
            term: term.canonical, expectedList: expected != nil, trustChecked: trust != nil,
            packages: .init(found: packages.count, merged: count(.merged), quarantined: count(.quarantined),
                            superseded: count(.superseded), identicalResends: count(.identicalResend), otherTerm: count(.otherTerm)),
            mergedRosterRows: result.mergedRosterRows, mergedApplicationRows: result.mergedApplicationRows,
            totals: result.totals, cities: result.cities, packageList: packages)
        let t = result.totals
        let language = context.options.language
        func say(_ label: ReportLabel, _ arguments: CustomStringConvertible...) -> String {
            label.text(language, arguments: arguments)
        }
        let p = summary.packages
        let facts: [HTMLReport.Fact] = [
            .init(say(.factTerm), "\(term.canonical) (\(term.chineseName))"),
            .init(say(.factPackages), say(.factPackagesValue, packages.count, p.merged, p.quarantined, p.superseded, p.identicalResends, p.otherTerm)),
            .init(say(.factSignatures), trust == nil ? say(.signaturesNotRequired) : say(.signaturesRequired)),
            .init(say(.factExpectedList), expected.map { say(.expectedListValue, $0.count) } ?? say(.expectedListNone)),
            .init(say(.factStudents), "\(t.students)"),
            .init(say(.factFullTimeEnrolled), "\(t.fullTimeEnrolled)"),
            .init(say(.factApplications), t.applicationsByAidType.isEmpty ? say(.none) : Self.aidText(t.applicationsByAidType)),
            .init(say(.factGrantAmount), say(.yuan, HTMLReport.grouped(yuan: t.grantAmount.yuan))),
            .init(say(.factMergedFiles), say(.factMergedFilesValue, result.mergedRosterRows, result.mergedApplicationRows)),
        ]
        let say = context.language
        var lines = [
            say("summary.merge.packages", ["found": "\(packages.count)", "merged": "\(summary.packages.merged)",
                                           "quarantined": "\(summary.packages.quarantined)", "superseded": "\(summary.packages.superseded)",
                                           "resends": "\(summary.packages.identicalResends)", "otherTerm": "\(summary.packages.otherTerm)"]),
            say("summary.merge.merged", ["rosterRows": "\(result.mergedRosterRows)", "applicationRows": "\(result.mergedApplicationRows)",
                                         "students": "\(t.students)", "fullTime": "\(t.fullTimeEnrolled)", "amount": t.grantAmount.yuan]),
        ]
        for package in packages where package.status == .quarantined {
            lines.append(say("summary.merge.quarantined", ["package": package.name, "problems": package.problems.joined(separator: "; ")]))
        }
        lines += result.notes.map { say("general.note", ["text": $0]) }
        let rows = result.mergedRosterRows + result.mergedApplicationRows
        let read = say("summary.merge.read", ["packages": "\(packages.count)", "merged": "\(summary.packages.merged)", "rows": "\(rows)",
                                              "rosterRows": "\(result.mergedRosterRows)", "applicationRows": "\(result.mergedApplicationRows)"])
        var outcome = JobOutcome(findings: result.findings, facts: facts, summary: JobSummary(merge: summary), lines: lines,
                                 tables: Self.tables(result, language: language), readTotal: (read, say("summary.merge.expectedList")),
                                 filesRead: packagePaths.count)
        if let hook = context.history {
            outcome.packages = packages.map {
                PackageMemory.Received(schoolCode: $0.schoolCode, fingerprint: $0.fingerprint, generatedAt: $0.generatedAt,
                                       source: $0.name, verdict: $0.status.rawValue)
            }
            let earlier = try hook.history.backend.packages(term: term.canonical, schoolCode: nil)
            outcome.findings = Self.rememberResends(outcome.findings, PackageMemory.conflicts(today: outcome.packages, previous: earlier),
                                                    term: term.canonical, language: language)
        }
        return outcome
    }

    /// M05 across days (issue 16): a school whose package merged today differs from one an
    /// earlier run received gets an M05 (or today's M05 for it says so too).
    static func rememberResends(_ findings: [Discrepancy], _ conflicts: [PackageMemory.Conflict], term: String,
                                language: Language = .en) -> [Discrepancy] {
        var findings = findings
        for conflict in conflicts {
            let earlier = conflict.earlier.map {
                language("detail.M05.earlier.package", ["source": $0.source, "receivedAt": $0.receivedAt, "run": "\($0.runID)",
                                                        "generatedAt": $0.generatedAt.isEmpty ? "?" : $0.generatedAt,
                                                        "fingerprint": String($0.fingerprint.prefix(12))])
            }
            let detail = language("detail.M05.earlier", ["packages": earlier.joined(separator: language("summary.semicolon"))])
                + (conflict.earlierIsNewer ? language("detail.M05.earlierIsNewer") : "")
            if let i = findings.firstIndex(where: { $0.code == "M05" && $0.schoolCode == conflict.schoolCode }) {
                findings[i].detail += language("summary.semicolon") + detail
                findings[i].sources += conflict.earlier.map(\.source)
            } else {
                findings.append(Discrepancy(
                    code: "M05", term: term, schoolCode: conflict.schoolCode,
                    expected: "one package for \(conflict.schoolCode) \(term)",
                    actual: "\(conflict.earlier.count + 1) different packages (across runs)",
                    detail: language("detail.M05.mergedToday", ["source": conflict.merged.source,
                                                                "generatedAt": conflict.merged.generatedAt.isEmpty ? "?" : conflict.merged.generatedAt,
                                                                "fingerprint": String(conflict.merged.fingerprint.prefix(12))])
                        + language("summary.semicolon") + detail,
                    sources: [conflict.merged.source] + conflict.earlier.map(\.source)))
            }
        }
        return findings
    }

    static func aidText(_ counts: [String: Int]) -> String {
        counts.isEmpty ? "none" : counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }

    /// report.html: one table per city (its schools and their totals), then every package.
    static func tables(_ result: MergeResult, language: Language = .zh) -> [HTMLReport.Table] {
        func say(_ label: ReportLabel, _ arguments: CustomStringConvertible...) -> String {
            label.text(language, arguments: arguments)
        }
        let columns = [say(.schoolCode), say(.schoolName), say(.status), say(.students), say(.fullTimeEnrolled),
                       say(.grantApplications), say(.waiverApplications), say(.grantAmount), say(.packageOutcome)]
        func cells(_ counts: SchoolCounts) -> [String] {
            ["\(counts.students)", "\(counts.fullTimeEnrolled)", "\(counts.applicationsByAidType["国家助学金"] ?? 0)",
             "\(counts.applicationsByAidType["免学费"] ?? 0)", HTMLReport.grouped(yuan: counts.grantAmount.yuan),
             "\(counts.packagesMerged)/\(counts.packagesQuarantined)/\(counts.packagesSuperseded)"]
        }
        var tables = result.cities.map { city -> HTMLReport.Table in
            let title = city.code.isEmpty ? say(.cityUnknown) : "\(city.name.isEmpty ? say(.city) : city.name) \(city.code)"
            var rows = city.schools.map { school -> [String] in
                [school.code, school.name, Self.statusText(school, language: language)] + cells(school.counts)
            }
            rows.append([say(.cityTotal), say(.schoolsCount, city.schools.count), ""] + cells(city.totals))
            return HTMLReport.Table(title: title, columns: columns, numeric: Set(3...8), tokens: [0, 2], rows: rows)
        }
        tables.append(HTMLReport.Table(
            title: say(.packagesTitle),
            note: say(.packagesNote),
            columns: [say(.package), say(.school), say(.term), say(.generatedAt), say(.status), say(.detail)],
            tokens: [1, 2, 3, 4], paths: [0],
            rows: result.packages.map { p in
                var detail = p.problems.joined(separator: "; ")
                if let instead = p.mergedInstead { detail = say(.mergedInstead, instead) }
                if p.status == .merged { detail = say(.fingerprintPrefix, p.fingerprint.prefix(16)) + (p.signedBy.map { say(.signedByKey, $0) } ?? "") }
                return [p.name, p.schoolCode, p.term, p.generatedAt, Self.statusText(p.status, language: language), detail]
            }))
        return tables
    }

    static func statusText(_ status: PackageOutcome.Status, language: Language) -> String {
        switch status {
        case .merged: return ReportLabel.statusMerged.text(language)
        case .quarantined: return ReportLabel.statusQuarantined.text(language)
        case .superseded: return ReportLabel.statusSuperseded.text(language)
        case .identicalResend: return ReportLabel.statusIdenticalResend.text(language)
        case .otherTerm: return ReportLabel.statusOtherTerm.text(language)
        }
    }

    static func statusText(_ school: SchoolSummary, language: Language) -> String {
        switch school.status {
        case .merged: return ReportLabel.statusMerged.text(language)
        case .quarantined: return ReportLabel.statusQuarantined.text(language)
        case .missing: return ReportLabel.statusMissing.text(language)
        case .otherTermOnly: return ReportLabel.statusOtherTermOnly.text(language)
        }
    }
}
