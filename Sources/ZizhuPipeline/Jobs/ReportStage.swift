import Foundation
import ZizhuCore
import ZizhuReport
import ZizhuSchema

/// The report of every run — stage kind `validation-report` alone, or wrapped around a job's
/// stage (reconcile, submit, merge): streams rejects and row warnings to CSV as they come,
/// gathers findings and per-file reports, and writes `rejects.csv`, `warnings.csv`,
/// `discrepancies.csv/.json`, `summary.json` and `report.html`. With a `job` the job's findings
/// fill the discrepancies and validation's own findings are only counted (unless the job adopts
/// them). Findings are put in contract order once, here, for every output.
final class ReportStage: RowsSink, TerminalStage {
    private let job: ReportJob?
    private let rejects: CSVWriter
    private let warnings: CSVWriter
    private let unmask: Bool
    private var findings: [Discrepancy] = []
    /// Input name of each entry of `findings` (validation's findings, before the job's replace them).
    private var findingInputs: [String] = []
    private var shownRejects: [HTMLReport.Reject] = []
    private var rejectTotal = 0
    private var warningTotal = 0
    private var schemas: [String] = []
    private var moneyTotals: [String: Int64] = [:]
    /// `cleaned.csv` / `cleaned.xlsx`, written by validation alone (no job).
    private let cleaned: CleanedOutput?

    init(output: OutputDirectory, unmask: Bool, job: ReportJob? = nil, cleanedWorkbookRows: Int = CleanedOutput.workbookRowLimit) throws {
        self.unmask = unmask
        self.job = job
        rejects = try CSVWriter(url: output.stagedURL("rejects.csv"), header: FindingsWriter.rejectColumns)
        warnings = try CSVWriter(url: output.stagedURL("warnings.csv"), header: FindingsWriter.rejectColumns)
        cleaned = job == nil ? try CleanedOutput(output: output, unmask: unmask, workbookLimit: cleanedWorkbookRows) : nil
    }

    func consume(_ batch: ValidatedBatch, validator: RowValidator, input: String) throws {
        try job?.consume(batch, validator: validator, input: input)
        try cleaned?.consume(batch, validator: validator)
        for issue in batch.rejects {
            try rejects.writeRow(Self.cells(issue))
            if shownRejects.count < HTMLReport.rejectLimit {
                shownRejects.append(.init(file: issue.file, line: issue.line, column: issue.column, value: issue.value,
                                          rule: issue.rule, message: issue.message))
            }
        }
        rejectTotal += batch.rejects.count
        for issue in batch.warnings { try warnings.writeRow(Self.cells(issue)) }
        warningTotal += batch.warnings.count
        findings += batch.findings
        findingInputs += Array(repeating: input, count: batch.findings.count)
        let schema = validator.schema
        if !schemas.contains(schema.name) { schemas.append(schema.name) }
        for (field, spec) in schema.fields.enumerated() where spec.type == .money {
            var sum: Int64 = 0
            for row in 0..<batch.count { if case .money(let fen) = batch.value(row, field) { sum &+= fen.value } }
            moneyTotals["\(schema.name).\(spec.name)", default: 0] &+= sum
        }
    }

    func endFile(_ report: FileReport, input: String) throws {}

    func endInput(_ input: String, findings: [Discrepancy]) throws {
        self.findings += findings
        findingInputs += Array(repeating: input, count: findings.count)
    }

    static func cells(_ issue: RowIssue) -> [String] {
        FindingsWriter.rejectCells(file: issue.file, line: issue.line, column: issue.column, value: issue.value,
                                   rule: issue.rule, message: issue.message, hint: issue.hint)
    }

    /// `report` with any id or account in its notes, title lines and column titles masked (contract §9).
    static func masked(_ report: FileReport) -> FileReport {
        var report = report
        report.notes = report.notes.map(Masking.text)
        report.titleLines = report.titleLines.map { var title = $0; title.text = Masking.text(title.text); return title }
        report.trailerLines = report.trailerLines?.map { var trailer = $0; trailer.text = Masking.text(trailer.text); return trailer }
        report.columns = report.columns.map { var column = $0; column.title = Masking.text(column.title); return column }
        return report
    }

