import Foundation
import ZizhuCore
import ZizhuIngest
import ZizhuIO
import ZizhuJobs
import ZizhuPackage
import ZizhuReport
import ZizhuSchema

/// Runs a compiled pipeline.
///
/// Every stage is built by its kind's factory (`StageKind.registry`). Each input's files are
/// read in turn: a reader thread inflates, decodes and parses a file into record batches and
/// hands them through a bounded channel to the run's thread, which validates the batches up to
/// the header itself and then deals them to the `ValidationPool` (one worker per core, at most
/// four), collects the results in order and feeds the sinks. Regular input files are hashed for
/// the manifest on a thread of their own meanwhile; a pipe or standard input is hashed by the
/// reader as its bytes pass. Terminal stages then write their outputs, which are committed
/// atomically with a manifest.
public enum PipelineRunner {
    /// Version recorded in manifests.
    public static let version = "0.1.0"

    public static func run(_ pipeline: CompiledPipeline, options: RunOptions) throws -> RunResult {
        let definition = pipeline.definition
        var options = options
        options.history = HistoryHook.location(pipeline, options: options)
        guard let outPath = options.output ?? definition.output, !outPath.isEmpty else {
            throw ZizhuError(.usage, Message("error.run.noOutput"), hint: Message("error.run.noOutput.hint", ["file": definition.file]))
        }
        let context = RunContext(pipeline: pipeline, options: options)
        context.history = try HistoryHook.open(pipeline, options: options)
        let output = try OutputDirectory(path: outPath)
        var built: [String: BuiltStage] = [:]
        do {
            for stage in pipeline.stages {
                built[stage.name] = try stage.kind.build(StageBuild(stage: stage, pipeline: pipeline, options: options, output: output))
            }
        } catch {
            built.removeAll()
            output.discard()
            context.history?.recordFailure(context, error: error)
            throw error
        }

        // Regular input files are hashed for the manifest on a thread of their own while the run
        // reads them; a pipe or standard input is hashed as the reader reads it (runInput).
        // A check without --out (its manifest in a scratch folder) hashes nothing but for a history.
        let hashes = options.hashesFiles || context.history != nil
        let paths = definition.inputs.flatMap(\.files)
        let digests = DigestBox(count: paths.count)
        let hasher = StageThread(name: "zizhu-hash") {
            guard hashes else { return }
            for (i, path) in paths.enumerated() {
                // A folder (merge's packages) is recorded as the .zip files it holds.
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue {
                    for file in try PackageCollector.zipFiles(in: path) {
                        digests.append(try FileDigest.of(URL(fileURLWithPath: file), as: file), at: i)
                    }
                } else if FileStamp.of(path) != nil {
                    digests.append(try FileDigest.of(URL(fileURLWithPath: path), as: path), at: i)
                }
            }
        }

        // The hasher is joined once: before the terminal stages when the history records the inputs.
        var hasherJoined = false
        do {
            for stage in pipeline.stages {
                guard case .validate(let validate)? = built[stage.name], let upstream = stage.sources["in"]?.first,
                      case .ingest(let ingest)? = built[upstream] else { continue }
                let sinks = pipeline.consumers(of: stage.name).compactMap { built[$0.name]?.sink }
                let streamed = try runInput(ingest, validate, sinks: sinks, context: context)
                for digest in streamed {
                    for (i, path) in paths.enumerated() where path == digest.path { digests.append(digest, at: i) }
                }
            }
            if context.history != nil {
                hasherJoined = true
                try hasher.join()
                context.historyInputs = digests.values
            }
            var outcomes: [StageOutcome] = []
            for stage in pipeline.stages {
                if let terminal = built[stage.name]?.sink {
                    outcomes.append(try terminal.finish(context, output: output))
                }
            }
            if !hasherJoined {
                hasherJoined = true
                try hasher.join()
            }
            var outputs: [FileDigest] = []
            for name in output.stagedNames where hashes {
                outputs.append(try output.digest(of: name))
            }
            let manifest = RunManifest(version: version, command: options.command, pipeline: definition.file,
                                       configuration: context.configuration, inputs: digests.values, outputs: outputs,
                                       startedAt: context.started, finishedAt: Date())
            try output.write(try JSONOutput.encode(manifest), to: "manifest.json")
            try output.commit()
            context.progress.finish()
            let errors = outcomes.reduce(0) { $0 + $1.errors }
            return RunResult(exitStatus: errors > 0 ? 1 : 0, lines: context.notes + outcomes.flatMap(\.lines),
                             outputDirectory: output.url.path)
        } catch {
            context.progress.finish()
            output.discard()
            if !hasherJoined { try? hasher.join() }
            context.history?.recordFailure(context, error: error)
            throw error
        }
    }

