import Foundation
import ZizhuCore
import ZizhuJobs
import ZizhuPackage
import ZizhuReport
import ZizhuSchema

/// `summary.json`'s submit section.
struct SubmitSummary: Codable {
    var term: String
    var schoolCode: String
    var schoolName: String
    var schoolCity: String?
    /// Whether the package and declaration were written (no error-severity finding, no reject).
    var packageWritten: Bool
    /// `{school_code}_{term}.zip` when written.
    var package: String?
    var rosterRows: Int
    var applicationRows: Int
    var otherTermApplicationRows: Int
    /// The declaration's counts and fingerprint, when the package was written.
    var counts: DeclarationCounts?
    var fingerprint: String?
    var signedBy: String?
}

/// The submit stage's wiring: routes validated roster and application rows to the `Submitter`,
/// hands it validation's findings to adopt, and — when the `PackageDecision` allows — writes the
/// package `{school_code}_{term}.zip` and `declaration.html`.
final class SubmitJob: ReportJob {
    func title(_ language: Language) -> String { ReportLabel.submitTitle.text(language) }
    private let submitter: Submitter
    private let settings: SubmitSettings
    private let options: RunOptions
    /// input name → port
    private let ports: [String: String]

    init(stage: CompiledPipeline.CompiledStage, pipeline: CompiledPipeline, options: RunOptions) throws {
        ports = pipeline.inputPorts(of: stage)
        self.options = options
        var settings = try Self.settings(from: pipeline.definition)
        settings.language = options.language
        self.settings = settings
        submitter = Submitter(settings: settings)
        // Read the signing key now: a bad key is a usage error before any input is read.
        if let path = options.signKey { _ = try SigningKeyFile.load(path) }
    }

    func consume(_ batch: ValidatedBatch, validator: RowValidator, input: String) throws {
        switch ports[input] {
        case "roster": submitter.addRoster(batch, validator: validator)
        case "applications": submitter.addApplications(batch, validator: validator)
        default: break
        }
    }

    func finish(_ context: RunContext, output: OutputDirectory, validation: ValidationFacts) throws -> JobOutcome {
        let result = try submitter.finish(sourceNames: context.sourceNames)
        let term = settings.term.canonical
        // Validation's findings on these inputs (S01 duplicate registration, S09 identity) are submit's.
        let findings = result.findings + submitter.adopt(
            validationFindings: validation.findings.filter { ports[$0.input] != nil }.map(\.finding),
            sourceNames: context.sourceNames)
        let decision = PackageDecision(findings: findings, rejectedRows: validation.rowsRejected)
        var summary = SubmitSummary(term: term, schoolCode: settings.schoolCode, schoolName: result.schoolName, schoolCity: settings.schoolCityCode,
                                    packageWritten: false, package: nil, rosterRows: result.rosterRows,
                                    applicationRows: result.applicationRows, otherTermApplicationRows: result.otherTermRows)
        let language = context.options.language
        var facts: [HTMLReport.Fact] = [
            .init(ReportLabel.factSchool.text(language), "\(result.schoolName) (\(settings.schoolCode))"),
            .init(ReportLabel.factTerm.text(language), term),
            .init(ReportLabel.factRosterRows.text(language), "\(result.rosterRows)"),
            .init(ReportLabel.factApplicationRows.text(language), "\(result.applicationRows)"),
        ]
        var lines: [String] = []
        let say = context.language
        if !decision.mayWrite {
            let why = decision.reasons
            facts.append(.init(ReportLabel.factPackage.text(language), ReportLabel.factPackageNotWritten.text(language, why.joined(separator: ", "))))
            lines.append(say("summary.submit.noPackage", ["reasons": why.joined(separator: say("summary.submit.and"))]))
        } else {
            let package = try writePackage(result, context: context, output: output)
            summary.packageWritten = true
            summary.package = package.fileName
            summary.counts = package.declaration.counts
            summary.fingerprint = package.declaration.fingerprint
            summary.signedBy = package.declaration.signature?.keyId
            facts.append(.init(ReportLabel.factPackage.text(language), package.fileName))
            facts.append(.init(ReportLabel.factFingerprint.text(language), package.declaration.fingerprint))
            facts.append(.init(ReportLabel.factFullTimeEnrolled.text(language), "\(package.declaration.counts.fullTimeEnrolled)"))
            facts.append(.init(ReportLabel.factGrantAmount.text(language), ReportLabel.yuan.text(language, HTMLReport.grouped(yuan: package.declaration.counts.grantAmount))))
            lines.append(say("summary.submit.written", ["package": package.fileName, "fingerprint": package.declaration.fingerprint]))
            if let key = package.declaration.signature?.keyId { lines.append(say("summary.submit.signed", ["key": key])) }
        }
        var notes = result.notes
        let unknown = context.fileReports.flatMap { report in report.columns.filter { $0.field == nil }.map(\.title) }
        if !unknown.isEmpty {
            var seen = Set<String>()
            let titles = unknown.filter { !$0.isEmpty && seen.insert($0).inserted }
            if !titles.isEmpty {
                notes.append(say("summary.submit.unknownColumns", ["titles": titles.joined(separator: say("summary.list"))]))
            }
        }
        lines += notes.map { say("general.note", ["text": $0]) }
        return JobOutcome(findings: findings, facts: facts, summary: JobSummary(submit: summary), lines: lines,
                          adoptsValidationFindings: true)
    }

    private struct WrittenPackage {
        var fileName: String
        var declaration: Declaration
    }