    func finish(_ context: RunContext, output: OutputDirectory) throws -> StageOutcome {
        try rejects.close()
        try warnings.close()
        if let note = try cleaned?.finish() { context.notes.append(note) }
        var validationFindings: [String: Int] = [:]
        var jobOutcome: JobOutcome?
        if let job {
            let facts = ValidationFacts(findings: Array(zip(findingInputs, findings)).map { (input: $0.0, finding: $0.1) },
                                        rowsRejected: context.fileReports.reduce(0) { $0 + $1.rowsRejected })
            let outcome = try job.finish(context, output: output, validation: facts)
            if !outcome.adoptsValidationFindings {
                for finding in findings { validationFindings[finding.code, default: 0] += 1 }
            }
            findings = outcome.findings
            jobOutcome = outcome
        }
        let machine = FindingsWriter.prepared(findings, unmask: unmask)
        // What people read: the machine copy, masked when the machine copy is not.
        let people = unmask ? FindingsWriter.prepared(machine, unmask: false) : machine
        try FindingsWriter.writeCSV(machine, to: output.stagedURL("discrepancies.csv"))
        try FindingsWriter.writeJSON(machine, to: output.stagedURL("discrepancies.json"))
        try FindingsWorkbook.write(machine, to: output.stagedURL(FindingsWorkbook.fileName))

        let reports = context.fileReports
        var byCode: [String: Int] = [:]
        for finding in findings { byCode[finding.code, default: 0] += 1 }
        var rejectsByRule: [String: Int] = [:]
        var warningsByRule: [String: Int] = [:]
        for report in reports {
            for (rule, n) in report.rejectsByRule { rejectsByRule[rule, default: 0] += n }
            for (rule, n) in report.warningsByRule { warningsByRule[rule, default: 0] += n }
        }
        let totals = ValidationSummary.Totals(
            files: reports.count, rowsRead: reports.reduce(0) { $0 + $1.rowsRead },
            rowsAccepted: reports.reduce(0) { $0 + $1.rowsAccepted }, rowsRejected: reports.reduce(0) { $0 + $1.rowsRejected },
            blankRows: reports.reduce(0) { $0 + $1.blankRows })
        let summary = ValidationSummary(
            pipeline: context.pipeline.definition.name, schemas: schemas, files: unmask ? reports : reports.map(Self.masked), totals: totals,
            findingsByCode: byCode, rejectsByRule: rejectsByRule, warningsByRule: warningsByRule,
            money: moneyTotals.mapValues { Fen($0).yuan },
            notes: (context.notes + (jobOutcome?.lines ?? [])).map { unmask ? $0 : Masking.text($0) },
            validationFindingsByCode: validationFindings, job: jobOutcome?.summary)
        try output.write(try JSONOutput.encode(summary), to: "summary.json")

        let errorFindings = findings.filter { $0.severity == .error }.count
        let html = HTMLReport(
            title: job?.title ?? "数据校验报告 Validation report",
            subtitle: "zizhu \(PipelineRunner.version) · pipeline \(context.pipeline.definition.name) · schema \(schemas.joined(separator: ", "))",
            facts: [
                .init("文件 Files", "\(totals.files)"),
                .init("读入行 Rows read", "\(totals.rowsRead)"),
                .init("接受 Accepted", "\(totals.rowsAccepted)"),
                .init("拒绝 Rejected", "\(totals.rowsRejected)"),
                .init("空行 Blank rows (not data)", "\(totals.blankRows)"),
                .init("发现问题 Findings", "\(findings.count) (\(errorFindings) errors)"),
                .init("行警告 Row warnings", "\(warningTotal) (warnings.csv)"),
            ] + (jobOutcome?.facts ?? []) + moneyTotals.keys.sorted().map { .init("金额合计 \($0) (accepted rows)", Fen(moneyTotals[$0] ?? 0).yuan) },
            tables: jobOutcome?.tables ?? [],
            files: reports.map { r in
                HTMLReport.FileRow(name: r.displayName, encoding: [r.encoding, r.delimiter].compactMap { $0 }.joined(separator: ", "),
                                   read: r.rowsRead, accepted: r.rowsAccepted, rejected: r.rowsRejected, blank: r.blankRows,
                                   notes: r.titleLines.map { "title line \($0.line) skipped: \($0.text)" }
                                       + (r.trailerLines ?? []).map { "trailer line \($0.line) skipped: \($0.text)" } + r.notes)
            },
            findings: people, rejects: shownRejects, rejectTotal: rejectTotal)
        try output.write(try html.render(), to: "report.html")

        var outcome = StageOutcome()
        outcome.errors = totals.rowsRejected + errorFindings
        outcome.warnings = findings.count - errorFindings + warningTotal
        for report in reports {
            var line = "\(report.displayName): \(report.rowsRead) rows read, \(report.rowsAccepted) accepted, \(report.rowsRejected) rejected"
            if report.blankRows > 0 { line += ", \(report.blankRows) blank" }
            if !report.titleLines.isEmpty { line += "; \(report.titleLines.count) title line(s) skipped" }
            if let trailers = report.trailerLines, !trailers.isEmpty { line += "; \(trailers.count) trailer line(s) skipped" }
            outcome.lines.append(line)
            for note in report.notes { outcome.lines.append("  warning: \(note)") }
        }
        let top = rejectsByRule.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(5)
        if !top.isEmpty { outcome.lines.append("top reject rules: " + top.map { "\($0.key) \($0.value)" }.joined(separator: ", ")) }
        outcome.lines += jobOutcome?.lines ?? []
        if !byCode.isEmpty { outcome.lines.append("findings: " + byCode.keys.sorted().map { "\($0) \(byCode[$0] ?? 0)" }.joined(separator: ", ")) }
        let rows = "\(totals.rowsRead) read = \(totals.rowsAccepted) accepted + \(totals.rowsRejected) rejected"
        if let read = jobOutcome?.readTotal {
            outcome.lines.append("total: \(read.text)" + (totals.files > 0 ? "; \(read.rowsLabel): \(rows)" : ""))
        } else {
            outcome.lines.append("total: \(rows)")
        }
        return outcome
    }
}

/// `summary.json` of a validation run.
struct ValidationSummary: Codable {
    var pipeline: String
    var schemas: [String]
    var files: [FileReport]
    var totals: Totals
    var findingsByCode: [String: Int]
    var rejectsByRule: [String: Int]
    var warningsByRule: [String: Int]
    /// Money columns summed over accepted rows, in yuan.
    var money: [String: String]
    var notes: [String]
    /// With a job: validation's own findings (S01, S09 …), counted, not listed.
    var validationFindingsByCode: [String: Int]
    var job: JobSummary?

    struct Totals: Codable {
        var files: Int
        var rowsRead: Int
        var rowsAccepted: Int
        var rowsRejected: Int
        var blankRows: Int
    }
}
