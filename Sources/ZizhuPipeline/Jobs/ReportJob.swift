import ZizhuCore
import ZizhuReport
import ZizhuSchema

/// A job's part of a report stage: it consumes validated rows by input name and, at the end,
/// writes its own files and hands back its findings. The report stage around it writes what
/// every job shares (rejects, warnings, discrepancies, summary, report.html).
protocol ReportJob: AnyObject {
    /// The page title of report.html.
    var title: String { get }
    func consume(_ batch: ValidatedBatch, validator: RowValidator, input: String) throws
    func finish(_ context: RunContext, output: OutputDirectory) throws -> JobOutcome
}

/// What a job adds to the shared outputs.
struct JobOutcome {
    /// The job's findings (its codes of §6); validation's own findings are summarized apart.
    var findings: [Discrepancy]
    var facts: [HTMLReport.Fact]
    /// The job's section of summary.json.
    var summary: JobSummary
    var lines: [String]
}

/// The job-specific part of `summary.json`.
struct JobSummary: Codable {
    var reconcile: ReconcileSummary?
}