    /// Builds the package from the normalized data, writes it and declaration.html into the output.
    private func writePackage(_ result: SubmitResult, context: RunContext, output: OutputDirectory) throws -> WrittenPackage {
        let key = try options.signKey.map { try SigningKeyFile.load($0) }
        let input = PackageInput(
            schoolCode: settings.schoolCode, schoolName: result.schoolName,
            schoolCity: settings.schoolCityCode,
            term: settings.term.canonical, termName: settings.term.chineseName,
            generatedAt: try Self.generatedAt(options.generatedAt, started: context.started),
            tool: "zizhu \(PipelineRunner.version)",
            rosterCSV: result.rosterCSV, applicationsCSV: result.applicationsCSV)
        let built = try PackageBuilder.build(input, signingKey: key)
        let fileName = PackageFormat.fileName(schoolCode: settings.schoolCode, term: settings.term.canonical)
        try built.write(to: output.stagedURL(fileName).path)
        let page = DeclarationPage(declaration: built.declaration, manifest: built.manifest, packageFileName: fileName,
                                   language: context.options.language)
        try output.write(try page.render(), to: "declaration.html")
        return WrittenPackage(fileName: fileName, declaration: built.declaration)
    }

    /// `generated_at`: `--generated-at`, else `SOURCE_DATE_EPOCH`, else now — in Beijing time (+08:00).
    static func generatedAt(_ given: String?, started: Date) throws -> String {
        var date = started
        if let given, !given.isEmpty {
            let formatter = ISO8601DateFormatter()
            guard let parsed = formatter.date(from: given) else {
                throw ZizhuError(.usage, Message("error.submit.generatedAt", ["text": given]), hint: Message("error.submit.generatedAt.hint"))
            }
            date = parsed
        } else if let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], !epoch.isEmpty {
            guard let seconds = Int64(epoch) else {
                throw ZizhuError(.usage, Message("submit.epoch", ["epoch": epoch]))
            }
            date = Date(timeIntervalSince1970: TimeInterval(seconds))
        }
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        return formatter.string(from: date)
    }

    /// Reads the pipeline's settings: term and school_code (required), school_city, schools,
    /// tiers, registration_deadline, application_deadline, special_hardship, status_change_working_days.
    static func settings(from definition: PipelineDefinition) throws -> SubmitSettings {
        let term = try definition.requiredTerm(for: "submit")
        guard let school = definition.setting("school_code")?.trimmingCharacters(in: .whitespaces), !school.isEmpty else {
            throw ZizhuError(.usage, Message("error.submit.noSchoolCode", ["file": definition.file]), hint: Message("error.submit.noSchoolCode.hint"))
        }
        try PackageFormat.checkSchoolCode(school)
        var settings = SubmitSettings(term: term, schoolCode: school)
        if let setting = definition.settings["schools"] {
            guard case .map(let pairs) = setting.value else {
                throw ZizhuError(.pipeline, Message("submit.schools", ["mark": "\(setting.mark)"]))
            }
            for (code, city) in pairs where code == school {
                settings.schoolCity = try region(city, mark: setting.mark.description)
            }
        }
        if let city = definition.setting("school_city"), !city.isEmpty {
            settings.schoolCity = try region(city, mark: definition.settings["school_city"]?.mark.description ?? definition.file)
        }
        if let name = definition.setting("school_name")?.trimmingCharacters(in: .whitespaces), !name.isEmpty {
            settings.schoolName = name
        }
        if let tiers = try definition.tierSetting() { settings.tiers = tiers }
        if let date = try deadline(definition, "registration_deadline", term: term) { settings.registrationDeadline = date }
        if let date = try deadline(definition, "application_deadline", term: term) { settings.applicationDeadline = date }
        if let setting = definition.settings["special_hardship"] {
            guard case .list(let types) = setting.value else {
                throw ZizhuError(.pipeline, Message("submit.specialHardship", ["mark": "\(setting.mark)"]))
            }
            settings.specialHardship = Set(types)
        }
        if let setting = definition.settings["status_change_working_days"] {
            guard case .scalar(let text) = setting.value, let days = Int(text), days >= 0 else {
                throw ZizhuError(.pipeline, Message("submit.workingDays", ["mark": "\(setting.mark)"]))
            }
            settings.statusChangeWorkingDays = days
        }
        return settings
    }

    /// A region setting: a six-digit code or a name (青岛市) resolved with the shipped table.
    private static func region(_ text: String, mark: String) throws -> Int32 {
        guard let region = RegionTable.shared.resolve(text) else {
            throw ZizhuError(.usage, Message("error.submit.region", ["mark": "\(mark)", "text": text]), hint: Message("error.submit.region.hint"))
        }
        return Int32(region.code)
    }

    /// A deadline: a full date, or `{spring: 04-20, fall: 10-20}` month-days for the term's year.
    private static func deadline(_ definition: PipelineDefinition, _ key: String, term: Term) throws -> CalendarDate? {
        guard let setting = definition.settings[key] else { return nil }
        let bad = ZizhuError(.pipeline, Message("submit.deadline", ["mark": "\(setting.mark)", "key": key]))
        switch setting.value {
        case .scalar(let text):
            guard case .success(let parsed) = CalendarDate.parse(text) else { throw bad }
            return parsed.date
        case .map(let pairs):
            guard let monthDay = pairs.first(where: { $0.0 == term.season.rawValue })?.1 else { return nil }
            let parts = monthDay.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 2, let date = CalendarDate(year: term.year, month: parts[0], day: parts[1]) else { throw bad }
            return date
        case .list:
            throw bad
        }
    }
}
