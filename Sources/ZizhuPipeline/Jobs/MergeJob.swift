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
    let title = "资助数据汇总报告 Merge report"
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
            throw ZizhuError(.usage, "no packages to merge",
                             hint: "give school packages ({school_code}_{term}.zip), city archives (zips of packages) or folders of them")
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
        let settings = MergeSettings(term: term.canonical, expected: expected, trust: trust)
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
        let facts: [HTMLReport.Fact] = [
            .init("学期 Term", "\(term.canonical) (\(term.chineseName))"),
            .init("申报包 Packages", "\(packages.count) found: \(summary.packages.merged) merged, \(summary.packages.quarantined) quarantined, "
                + "\(summary.packages.superseded) superseded, \(summary.packages.identicalResends) identical resends, \(summary.packages.otherTerm) other term"),
            .init("签名核验 Signatures", trust == nil ? "not required (no --trust)" : "required: every package signed with its school's trusted key"),
            .init("应报学校 Expected list", expected.map { "\($0.count) schools" } ?? "none given (no M03 check)"),
            .init("学生 Students (merged roster rows)", "\(t.students)"),
            .init("全日制在籍 Full-time enrolled", "\(t.fullTimeEnrolled)"),
            .init("申报 Applications not 退回", Self.aidText(t.applicationsByAidType)),
            .init("国家助学金申报金额 Grant amount", "\(t.grantAmount.yuan) 元"),
            .init("合并文件 Merged files", "merged/roster.csv.gz (\(result.mergedRosterRows) rows), merged/applications.csv.gz (\(result.mergedApplicationRows) rows)"),
        ]
        var lines = [
            "packages: \(packages.count) found, \(summary.packages.merged) merged, \(summary.packages.quarantined) quarantined, "
                + "\(summary.packages.superseded) superseded, \(summary.packages.identicalResends) identical resends, \(summary.packages.otherTerm) other term",
            "merged: \(result.mergedRosterRows) roster rows, \(result.mergedApplicationRows) application rows in merged/; "
                + "\(t.students) students, \(t.fullTimeEnrolled) full-time enrolled, grant amount \(t.grantAmount.yuan) yuan",
        ]
        for package in packages where package.status == .quarantined {
            lines.append("quarantined \(package.name): \(package.problems.joined(separator: "; "))")
        }
        lines += result.notes.map { "note: \($0)" }
        let rows = result.mergedRosterRows + result.mergedApplicationRows
        let read = "\(packages.count) packages read, \(summary.packages.merged) merged; \(rows) rows merged = "
            + "\(result.mergedRosterRows) roster + \(result.mergedApplicationRows) application rows"
        var outcome = JobOutcome(findings: result.findings, facts: facts, summary: JobSummary(merge: summary), lines: lines,
                                 tables: Self.tables(result), readTotal: (read, "expected list"))
        if let hook = context.history {
            outcome.packages = packages.map {
                PackageMemory.Received(schoolCode: $0.schoolCode, fingerprint: $0.fingerprint, generatedAt: $0.generatedAt,
                                       source: $0.name, verdict: $0.status.rawValue)
            }
            let earlier = try hook.history.backend.packages(term: term.canonical, schoolCode: nil)
            outcome.findings = Self.rememberResends(outcome.findings, PackageMemory.conflicts(today: outcome.packages, previous: earlier),
                                                    term: term.canonical)
        }
        return outcome
    }

    /// M05 across days (issue 16): a school whose package merged today differs from one an
    /// earlier run received gets an M05 (or today's M05 for it says so too).
    static func rememberResends(_ findings: [Discrepancy], _ conflicts: [PackageMemory.Conflict], term: String) -> [Discrepancy] {
        var findings = findings
        for conflict in conflicts {
            let earlier = conflict.earlier.map {
                "\($0.source) received \($0.receivedAt) in run \($0.runID) (generated_at \($0.generatedAt.isEmpty ? "?" : $0.generatedAt), fingerprint \($0.fingerprint.prefix(12))…)"
            }
            let detail = "earlier, other data: " + earlier.joined(separator: "; ")
                + (conflict.earlierIsNewer ? "; an earlier package was generated later than today's: send it again to merge it" : "")
            if let i = findings.firstIndex(where: { $0.code == "M05" && $0.schoolCode == conflict.schoolCode }) {
                findings[i].detail += "; " + detail
                findings[i].sources += conflict.earlier.map(\.source)
            } else {
                findings.append(Discrepancy(
                    code: "M05", term: term, schoolCode: conflict.schoolCode,
                    expected: "one package for \(conflict.schoolCode) \(term)",
                    actual: "\(conflict.earlier.count + 1) different packages (across runs)",
                    detail: "merged \(conflict.merged.source) (generated_at \(conflict.merged.generatedAt.isEmpty ? "?" : conflict.merged.generatedAt), fingerprint \(conflict.merged.fingerprint.prefix(12))…); " + detail,
                    sources: [conflict.merged.source] + conflict.earlier.map(\.source)))
            }
        }
        return findings
    }

    static func aidText(_ counts: [String: Int]) -> String {
        counts.isEmpty ? "none" : counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }

    /// report.html: one table per city (its schools and their totals), then every package.
    static func tables(_ result: MergeResult) -> [HTMLReport.Table] {
        let columns = ["学校代码 School", "学校名称 Name", "状态 Status", "学生 Students", "全日制在籍 Full-time enrolled",
                       "国家助学金 Grant apps", "免学费 Waiver apps", "助学金金额 Grant amount", "合并/隔离/被替代 Merged/quarantined/superseded"]
        func cells(_ counts: SchoolCounts) -> [String] {
            ["\(counts.students)", "\(counts.fullTimeEnrolled)", "\(counts.applicationsByAidType["国家助学金"] ?? 0)",
             "\(counts.applicationsByAidType["免学费"] ?? 0)", counts.grantAmount.yuan,
             "\(counts.packagesMerged) / \(counts.packagesQuarantined) / \(counts.packagesSuperseded)"]
        }
        var tables = result.cities.map { city -> HTMLReport.Table in
            let title = city.code.isEmpty ? "城市未知 City unknown" : "\(city.name.isEmpty ? "城市" : city.name) \(city.code)"
            var rows = city.schools.map { school -> [String] in
                [school.code, school.name, Self.statusText(school), ] + cells(school.counts)
            }
            rows.append(["合计 Total", "\(city.schools.count) schools", ""] + cells(city.totals))
            return HTMLReport.Table(title: title, columns: columns, numeric: Set(3...8), rows: rows)
        }
        tables.append(HTMLReport.Table(
            title: "申报包 Packages",
            note: "Every package found; a quarantined package is named with each reason, and nothing of it was merged.",
            columns: ["申报包 Package", "学校 School", "学期 Term", "生成时间 generated_at", "状态 Status", "说明 Detail"],
            rows: result.packages.map { p in
                var detail = p.problems.joined(separator: "; ")
                if let instead = p.mergedInstead { detail = "merged instead: \(instead)" }
                if p.status == .merged { detail = "fingerprint \(p.fingerprint.prefix(16))…" + (p.signedBy.map { ", signed by key \($0)" } ?? "") }
                return [p.name, p.schoolCode, p.term, p.generatedAt, p.status.rawValue, detail]
            }))
        return tables
    }

    static func statusText(_ school: SchoolSummary) -> String {
        switch school.status {
        case .merged: return "已合并 merged"
        case .quarantined: return "已隔离 quarantined"
        case .missing: return "未报送 missing"
        case .otherTermOnly: return "仅其他学期 other term only"
        }
    }
}
