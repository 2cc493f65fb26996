import Foundation
import ZizhuCore
import ZizhuIngest
import ZizhuIO
import ZizhuPackage
import ZizhuReport
import ZizhuSchema

/// Runs a compiled pipeline: every input file is read on its own thread (inflate, decode, parse)
/// and handed in batches through a bounded channel to the validating thread, which runs the
/// cheap per-row stages fused and feeds the consuming stages; terminal stages then write the
/// outputs, which are committed atomically with a manifest.
public enum PipelineRunner {
    /// Version recorded in manifests.
    public static let version = "0.1.0"

    public static func run(_ pipeline: CompiledPipeline, options: RunOptions) throws -> RunResult {
        let definition = pipeline.definition
        guard let outPath = options.output ?? definition.output, !outPath.isEmpty else {
            throw ZizhuError(.usage, "no output folder", hint: "pass --out DIR (or set output: in \(definition.file))")
        }
        let context = RunContext(pipeline: pipeline, options: options)
        let output = try OutputDirectory(path: outPath)
        var stages: [String: AnyObject] = [:]
        do {
            for stage in pipeline.stages {
                switch stage.spec.name {
                case "validation-report": stages[stage.name] = try ValidationReportStage(output: output, unmask: options.unmask)
                case "reconcile":
                    let job = try ReconcileJob(stage: stage, pipeline: pipeline, unmask: options.unmask)
                    stages[stage.name] = try ValidationReportStage(output: output, unmask: options.unmask, job: job)
                case "submit":
                    let job = try SubmitJob(stage: stage, pipeline: pipeline, options: options)
                    stages[stage.name] = try ValidationReportStage(output: output, unmask: options.unmask, job: job)
                case "merge":
                    let job = try MergeJob(stage: stage, pipeline: pipeline)
                    stages[stage.name] = try ValidationReportStage(output: output, unmask: options.unmask, job: job)
                default: break
                }
            }
        } catch {
            stages.removeAll()
            output.discard()
            throw error
        }

        // Inputs are hashed for the manifest on a thread of their own while the run reads them.
        let paths = definition.inputs.flatMap(\.files)
        let digests = DigestBox()
        let hasher = StageThread(name: "zizhu-hash") {
            for path in paths where path != "-" {
                // A folder (merge's packages) is recorded as the .zip files it holds.
                var isFolder: ObjCBool = false
                let files = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
                    ? try PackageCollector.zipFiles(in: path) : [path]
                for file in files { digests.append(try FileDigest.of(URL(fileURLWithPath: file), as: file)) }
            }
        }

        do {
            for stage in pipeline.stages where stage.spec.name == "validate" {
                guard let inputName = pipeline.rootInput(of: stage.name),
                      let input = definition.inputs.first(where: { $0.name == inputName }),
                      let schema = pipeline.schemas[inputName] else { continue }
                let sinks = pipeline.consumers(of: stage.name).compactMap { stages[$0.name] as? RowsSink }
                try runInput(input, schema: schema, sinks: sinks, context: context)
            }
            var outcomes: [StageOutcome] = []
            for stage in pipeline.stages {
                if let terminal = stages[stage.name] as? TerminalStage {
                    outcomes.append(try terminal.finish(context, output: output))
                }
            }
            try hasher.join()
            var outputs: [FileDigest] = []
            for name in output.stagedNames {
                outputs.append(try FileDigest.of(output.staging.appendingPathComponent(name), as: name))
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
            try? hasher.join()
            throw error
        }
    }

    /// Reads every file of one input through ingest → validate and into the sinks.
    static func runInput(_ input: PipelineDefinition.Input, schema: TableSchema, sinks: [RowsSink], context: RunContext) throws {
        if input.files.isEmpty {
            if input.optional { return }
            throw ZizhuError(.usage, "\(input.filesMark): input '\(input.name)' has no files", hint: "give the files on the command line")
        }
        let matcher: HeaderMatcher
        do { matcher = try HeaderMatcher(schema: schema, overrides: input.columns) } catch let error as ZizhuError {
            throw ZizhuError(.pipeline, "\(input.columnsMark ?? input.mark): \(error.message)", hint: error.hint)
        }
        var options = CSVOptions()
        if let encoding = input.encoding {
            guard let value = TextEncoding(rawValue: encoding.uppercased()) else {
                throw ZizhuError(.pipeline, "\(input.mark): unknown encoding '\(encoding)'", hint: "use UTF-8, UTF-8-BOM, UTF-16LE, UTF-16BE or GB18030")
            }
            options.encoding = value
        }
        if let delimiter = input.delimiter {
            switch delimiter.lowercased() {
            case ",", "comma": options.delimiter = 0x2C
            case "\t", "tab", "\\t": options.delimiter = 0x09
            default: throw ZizhuError(.pipeline, "\(input.mark): delimiter must be comma or tab")
            }
        }
        options.lineBreakColumns = { [matcher] cells in matcher.lineBreakColumns(cells) }
        options.sheet = input.sheet ?? context.options.sheet
        let trackers = schema.fields.enumerated().compactMap { i, field in
            field.constraints?.unique == true ? UniqueTracker(field: i, finding: field.uniqueFinding ?? "DUPLICATE") : nil
        }
        for path in input.files {
            let opened = try InputOpener.open(path)
            for skipped in opened.skipped {
                context.notes.append("\(path): skipped archive entry \(skipped.entry): \(skipped.reason)")
            }
            if opened.inputs.isEmpty {
                throw ZizhuError(.archive, "no CSV file or workbook inside", at: InputPosition(file: path),
                                 hint: "an archive must hold .csv, .tsv, .txt, .csv.gz, .xlsx or .xls entries")
            }
            for openedInput in opened.inputs {
                // A workbook's sheet is chosen first, so that every position names it.
                let byteInput = try WorkbookReader.selectSheet(openedInput, sheet: options.sheet)
                let sourceIndex = context.sourceNames.count
                context.sourceNames.append(byteInput.position.displayName)
                let table = TableValidator(schema: schema, matcher: matcher, input: byteInput.position, sourceIndex: sourceIndex)
                func deliver(_ batches: [ValidatedBatch]) throws {
                    guard let validator = table.validator else { return }
                    for validated in batches {
                        for tracker in trackers { tracker.add(validated, validator: validator) }
                        for sink in sinks { try sink.consume(validated, validator: validator, input: input.name) }
                    }
                }
                // Until the header is found batches are validated here; then by the pool.
                let pool = ValidationPool()
                defer { pool.close() }
                let stats = try stream(byteInput, sourceIndex: sourceIndex, options: options, context: context) { batch in
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
        }
        var findings: [Discrepancy] = []
        for tracker in trackers {
            let title = schema.fields[tracker.field].displayTitle
            findings += tracker.findings(sourceNames: context.sourceNames, fieldTitle: title)
        }
        for sink in sinks { try sink.endInput(input.name, findings: findings) }
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
            throw ZizhuError(.ioFailure, "the reader stopped without a result", at: input.position)
        }
        return stats
    }
}

/// Hands the reader thread's statistics back to the validating thread.
final class StatsBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stats: IngestStats?
    func set(_ value: IngestStats) { lock.lock(); stats = value; lock.unlock() }
    func get() -> IngestStats? { lock.lock(); defer { lock.unlock() }; return stats }
}

/// Collects input digests computed on the hashing thread.
final class DigestBox: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [FileDigest] = []
    func append(_ digest: FileDigest) { lock.lock(); items.append(digest); lock.unlock() }
    var values: [FileDigest] { lock.lock(); defer { lock.unlock() }; return items }
}
