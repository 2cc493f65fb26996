import Foundation
import ZizhuCore
import ZizhuHistory
import ZizhuReport

/// A run's link to its history (`--history`, `ZIZHU_HISTORY` or `history:` in the pipeline):
/// opened before anything is read, so a history that cannot be opened stops the run at once;
/// the report stage records the run with its findings (one transaction) and gets each finding's
/// status, first_seen and note; a run that fails records a failed run.
final class HistoryHook: @unchecked Sendable {
    let history: History
    /// reconcile | submit | merge | validate
    let job: String
    let term: String
    /// submit: the school submitting; nil otherwise (the schools are those the inputs name).
    let fixedSchools: [String]?
    /// merge covers every school of the term.
    let coversAll: Bool
    private(set) var recorded = false

    /// `--history`, else `ZIZHU_HISTORY`, else the pipeline's `history:`; nil for none.
    static func location(_ pipeline: CompiledPipeline, options: RunOptions) -> String? {
        History.location(flag: options.history) ?? pipeline.definition.history
    }

    /// nil when the run has no history (`options.history` already resolved by `location`).
    static func open(_ pipeline: CompiledPipeline, options: RunOptions) throws -> HistoryHook? {
        guard let location = options.history else { return nil }
        let kinds = Set(pipeline.stages.map(\.kind.name))
        let job = ["reconcile", "submit", "merge"].first { kinds.contains($0) } ?? "validate"
        var term = ""
        if job != "validate", let text = pipeline.definition.setting("term"), case .success(let parsed) = Term.parse(text) {
            term = parsed.canonical
        }
        let school = pipeline.definition.setting("school_code") ?? ""
        return HistoryHook(history: try History.open(location), job: job, term: term,
                           fixedSchools: job == "submit" && !school.isEmpty ? [school] : nil, coversAll: job == "merge")
    }

    private init(history: History, job: String, term: String, fixedSchools: [String]?, coversAll: Bool) {
        self.history = history
        self.job = job
        self.term = term
        self.fixedSchools = fixedSchools
        self.coversAll = coversAll
    }

    /// The run's scope: its term and the schools its inputs named (or every school).
    func scope(schoolsSeen: Set<String>, findings: [Discrepancy]) -> HistoryScope {
        if coversAll { return HistoryScope(term: term, schools: nil) }
        if let fixedSchools { return HistoryScope(term: term, schools: fixedSchools) }
        let schools = schoolsSeen.union(findings.map(\.schoolCode)).filter { !$0.isEmpty }
        return HistoryScope(term: term, schools: schools.isEmpty ? nil : Array(schools))
    }

    func facts(_ context: RunContext, scope: HistoryScope, exitStatus: Int, totals: [String: Int64],
               packages: [PackageMemory.Received] = []) -> RunFacts {
        let configuration = context.configuration
        let received = HistoryLifecycle.timestamp(context.started)
        return RunFacts(job: job, scope: scope, toolVersion: PipelineRunner.version,
                        configHash: HistoryHash.hex(configuration.keys.sorted().map { "\($0)=\(configuration[$0] ?? "")" }),
                        command: context.options.command.joined(separator: " "), startedAt: context.started, finishedAt: Date(),
                        exitStatus: exitStatus,
                        inputs: context.historyInputs.map { (name: $0.path, bytes: $0.bytes, sha256: $0.sha256) },
                        totals: totals,
                        packages: packages.map {
                            PackageRecord(schoolCode: $0.schoolCode, term: term, fingerprint: $0.fingerprint, generatedAt: $0.generatedAt,
                                          verdict: $0.verdict, source: $0.source, receivedAt: received)
                        })
    }

    /// Starts recording the finished run with its findings (in contract order) beside the writing
    /// of its outputs: see `History.startRecording` (`masked`: the findings as the reports show
    /// them, or nil; `deferWriting`: the rows wait for `write()`). `committed(_:)` follows a
    /// successful commit.
    func startRecording(_ context: RunContext, findings: [Discrepancy], masked: [Discrepancy]?, schoolsSeen: Set<String>,
                        exitStatus: Int, totals: [String: Int64], packages: [PackageMemory.Received],
                        deferWriting: Bool) -> History.Recording {
        let scope = scope(schoolsSeen: schoolsSeen, findings: findings)
        return history.startRecording(facts(context, scope: scope, exitStatus: exitStatus, totals: totals, packages: packages),
                                      findings: findings, masked: masked, deferWriting: deferWriting)
    }

    /// Whether the store's writing should wait until the report stage's own outputs are written:
    /// when a job's output is still being written on a thread of its own (reconcile's 发放台账.xlsx,
    /// the longest part of the run) and the machine has no third core — a third busy thread would
    /// slow that one, which the run waits for; once the report stage's outputs are written, the
    /// store writes on the core they leave.
    static func defersWriting(besidePendingOutput pending: Bool,
                              cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> Bool {
        pending && cores <= 2
    }

    /// The run is in the history: a failure after this does not record a failed run.
    func committed() {
        recorded = true
    }

    /// Records a run that stopped with `error` (unless it was recorded already). A history that
    /// cannot record it does not hide the run's own error.
    func recordFailure(_ context: RunContext, error: any Error) {
        guard !recorded else { return }
        let status = (error as? ZizhuError)?.code.exitStatus ?? 3
        let scope = HistoryScope(term: term, schools: coversAll ? nil : fixedSchools ?? [])
        _ = try? history.recordFailure(facts(context, scope: scope, exitStatus: Int(status), totals: [:]), reason: "\(error)")
        recorded = true
    }

    /// The line report.html and the terminal show: "since the last run: N new, M resolved, K still open".
    static func sinceLastRun(_ recorded: History.Recorded, language: Language) -> String {
        let run = recorded.run
        let counts = ["new": "\(run.newCount)", "resolved": "\(run.resolvedCount)", "open": "\(run.stillOpen)", "run": "\(run.id)"]
        guard let previous = recorded.previousRunID else {
            return Message("history.firstRun", counts).text(language)
        }
        return Message("history.sinceLastRun", counts.merging(["previous": "\(previous)"]) { $1 }).text(language)
    }
}
