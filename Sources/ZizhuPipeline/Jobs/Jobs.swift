import Foundation
import ZizhuCore
import ZizhuIO
import ZizhuSchema

/// The job commands are thin front-ends over bundled pipeline files: each fills a pipeline's
/// variables from its arguments and runs it.
public enum Jobs {
    /// `zizhu validate --schema NAME FILE… [--out DIR]`.
    public static func validate(schema: String, files: [String], out: String?, options: RunOptions) throws -> RunResult {
        guard !files.isEmpty else { throw ZizhuError(.usage, Message("error.validate.noFiles"), hint: Message("error.validate.noFiles.hint")) }
        // A mistyped built-in name is answered with the schema names, not the pipeline's path.
        _ = try ProjectFiles.locate(schema, folder: "schemas", ext: "json")
        var options = options
        // Without --out the reports go to a private scratch folder (mkdtemp) that is removed
        // after the run; no output folder is printed then.
        let scratch = try out == nil ? PrivateFolder.make(prefix: "zizhu-validate") : nil
        defer { if let scratch { try? FileManager.default.removeItem(atPath: scratch) } }
        options.output = out ?? scratch.map { $0 + "/report" }
        options.writesCleaned = out != nil
        options.hashesFiles = out != nil
        let definition = try ColumnMaps.apply(options.columnMaps, to: PipelineDefinition.load("validate", variables: ["schema": .string(schema), "files": .list(files)]),
                                              options: &options)
        var result = try PipelineRunner.run(try CompiledPipeline.compile(definition), options: options)
        if scratch != nil { result.outputDirectory = "" }
        return result
    }

    /// `zizhu reconcile --term T --approved F… --ledger F… [--roster F…] [--allocations F] [--config F.yaml] --out DIR`.
    public static func reconcile(term: String, approved: [String], ledger: [String], roster: [String], allocations: [String],
                                 config: String?, out: String, options: RunOptions) throws -> RunResult {
        guard !approved.isEmpty else { throw ZizhuError(.usage, Message("error.reconcile.noApproved"), hint: Message("error.reconcile.noApproved.hint")) }
        guard !ledger.isEmpty else { throw ZizhuError(.usage, Message("error.reconcile.noLedger"), hint: Message("error.reconcile.noLedger.hint")) }
        var options = options
        options.output = out
        let definition = try ColumnMaps.apply(options.columnMaps, to: PipelineDefinition.load(config ?? "finance-reconcile", variables: [
            "term": .string(term), "approved": .list(approved), "ledger": .list(ledger),
            "roster": .list(roster), "allocations": .list(allocations),
        ]), options: &options)
        return try PipelineRunner.run(try CompiledPipeline.compile(definition), options: options)
    }

    /// `zizhu submit --term T --school-code CODE [--school-city REGION] --roster F --applications F
    /// [--sign-key KEY] [--config F.yaml] --out DIR`.
    public static func submit(term: String, schoolCode: String, schoolCity: String?, schoolName: String? = nil,
                              roster: [String], applications: [String],
                              config: String?, out: String, options: RunOptions) throws -> RunResult {
        guard !roster.isEmpty else { throw ZizhuError(.usage, Message("error.submit.noRoster"), hint: Message("error.submit.noRoster.hint")) }
        guard !applications.isEmpty else { throw ZizhuError(.usage, Message("error.submit.noApplications"), hint: Message("error.submit.noApplications.hint")) }
        var options = options
        options.output = out
        let definition = try ColumnMaps.apply(options.columnMaps, to: PipelineDefinition.load(config ?? "school-submit", variables: [
            "term": .string(term), "school_code": .string(schoolCode), "school_city": .string(schoolCity ?? ""),
            "school_name": .string(schoolName ?? ""),
            "roster": .list(roster), "applications": .list(applications),
        ]), options: &options)
        return try PipelineRunner.run(try CompiledPipeline.compile(definition), options: options)
    }

    /// `zizhu merge --term T [--expected SCHOOLS.csv] [--trust KEYS_DIR] [--config F.yaml] --out DIR INPUT…`:
    /// INPUTs are school packages, city archives (zips of packages) or folders of either.
    public static func merge(term: String, inputs: [String], expected: String?, trust: String?,
                             config: String?, out: String, options: RunOptions) throws -> RunResult {
        guard !inputs.isEmpty else {
            throw ZizhuError(.usage, Message("error.merge.noPackages"), hint: Message("error.merge.noPackages.hint"))
        }
        var options = options
        options.output = out
        let definition = try PipelineDefinition.load(config ?? "province-merge", variables: [
            "term": .string(term), "inputs": .list(inputs), "expected": .list(expected.map { [$0] } ?? []),
            "trust": .string(trust ?? ""),
        ])
        return try PipelineRunner.run(try CompiledPipeline.compile(definition), options: options)
    }

    /// `zizhu run PIPELINE.yaml --set k=v…`.
    public static func run(pipeline: String, sets: [String], out: String?, options: RunOptions) throws -> RunResult {
        var variables: [String: VariableValue] = [:]
        for item in sets {
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
                throw ZizhuError(.usage, Message("error.run.set", ["text": item]))
            }
            let name = String(item[..<eq])
            let value = String(item[item.index(after: eq)...])
            if case .list(let existing)? = variables[name] {
                variables[name] = .list(existing + [value])
            } else if case .string(let existing)? = variables[name] {
                variables[name] = .list([existing, value])
            } else {
                variables[name] = .string(value)
            }
        }
        var options = options
        options.output = out
        let definition = try PipelineDefinition.load(pipeline, variables: variables)
        return try PipelineRunner.run(try CompiledPipeline.compile(definition), options: options)
    }
}
