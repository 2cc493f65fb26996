import Foundation
import ZizhuCore
import ZizhuHistory
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
    /// With a history: the school codes the rows name (the run's scope); nil without.
    private var schoolsSeen: Set<String>?
    private var lastSchool: [UInt8] = []
    /// The language of the rejects' descriptions and the summary.
    private let language: Language

    init(output: OutputDirectory, unmask: Bool, language: Language = .zh, job: ReportJob? = nil, history: Bool = false,
         cleanedWorkbookRows: Int = CleanedOutput.workbookRowLimit, writesCleaned: Bool = true) throws {
        self.unmask = unmask
        self.language = language
        self.job = job
        schoolsSeen = history ? [] : nil
        rejects = try CSVWriter(in: output, name: "rejects.csv", header: FindingsWriter.rejectColumns)
        warnings = try CSVWriter(in: output, name: "warnings.csv", header: FindingsWriter.rejectColumns)
        cleaned = job == nil && writesCleaned ? try CleanedOutput(output: output, unmask: unmask, language: language, workbookLimit: cleanedWorkbookRows) : nil
    }

    /// `cleaned.csv`'s rows are encoded by the validation workers.
    var preparer: BatchPreparer? {
        guard let cells = cleaned?.cells else { return nil }
        return { batch, validator in cells.encodeRows(batch, validator: validator) }
    }

    func consume(_ batch: ValidatedBatch, validator: RowValidator, input: String) throws {
        try job?.consume(batch, validator: validator, input: input)
        try cleaned?.consume(batch, validator: validator)
        for issue in batch.rejects {
            try rejects.writeRow(Self.cells(issue, language))
            if shownRejects.count < HTMLReport.rejectLimit {
                shownRejects.append(.init(file: issue.file, line: issue.line, column: issue.column, value: issue.value,
                                          rule: issue.rule, message: issue.message(language), hint: issue.hint(language) ?? ""))
            }
        }
        rejectTotal += batch.rejects.count
        for issue in batch.warnings { try warnings.writeRow(Self.cells(issue, language)) }
        warningTotal += batch.warnings.count
        findings += batch.findings
        findingInputs += Array(repeating: input, count: batch.findings.count)
        let schema = validator.schema
        if schoolsSeen != nil, let field = schema.fields.firstIndex(where: { $0.name == "school_code" }) {
            noteSchools(batch, field: field)
        }
        if !schemas.contains(schema.name) { schemas.append(schema.name) }
        for (field, spec) in schema.fields.enumerated() where spec.type == .money {
            var sum: Int64 = 0
            for row in 0..<batch.count { if case .money(let fen) = batch.value(row, field) { sum &+= fen.value } }
            moneyTotals["\(schema.name).\(spec.name)", default: 0] &+= sum
        }
    }

    func endFile(_ report: FileReport, input: String) throws {}

    /// Adds the batch's school codes to `schoolsSeen` (rows of one school come together: a code
    /// is made a String only when it differs from the row before).
    private func noteSchools(_ batch: ValidatedBatch, field: Int) {
        for row in 0..<batch.count {
            let ref: TextRef
            switch batch.value(row, field) {
            case .text(let r), .otherID(let r): ref = r
            default: continue
            }
            // One look at the bytes: the same code as the row before (memcmp), else kept.
            let school = batch.withBytes(ref) { bytes -> [UInt8]? in
                let same = bytes.count == lastSchool.count && lastSchool.withUnsafeBufferPointer { last in
                    guard let a = last.baseAddress, let b = bytes.baseAddress else { return true }
                    return memcmp(a, b, bytes.count) == 0
                }
                return same ? nil : Array(bytes)
            }
            if let school {
                lastSchool = school
                schoolsSeen?.insert(String(decoding: school, as: UTF8.self))
            }
        }
    }

    func endInput(_ input: String, findings: [Discrepancy]) throws {
        self.findings += findings
        findingInputs += Array(repeating: input, count: findings.count)
    }

    static func cells(_ issue: RowIssue, _ language: Language) -> [String] {
        FindingsWriter.rejectCells(file: issue.file, line: issue.line, column: issue.column, value: issue.value,
                                   rule: issue.rule, message: issue.message(language), hint: issue.hint(language))
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
        // A job's output still being written (reconcile's 发放台账.xlsx): joined before the run is
        // recorded and complete; on a failure, waited for before the staging folder goes.
        var pending: StageThread?
        defer { if let pending { _ = try? pending.join() } }
        if let job {
            let facts = ValidationFacts(findings: Array(zip(findingInputs, findings)).map { (input: $0.0, finding: $0.1) },
                                        rowsRejected: context.fileReports.reduce(0) { $0 + $1.rowsRejected })
            let outcome = try job.finish(context, output: output, validation: facts)
            if !outcome.adoptsValidationFindings {
                for finding in findings { validationFindings[finding.code, default: 0] += 1 }
            }
            findings = outcome.findings
            pending = outcome.pending
            jobOutcome = outcome
        }
        // Contract order once; then masked unless --unmask (as FindingsWriter.prepared does).
        let sorted = findings.sorted(by: Discrepancy.contractOrder)
        let machine = unmask ? sorted : sorted.map(FindingsWriter.masked)
        // What people read: the machine copy, masked when the machine copy is not.
        let people = unmask ? FindingsWriter.prepared(machine, unmask: false) : machine
        // With a history: the run is recorded on a thread of its own while the outputs are
        // written (one transaction, committed once report.html is written; rolled back when an
        // output fails, and the run is then recorded as failed). Each finding gets its status,
        // first_seen and note as soon as the transaction has planned them.
        var history: [FindingsWriter.HistoryCells]?
        var sinceLastRun: String?
        var recording: History.Recording?
        defer { recording?.abort() }
        if let hook = context.history {
            let rejected = context.fileReports.reduce(0) { $0 + $1.rowsRejected }
            let errors = rejected + sorted.filter { $0.severity == .error }.count
            // The masked copy is index for index the sorted findings' (not so with --unmask).
            let started = hook.startRecording(context, findings: sorted, masked: unmask ? nil : machine,
                                              schoolsSeen: schoolsSeen ?? [], exitStatus: errors > 0 ? 1 : 0,
                                              totals: moneyTotals, packages: jobOutcome?.packages ?? [],
                                              deferWriting: HistoryHook.defersWriting(besidePendingOutput: pending != nil))
            recording = started
            let planned = try started.planned()
            history = planned.annotations.map {
                FindingsWriter.HistoryCells(status: $0.status.rawValue, firstSeen: $0.firstSeen, note: $0.note)
            }
            sinceLastRun = HistoryHook.sinceLastRun(planned, language: language)
        }
        try FindingsWriter.writeCSV(machine, history: history, to: output.stagedURL("discrepancies.csv"))
        try FindingsWriter.writeJSON(machine, history: history, to: output.stagedURL("discrepancies.json"))
        try FindingsWorkbook.write(machine, history: history, to: output.stagedURL(FindingsWorkbook.fileName))

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
        let language = context.options.language
        // What the run read: the validated files, and the files a job read itself (merge: packages and archives).
        var filesRead = "\(totals.files)"
        if let jobFiles = jobOutcome?.filesRead, jobFiles > 0 {
            filesRead = ReportLabel.factFilesValue.text(language, totals.files + jobFiles, jobFiles, totals.files)
        }
        var html = HTMLReport(
            title: job?.title(language) ?? ReportLabel.validationTitle.text(language),
            subtitle: ReportLabel.subtitle.text(language, PipelineRunner.version, context.pipeline.definition.name, schemas.joined(separator: ", ")),
            facts: [
                .init(ReportLabel.factFiles.text(language), filesRead),
                .init(ReportLabel.factRowsRead.text(language), "\(totals.rowsRead)"),
                .init(ReportLabel.factAccepted.text(language), "\(totals.rowsAccepted)"),
                .init(ReportLabel.factRejected.text(language), "\(totals.rowsRejected)"),
                .init(ReportLabel.factBlank.text(language), "\(totals.blankRows)"),
                .init(ReportLabel.factFindings.text(language), ReportLabel.factFindingsValue.text(language, findings.count, errorFindings)),
                .init(ReportLabel.factRowWarnings.text(language), ReportLabel.factRowWarningsValue.text(language, warningTotal)),
            ] + (jobOutcome?.facts ?? []) + moneyTotals.keys.sorted().map {
                .init(ReportLabel.factMoneyTotal.text(language, $0), HTMLReport.grouped(yuan: Fen(moneyTotals[$0] ?? 0).yuan))
            },
            tables: jobOutcome?.tables ?? [],
            files: reports.map { r in
                HTMLReport.FileRow(name: r.displayName, encoding: [r.encoding, r.delimiter].compactMap { $0 }.joined(separator: ", "),
                                   read: r.rowsRead, accepted: r.rowsAccepted, rejected: r.rowsRejected, blank: r.blankRows,
                                   notes: r.titleLines.map { ReportLabel.titleLineSkipped.text(language, $0.line, $0.text) }
                                       + (r.trailerLines ?? []).map { ReportLabel.trailerLineSkipped.text(language, $0.line, $0.text) } + r.notes)
            },
            findings: people, rejects: shownRejects, rejectTotal: rejectTotal, language: language)
        html.sinceLastRun = sinceLastRun
        try output.write(try html.render(), to: "report.html")
        // The outputs of this stage are written: the store writes the run's rows meanwhile.
        recording?.write()
        if let thread = pending {
            pending = nil
            try thread.join()
        }
        if let started = recording {
            recording = nil
            try started.commit()
            context.history?.committed()
        }

        var outcome = StageOutcome()
        outcome.errors = totals.rowsRejected + errorFindings
        outcome.warnings = findings.count - errorFindings + warningTotal
        let say = language
        for report in reports {
            var line = say("summary.file", ["file": report.displayName, "read": "\(report.rowsRead)",
                                            "accepted": "\(report.rowsAccepted)", "rejected": "\(report.rowsRejected)"])
            if report.blankRows > 0 { line += say("summary.file.blank", ["count": "\(report.blankRows)"]) }
            if !report.titleLines.isEmpty { line += say("summary.file.titles", ["count": "\(report.titleLines.count)"]) }
            if let trailers = report.trailerLines, !trailers.isEmpty { line += say("summary.file.trailers", ["count": "\(trailers.count)"]) }
            outcome.lines.append(line)
            for note in report.notes { outcome.lines.append(say("summary.file.warning", ["text": note])) }
        }
        let list = say("summary.list")
        let top = rejectsByRule.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(5)
        if !top.isEmpty {
            outcome.lines.append(say("summary.topRejectRules", ["rules": top.map { "\($0.key) \($0.value)" }.joined(separator: list)]))
        }
        outcome.lines += jobOutcome?.lines ?? []
        if let sinceLastRun { outcome.lines.append(sinceLastRun) }
        if !byCode.isEmpty {
            outcome.lines.append(say("summary.findings", ["codes": byCode.keys.sorted().map { "\($0) \(byCode[$0] ?? 0)" }.joined(separator: list)]))
        }
        let rows = say("summary.rows", ["read": "\(totals.rowsRead)", "accepted": "\(totals.rowsAccepted)", "rejected": "\(totals.rowsRejected)"])
        if let read = jobOutcome?.readTotal, totals.files > 0 {
            outcome.lines.append(say("summary.total.withRows", ["text": read.text, "label": read.rowsLabel, "rows": rows]))
        } else {
            outcome.lines.append(say("summary.total", ["text": jobOutcome?.readTotal?.text ?? rows]))
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
