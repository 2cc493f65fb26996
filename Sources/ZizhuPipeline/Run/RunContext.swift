import Foundation
import ZizhuCore
import ZizhuReport
import ZizhuSchema

/// Options of one run that come from the command line rather than the pipeline file.
public struct RunOptions: Sendable {
    public var quiet = false
    /// Write ids and accounts whole in the machine files (never in report.html).
    public var unmask = false
    /// The command line, recorded in the manifest.
    public var command: [String] = []
    /// Overrides the pipeline's `output`.
    public var output: String?
    /// submit: the principal's Ed25519 private key file (`--sign-key`).
    public var signKey: String?
    /// submit: the package's `generated_at` (`--generated-at`, ISO 8601); else `SOURCE_DATE_EPOCH`, else now.
    public var generatedAt: String?
    /// Called on the reader thread after each raw chunk of an input file is read, with the file's
    /// path (tests change a file in the middle of its reading with it).
    var onInputChunk: (@Sendable (String) -> Void)?
    /// `--map '[INPUT:]TITLE=field'`: a file's own titles → schema fields (see `ColumnMaps`).
    public var columnMaps: [String] = []
    /// Lines the job front-end notes before the run (the column maps used): printed and written
    /// to summary.json's notes.
    public var notes: [String] = []
    /// The sheet to read in every workbook input (`--sheet`, a name or 1-based index); nil reads
    /// each workbook's first visible sheet with data.
    public var sheet: String?
    /// The language people read the run's words in (`--lang`, `ZIZHU_LANG`, the locale): the
    /// summary, errors, rejects' descriptions, warnings, the findings' detail column, report.html
    /// and the declaration. Chinese unless `.en`.
    public var language: Language = .zh
    /// The run history (`--history` or `ZIZHU_HISTORY`; else the pipeline's `history:`): a
    /// SQLite file. nil: no history, and nothing of the outputs changes.
    public var history: String?
    /// validate --out: the most rows (accepted and rejected) `cleaned.xlsx` is written for; a larger
    /// run writes `cleaned.csv` only and says so (see `CleanedOutput`).
    public var cleanedWorkbookRows = 100_000
    /// Whether validation writes `cleaned.csv` / `cleaned.xlsx`: not for `validate` without
    /// `--out`, whose files go to a scratch folder nobody sees (a third of its time was the
    /// cleaned file at a million rows).
    public var writesCleaned = true
    /// Whether the manifest hashes the inputs and outputs: not for `validate` without `--out`,
    /// whose manifest goes to the same scratch folder (a fifth of a million-row check's CPU was
    /// hashing the file it checks), unless a history records the inputs.
    public var hashesFiles = true
    public init() {}
}

/// What a stage reports back when the run finishes.
public struct StageOutcome: Sendable {
    public var errors = 0
    public var warnings = 0
    /// Lines for the terminal summary.
    public var lines: [String] = []
    public init() {}
}

/// The result of a run: what the CLI prints and its exit status (contract §9).
public struct RunResult: Sendable {
    public var exitStatus: Int32
    public var lines: [String]
    public var outputDirectory: String
}

/// State shared by the stages of one run.
public final class RunContext: @unchecked Sendable {
    public let pipeline: CompiledPipeline
    public let options: RunOptions
    public let started = Date()
    /// Display name of every input stream, by source index (`file` or `archive.zip!entry`).
    public internal(set) var sourceNames: [String] = []
    /// Per input stream, in source-index order.
    public internal(set) var fileReports: [FileReport] = []
    public internal(set) var notes: [String] = []
    public let progress: ProgressMeter
    /// The run's history, when it has one.
    var history: HistoryHook?
    /// The inputs' digests, for the history (set before the terminal stages finish).
    var historyInputs: [FileDigest] = []
    /// The language of the run's words (`RunOptions.language`); the report writers read it.
    public var language: Language { options.language }

    init(pipeline: CompiledPipeline, options: RunOptions) {
        self.pipeline = pipeline
        self.options = options
        notes = options.notes
        progress = ProgressMeter(quiet: options.quiet)
    }

    /// The effective configuration recorded in the manifest: variables and settings as strings.
    public var configuration: [String: String] {
        var out: [String: String] = ["pipeline": pipeline.definition.name]
        for (key, value) in pipeline.definition.variables {
            switch value {
            case .string(let s): out["variables.\(key)"] = s
            case .list(let items): out["variables.\(key)"] = items.joined(separator: ",")
            }
        }
        for (key, setting) in pipeline.definition.settings {
            switch setting.value {
            case .scalar(let s): out["settings.\(key)"] = s
            case .list(let items): out["settings.\(key)"] = items.joined(separator: ",")
            case .map(let pairs): out["settings.\(key)"] = pairs.map { "\($0.0)=\($0.1)" }.joined(separator: ",")
            }
        }
        out["unmask"] = options.unmask ? "true" : "false"
        return out
    }
}

/// A stage that consumes validated rows.
public protocol RowsSink: AnyObject {
    /// Work on each batch the validation pool's workers may do for this sink beside validating
    /// (its result arrives as the batch's `prepared`); nil for none.
    var preparer: BatchPreparer? { get }
    func consume(_ batch: ValidatedBatch, validator: RowValidator, input: String) throws
    func endFile(_ report: FileReport, input: String) throws
    /// Findings known only once every file of an input was read (duplicates across rows: S01).
    func endInput(_ input: String, findings: [Discrepancy]) throws
}

/// Bytes made from a validated batch on a validation worker (`ValidatedBatch.prepared`).
public typealias BatchPreparer = @Sendable (ValidatedBatch, RowValidator) -> [UInt8]

extension RowsSink {
    public var preparer: BatchPreparer? { nil }
}

/// A stage that writes outputs when the run ends.
public protocol TerminalStage: AnyObject {
    func finish(_ context: RunContext, output: OutputDirectory) throws -> StageOutcome
}
