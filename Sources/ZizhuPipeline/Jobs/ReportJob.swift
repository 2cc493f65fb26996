import ZizhuCore
import ZizhuHistory
import ZizhuReport
import ZizhuSchema

/// A job's part of a report stage: it consumes validated rows by input name and, at the end,
/// writes its own files and hands back its findings. The report stage around it writes what
/// every job shares (rejects, warnings, discrepancies, summary, report.html).
protocol ReportJob: AnyObject {
    /// The page title of report.html, in the run's language.
    func title(_ language: Language) -> String
    func consume(_ batch: ValidatedBatch, validator: RowValidator, input: String) throws
    /// Writes the job's own files and returns its findings; `validation` is what validating the
    /// inputs found (its findings — S01, S09 … — and how many rows it rejected).
    func finish(_ context: RunContext, output: OutputDirectory, validation: ValidationFacts) throws -> JobOutcome
}

/// What validation found before the job ran.
struct ValidationFacts {
    /// Findings made while validating (duplicate ids S01, identity S09 …), by input name.
    var findings: [(input: String, finding: Discrepancy)]
    var rowsRejected: Int
}

/// What a job adds to the shared outputs.
struct JobOutcome {
    /// The job's findings (its codes of §6); validation's own findings are summarized apart.
    var findings: [Discrepancy]
    var facts: [HTMLReport.Fact]
    /// The job's section of summary.json.
    var summary: JobSummary
    var lines: [String]
    /// Whether `findings` already holds validation's findings (submit reports S01 and S09 as its
    /// own); otherwise they are only counted in summary.json.
    var adoptsValidationFindings = false
    /// The job's own tables in report.html (merge: one per city).
    var tables: [HTMLReport.Table] = []
    /// What the job itself read, for the run's `total:` line when its inputs are not the rows
    /// validated (merge reads packages); `rowsLabel` names the validated rows counted beside it.
    var readTotal: (text: String, rowsLabel: String)?
    /// How many input files the job read itself, beside the validated ones (merge: the packages,
    /// archives and folders named on the command line) — report.html's 文件 fact counts both.
    var filesRead = 0
    /// merge, with a history: the packages received, to remember (M05 across days).
    var packages: [PackageMemory.Received] = []
    /// An output the job is still writing on a thread of its own (reconcile: 发放台账.xlsx), so the
    /// report stage writes its files meanwhile; joined before the run's outputs are complete.
    var pending: StageThread?
}

/// The job-specific part of `summary.json`.
struct JobSummary: Codable {
    var reconcile: ReconcileSummary?
    var submit: SubmitSummary?
    var merge: MergeSummary?
}
