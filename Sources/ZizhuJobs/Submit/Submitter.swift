import Foundation
import ZizhuCore
import ZizhuSchema

/// What a submit run produced: the findings (S02–S08, S10–S12, in the order the checks made
/// them; `adopt` adds validation's S01 and S09, and the report puts every finding in contract
/// order once), the package's data files, and notes for the summary.
public struct SubmitResult: Sendable {
    public var findings: [Discrepancy]
    /// Normalized UTF-8 CSV (LF, no BOM, header = field names), rows sorted.
    public var rosterCSV: [UInt8]
    public var applicationsCSV: [UInt8]
    public var rosterRows: Int
    public var applicationRows: Int
    /// Application rows of another term: checked by nothing and left out of the package.
    public var otherTermRows: Int
    /// The school's name: the pipeline's, else the one most roster rows give, else the code.
    public var schoolName: String
    public var notes: [String]
}

/// The school-submission engine (contract §6 submit): collects the validated roster and
/// applications, then checks them against each other, the deadlines, the working-day calendar
/// and the school's city, and writes the normalized, sorted package data.
///
/// A school holds at most tens of thousands of rows, so rows are kept whole (canonical text)
/// for the package; the checks index them by id.
public final class Submitter: @unchecked Sendable {
    public let settings: SubmitSettings
    private let lock = NSLock()
    private var roster: [SubmitRosterRow] = []
    private var applications: [SubmitApplicationRow] = []
    private var rosterFields: [String] = []
    private var applicationFields: [String] = []
    /// 学校名称 written in an applications file's extra column (the schema has no such field), by count.
    private var applicationSchoolNames: [String: Int] = [:]

    public init(settings: SubmitSettings) {
        self.settings = settings
    }

    public func addRoster(_ batch: ValidatedBatch, validator: RowValidator) {
        let fields = FieldIndex(validator)
        let rows = (0..<batch.count).map { SubmitRosterRow(batch, row: $0, validator: validator, fields: fields, term: settings.term) }
        lock.withLock {
            if rosterFields.isEmpty { rosterFields = validator.schema.fields.map(\.name) }
            roster += rows
        }
    }

    public func addApplications(_ batch: ValidatedBatch, validator: RowValidator) {
        let fields = FieldIndex(validator)
        let rows = (0..<batch.count).map { SubmitApplicationRow(batch, row: $0, validator: validator, fields: fields, term: settings.term) }
        // A 学校名称 column is not an applications field, but it names the school when the roster does not.
        let titles = validator.mapping.unknownColumns.map { validator.mapping.titles[$0].filter { !$0.isWhitespace } }
        var names: [String: Int] = [:]
        if let extra = titles.firstIndex(where: { $0 == "学校名称" || $0 == "院校名称" }) {
            for row in 0..<batch.count {
                let name = batch.extra(row, extra)
                if !name.isEmpty { names[name, default: 0] += 1 }
            }
        }
        lock.withLock {
            if applicationFields.isEmpty { applicationFields = validator.schema.fields.map(\.name) }
            applications += rows
            applicationSchoolNames.merge(names, uniquingKeysWith: +)
        }
    }

    /// Runs the checks. Throws when a status change falls in a year without a shipped
    /// working-day calendar (S07 cannot be decided; the calendar must be added, not guessed).
    public func finish(sourceNames: [String]) throws -> SubmitResult {
        try lock.withLock {
            var check = SubmitChecks(settings: settings, roster: roster, applications: applications, sourceNames: sourceNames,
                                      rosterFields: rosterFields, applicationFields: applicationFields)
            try check.run()
            let schoolName = check.schoolName(fallback: applicationSchoolNames)
            let (rosterCSV, rosterRows) = Self.csv(fields: rosterFields, rows: check.packageRoster(schoolName: schoolName))
            let (applicationsCSV, applicationRows) = Self.csv(fields: applicationFields, rows: check.packageApplications())
            return SubmitResult(findings: check.findings,
                                rosterCSV: rosterCSV, applicationsCSV: applicationsCSV,
                                rosterRows: rosterRows, applicationRows: applicationRows,
                                otherTermRows: check.otherTermRows,
                                schoolName: schoolName, notes: check.notes)
        }
    }

    /// `finding` described by the roster row its first source names. Validation describes a
    /// duplicate id (S01) by the row that repeated it — it keeps only the first row's position,
    /// not its cells, to stay small at a million rows — while a registrar looks for the first row.
    public func describedByFirstRow(_ finding: Discrepancy, sourceNames: [String]) -> Discrepancy {
        guard let first = finding.sources.first, let colon = first.lastIndex(of: ":"),
              let line = Int(first[first.index(after: colon)...]),
              let source = sourceNames.firstIndex(of: String(first[..<colon])) else { return finding }
        let at = SourceLine(source: source, line: line)
        return lock.withLock {
            guard let row = roster.first(where: { $0.at == at }) else { return finding }
            var f = finding
            f.studentNo = row.studentNo
            f.name = row.name
            return f
        }
    }

    /// Plain CSV for machines: UTF-8 without BOM, LF, a cell quoted only when it holds a comma,
    /// a quote or a line break. No formula guard: these bytes are data, not a spreadsheet.
    static func csv(fields: [String], rows: [[String]]) -> ([UInt8], Int) {
        var out: [UInt8] = []
        func line(_ cells: [String]) {
            for (i, cell) in cells.enumerated() {
                if i > 0 { out.append(0x2C) }
                if cell.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
                    out.append(0x22)
                    for byte in cell.utf8 {
                        if byte == 0x22 { out.append(0x22) }
                        out.append(byte)
                    }
                    out.append(0x22)
                } else {
                    out += cell.utf8
                }
            }
            out.append(0x0A)
        }
        line(fields)
        for row in rows { line(row) }
        return (out, rows.count)
    }
}