    /// Reads every file of one input through its ingest and validate stages into the sinks.
    /// Returns the digests of the inputs that are not regular files (hashed as they were read).
    static func runInput(_ ingest: IngestStage, _ validate: ValidateStage, sinks: [any RowsSink],
                         context: RunContext) throws -> [FileDigest] {
        let input = ingest.input
        let schema = validate.schema
        if input.files.isEmpty {
            if input.optional { return [] }
            // The job commands take the files as flags; `zizhu run` as the pipeline's variable.
            let variables = context.pipeline.definition.variables
            let variable = variables[input.name] != nil ? input.name : variables["files"] != nil ? "files" : input.name
            throw ZizhuError(.usage, Message("error.run.noFiles", ["mark": "\(input.filesMark)", "input": input.name]),
                             hint: Message("error.run.noFiles.hint", ["variable": variable]))
        }
        let trackers = validate.uniqueTrackers()
        var streamed: [FileDigest] = []
        // A quote left open in a column that cannot hold a line break cuts its line (the schema says which).
        var readOptions = ingest.options
        readOptions.lineBreakColumns = { [matcher = validate.matcher] cells in matcher.lineBreakColumns(cells) }
        readOptions.sheet = input.sheet ?? context.options.sheet
        for path in input.files {
            // A regular file is stamped before it is opened and checked after it is read.
            let before = FileStamp.of(path)
            let tap = InputTap(path: path, hashes: before == nil, onChunk: context.options.onInputChunk)
            let opened = try InputOpener.open(path)
            for skipped in opened.skipped {
                context.notes.append(context.language("note.archive.skipped", ["path": path, "entry": skipped.entry, "reason": skipped.reason]))
            }
            if opened.inputs.isEmpty {
                throw ZizhuError(.archive, Message("error.run.emptyArchive"), at: InputPosition(file: path),
                                 hint: Message("error.run.emptyArchive.hint"))
            }
            var readWhole = false
            for openedInput in opened.inputs {
                // A workbook's sheet is chosen first, so that every position names it.
                let selected = try WorkbookReader.selectSheet(openedInput, sheet: readOptions.sheet)
                // Text read from a file or standard input from first byte to last passes the tap (the
                // hash of a pipe, the bytes read); a workbook is read through its zip directory instead.
                let pumped = selected.readsWholeFile && selected.format == .text
                let byteInput = pumped ? selected.observed(by: tap) : selected
                readWhole = readWhole || pumped
                let sourceIndex = context.sourceNames.count
                context.sourceNames.append(byteInput.position.displayName)
                let table = TableValidator(schema: schema, matcher: validate.matcher, input: byteInput.position, sourceIndex: sourceIndex)
                table.language = context.language
                func deliver(_ batches: [ValidatedBatch]) throws {
                    guard let validator = table.validator else { return }
                    for validated in batches {
                        for tracker in trackers { tracker.add(validated, validator: validator) }
                        for sink in sinks { try sink.consume(validated, validator: validator, input: input.name) }
                    }
                }
                // Until the header is found batches are validated here; then by the pool.
                let pool = ValidationPool(prepare: sinks.lazy.compactMap(\.preparer).first)
                defer { pool.close() }
                let stats = try stream(byteInput, sourceIndex: sourceIndex, options: readOptions, context: context) { batch in
                    if let batchValidator = table.batchValidator {
                        for result in try pool.submit(batch, with: batchValidator) { try deliver(table.merge(result)) }
                    } else {
                        try deliver(table.consume(batch))
                    }
                }
                for result in try pool.drain() { try deliver(table.merge(result)) }
                var report = try table.finish()
                report.encoding = stats.encoding.rawValue
                report.delimiter = stats.delimiter == "\t" ? "tab" : "comma"
                report.bytes = stats.sourceBytes
                report.physicalLines = stats.physicalLines
                context.fileReports.append(report)
                for sink in sinks { try sink.endFile(report, input: input.name) }
            }
            if let before {
                try before.check(after: FileStamp.of(path), bytesRead: readWhole ? tap.bytesRead : nil, path: path)
            } else if let digest = tap.fileDigest {
                streamed.append(digest)
            }
        }
        var findings: [Discrepancy] = []
        for tracker in trackers {
            let title = schema.fields[tracker.field].displayTitle
            findings += tracker.findings(sourceNames: context.sourceNames, fieldTitle: title, language: context.language)
        }
        for sink in sinks { try sink.endInput(input.name, findings: findings) }
        return streamed
    }

    /// Reads one stream on a reader thread and calls `body` with each batch on this thread.
    static func stream(_ input: ByteInput, sourceIndex: Int, options: CSVOptions, context: RunContext,
                       _ body: (RecordBatch) throws -> Void) throws -> IngestStats {
        let channel = Channel<RecordBatch>(capacity: 4)
        let box = StatsBox()
        let reader = StageThread(name: "zizhu-read") {
            do {
                let stats = try RecordReader(input: input, sourceIndex: sourceIndex, options: options).read { batch in
                    try channel.send(batch)
                }
                box.set(stats)
                channel.close()
            } catch {
                channel.close(throwing: error)
            }
        }
        context.progress.begin()
        var rows = 0
        do {
            while let batch = try channel.receive() {
                rows += batch.count
                context.progress.update(input.position.displayName, rows: rows, bytes: batch.recordOffsets.last ?? 0)
                try body(batch)
            }
        } catch {
            channel.cancel()
            try? reader.join()
            throw error
        }
        try reader.join()
        guard let stats = box.get() else {
            throw ZizhuError(.ioFailure, Message("run.readerStopped"), at: input.position)
        }
        return stats
    }
}

/// Hands the reader thread's statistics back to the run's thread.
final class StatsBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stats: IngestStats?
    func set(_ value: IngestStats) { lock.lock(); stats = value; lock.unlock() }
    func get() -> IngestStats? { lock.lock(); defer { lock.unlock() }; return stats }
}

/// Collects input digests, computed on the hashing thread or by the readers, in the order of
/// the paths they belong to.
final class DigestBox: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [[FileDigest]]
    init(count: Int) { slots = Array(repeating: [], count: count) }
    func append(_ digest: FileDigest, at index: Int) { lock.lock(); slots[index].append(digest); lock.unlock() }
    var values: [FileDigest] { lock.lock(); defer { lock.unlock() }; return slots.flatMap { $0 } }
}
