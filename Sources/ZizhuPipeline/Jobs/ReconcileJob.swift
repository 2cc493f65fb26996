import Foundation
import ZizhuCore
import ZizhuJobs
import ZizhuReport
import ZizhuSchema

/// `summary.json`'s reconcile section.
struct ReconcileSummary: Codable {
    var term: String
    var totals: ReconcileTotals
    var settlement: Settlement
}

/// The reconcile stage's job: routes each input's validated rows to the `Reconciler` by port
/// (approved, ledger, roster, allocations) and writes `ledger.csv` (发放台账) and
/// `settlement.json` (结算).
final class ReconcileJob: ReportJob {
    func title(_ language: Language) -> String { ReportLabel.reconcileTitle.text(language) }
    private let reconciler: Reconciler
    private let settings: ReconcileSettings
    private let unmask: Bool
    /// input name → port
    private let ports: [String: String]

    init(stage: CompiledPipeline.CompiledStage, pipeline: CompiledPipeline, unmask: Bool, language: Language = .zh) throws {
        ports = pipeline.inputPorts(of: stage)
        self.unmask = unmask
        var settings = try Self.settings(from: pipeline.definition)
        settings.language = language
        self.settings = settings
        reconciler = Reconciler(settings: settings)
        for (input, port) in ports {
            let given = pipeline.definition.inputs.first { $0.name == input }.map { !$0.files.isEmpty } ?? false
            if port == "roster", given { reconciler.markRosterGiven() }
            if port == "allocations", given { reconciler.markAllocationsGiven() }
        }
    }

    func consume(_ batch: ValidatedBatch, validator: RowValidator, input: String) throws {
        switch ports[input] {
        case "approved": reconciler.addApproved(batch, validator: validator)
        case "ledger": reconciler.addLedger(batch, validator: validator)
        case "roster": reconciler.addRoster(batch, validator: validator)
        case "allocations": reconciler.addAllocations(batch, validator: validator)
        default: break
        }
    }

    func finish(_ context: RunContext, output: OutputDirectory, validation: ValidationFacts) throws -> JobOutcome {
        let result = reconciler.finish(sourceNames: context.sourceNames)
        // 发放台账.xlsx costs about 17 µs a row (libxlsxwriter's XML and zlib, more than the rest of
        // the job together at a million rows): it is written on a thread of its own while the rest of
        // the job's files and the report stage's are, and joined before the run is complete (the
        // same bytes either way).
        let ledger = result.ledger
        _ = try output.stagedURL("ledger.csv")  // named first: the manifest lists files in order
        let workbookURL = try output.stagedURL(LedgerWorkbook.fileName)
        let term = settings.term.canonical
        let workbook = StageThread(name: "zizhu-ledger-xlsx") { try Self.writeLedgerWorkbook(ledger, to: workbookURL, term: term) }
        var joined = false
        defer { if !joined { _ = try? workbook.join() } }
        try writeLedger(result.ledger, output: output)
        try output.write(try JSONOutput.encode(result.settlement), to: "settlement.json")
        let t = result.totals
        let language = context.options.language
        func yuan(_ rows: Int, _ amount: Fen) -> String { "\(rows) · " + ReportLabel.yuan.text(language, HTMLReport.grouped(yuan: amount.yuan)) }
        let facts: [HTMLReport.Fact] = [
            .init(ReportLabel.factTerm.text(language), settings.term.canonical),
            .init(ReportLabel.factApprovedStudents.text(language), yuan(t.approvedStudents, t.approvedAmount)),
            .init(ReportLabel.factPaidRows.text(language), yuan(t.paidRows, t.paidAmount)),
            .init(ReportLabel.factFailedReversal.text(language), "\(t.failedRows) / \(t.reversalRows)"),
            .init(ReportLabel.factUnmatchedPaid.text(language), yuan(t.unmatchedPaidRows, t.unmatchedPaidAmount)),
            .init(ReportLabel.factMatchedBy.text(language), "\(t.matchedById) / \(t.matchedByAccount) / \(t.matchedByMasked)"),
            .init(ReportLabel.factUnattributed.text(language), yuan(result.settlement.unattributedRows, result.settlement.unattributedPaid)),
        ]
        let say = context.language
        var lines = [
            say("summary.reconcile.term", ["term": settings.term.canonical]),
            say("summary.reconcile.amounts", ["students": "\(t.approvedStudents)", "approved": t.approvedAmount.yuan, "rows": "\(t.paidRows)",
                                              "paid": t.paidAmount.yuan, "unmatched": "\(t.unmatchedPaidRows)"]),
            say("summary.reconcile.written"),
        ]
        lines += result.warnings.map { say("general.warning", ["text": $0.text(say)]) }
        lines += result.notes.map { say("general.note", ["text": $0]) }
        var outcome = JobOutcome(findings: result.findings, facts: facts,
                                 summary: JobSummary(reconcile: ReconcileSummary(term: settings.term.canonical, totals: t, settlement: result.settlement)),
                                 lines: lines)
        outcome.pending = workbook
        joined = true  // the report stage joins it now
        return outcome
    }

    /// 发放台账 (columns and masking: `PayoutLedgerRow`). Streamed: encoding the rows in slices on
    /// both cores was measured no faster at a million rows and held the encoded slices (+60 MB peak).
    private func writeLedger(_ rows: [PayoutLedgerRow], output: OutputDirectory) throws {
        let writer = try CSVWriter(in: output, name: "ledger.csv", header: PayoutLedgerRow.columns)
        for row in rows { try writer.writeRow(row.cells(unmask: unmask)) }
        try writer.close()
    }

    /// 发放台账.xlsx, the printable ledger: one sheet per school, ids and cards always masked.
    private static func writeLedgerWorkbook(_ rows: [PayoutLedgerRow], to url: URL, term: String) throws {
        let book = try LedgerWorkbook(url: url, term: term)
        for row in rows {
            try book.add(.init(schoolCode: row.schoolCode, studentNo: row.studentNo, name: row.name, idNumber: row.idNumber,
                               account: row.account, approved: row.approved, paid: row.paid, payDate: row.payDate?.iso ?? ""))
        }
        try book.close()
    }

    /// Reads the pipeline's settings: term (required), tiers, window, allowed_channels.
    static func settings(from definition: PipelineDefinition) throws -> ReconcileSettings {
        var settings = ReconcileSettings(term: try definition.requiredTerm(for: "reconcile"))
        if let tiers = try definition.tierSetting() { settings.tiers = tiers }
        if let setting = definition.settings["window"] {
            guard case .list(let bounds) = setting.value, bounds.count == 2,
                  case .success(let start) = CalendarDate.parse(bounds[0]), case .success(let end) = CalendarDate.parse(bounds[1]),
                  start.date <= end.date else {
                throw ZizhuError(.pipeline, Message("reconcile.window", ["mark": "\(setting.mark)"]))
            }
            settings.window = start.date...end.date
        }
        if let setting = definition.settings["allowed_channels"] {
            guard case .list(let channels) = setting.value, !channels.isEmpty else {
                throw ZizhuError(.pipeline, Message("reconcile.channels", ["mark": "\(setting.mark)"]))
            }
            settings.allowedChannels = Set(channels)
        }
        return settings
    }
}
