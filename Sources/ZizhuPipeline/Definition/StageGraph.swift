import ZizhuCore
import ZizhuSchema

/// What flows along an edge of the stage graph: files of a schema, raw record batches of a
/// schema, validated rows of a schema, or a finished report.
public struct FlowType: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable { case source, records, rows, report }
    public var kind: Kind
    /// The schema's name (`roster`); nil for reports.
    public var schema: String?
    public var description: String { schema.map { "\(kind.rawValue)<\($0)>" } ?? kind.rawValue }

    /// The input schema `package`: school packages, city archives or folders of them, read by a
    /// merge stage itself (not CSV: no ingest or validate stage reads them).
    public static let packageSchema = "package"
}

/// A stage kind's ports and output, used to type-check a pipeline when it is loaded.
public struct StageKindSpec: Sendable {
    public struct Port: Sendable {
        public var name: String
        public var accepts: FlowType.Kind
        /// The schema the port needs (nil: any).
        public var schema: String?
        public var multiple: Bool
        public var optional: Bool
    }
    public var name: String
    public var ports: [Port]
    /// The output kind; its schema is the first port's (ingest and validate keep the schema).
    public var output: FlowType.Kind
    public var summary: String

    /// Every stage kind this build knows.
    public static var all: [StageKindSpec] { registry }

    static let registry: [StageKindSpec] = [
        StageKindSpec(name: "ingest", ports: [Port(name: "in", accepts: .source, schema: nil, multiple: false, optional: false)],
                      output: .records, summary: "read CSV / gzip / zip files into record batches"),
        StageKindSpec(name: "validate", ports: [Port(name: "in", accepts: .records, schema: nil, multiple: false, optional: false)],
                      output: .rows, summary: "normalize and validate records against the input's schema"),
        StageKindSpec(name: "validation-report", ports: [Port(name: "in", accepts: .rows, schema: nil, multiple: true, optional: false)],
                      output: .report, summary: "write rejects.csv, summary.json, report.html for validated rows"),
        StageKindSpec(name: "reconcile", ports: [
            Port(name: "approved", accepts: .rows, schema: "applications", multiple: false, optional: false),
            Port(name: "ledger", accepts: .rows, schema: "ledger", multiple: true, optional: false),
            Port(name: "roster", accepts: .rows, schema: "roster", multiple: true, optional: true),
            Port(name: "allocations", accepts: .rows, schema: "allocations", multiple: false, optional: true),
        ], output: .report, summary: "match approved grants against bank payouts: R01–R14, ledger.csv, settlement.json"),
        StageKindSpec(name: "submit", ports: [
            Port(name: "roster", accepts: .rows, schema: "roster", multiple: false, optional: false),
            Port(name: "applications", accepts: .rows, schema: "applications", multiple: false, optional: false),
        ], output: .report, summary: "check a school's submission (S01–S11); write its package and declaration"),
        StageKindSpec(name: "merge", ports: [
            Port(name: "packages", accepts: .source, schema: FlowType.packageSchema, multiple: true, optional: false),
            Port(name: "expected", accepts: .rows, schema: "schools", multiple: false, optional: true),
        ], output: .report, summary: "verify school packages and city archives and merge them: M01–M06, merged roster and applications"),
    ]

    public static func named(_ name: String) -> StageKindSpec? { registry.first { $0.name == name } }
}

/// A pipeline whose stage graph has been checked: every `from` resolves to an input or an earlier
/// stage whose output type fits the port, and every input's schema loads.
public struct CompiledPipeline: Sendable {
    public var definition: PipelineDefinition
    public var schemas: [String: TableSchema]
    public var stages: [CompiledStage]

    public struct CompiledStage: Sendable {
        public var name: String
        public var spec: StageKindSpec
        /// port → upstream names (inputs or stages)
        public var sources: [String: [String]]
        public var output: FlowType
    }

    /// Stages that read from `upstream`.
    public func consumers(of upstream: String) -> [CompiledStage] {
        stages.filter { stage in stage.sources.values.contains { $0.contains(upstream) } }
    }

    public func stage(_ name: String) -> CompiledStage? { stages.first { $0.name == name } }

    /// Type-checks `definition`.
    public static func compile(_ definition: PipelineDefinition) throws -> CompiledPipeline {
        var types: [String: FlowType] = [:]
        var schemas: [String: TableSchema] = [:]
        for input in definition.inputs {
            if input.schema == FlowType.packageSchema {
                guard types[input.name] == nil else { throw ZizhuError(.pipeline, "\(input.mark): duplicate name '\(input.name)'") }
                types[input.name] = FlowType(kind: .source, schema: FlowType.packageSchema)
                continue
            }
            let schema: TableSchema
            do { schema = try TableSchema.named(input.schema) } catch let error as ZizhuError {
                throw ZizhuError(.pipeline, "\(input.schemaMark): input '\(input.name)': \(error.message)", hint: error.hint)
            }
            schemas[input.name] = schema
            guard types[input.name] == nil else { throw ZizhuError(.pipeline, "\(input.mark): duplicate name '\(input.name)'") }
            types[input.name] = FlowType(kind: .source, schema: schema.name)
        }
        var compiled: [CompiledStage] = []
        for stage in definition.stages {
            guard let spec = StageKindSpec.named(stage.kind) else {
                throw ZizhuError(.pipeline, "\(stage.kindMark): unknown stage kind '\(stage.kind)'",
                                 hint: "known kinds: \(StageKindSpec.all.map(\.name).joined(separator: ", "))")
            }
            guard types[stage.name] == nil else { throw ZizhuError(.pipeline, "\(stage.mark): duplicate name '\(stage.name)'") }
            var sources: [String: [String]] = [:]
            var outputSchema: String?
            for (port, source, mark) in stage.from {
                guard let portSpec = spec.ports.first(where: { $0.name == port }) else {
                    throw ZizhuError(.pipeline, "\(mark): stage '\(stage.name)' (\(spec.name)) has no port '\(port)'",
                                     hint: "its ports: \(spec.ports.map(\.name).joined(separator: ", "))")
                }
                guard let type = types[source] else {
                    throw ZizhuError(.pipeline, "\(mark): '\(source)' is neither an input nor a stage defined above",
                                     hint: "stages may only read from inputs and from stages listed before them")
                }
                guard type.kind == portSpec.accepts else {
                    throw ZizhuError(.pipeline, "\(mark): stage '\(stage.name)' (\(spec.name)) takes \(portSpec.accepts.rawValue) on port '\(port)', but '\(source)' gives \(type)",
                                     hint: hintFor(from: type.kind, to: portSpec.accepts))
                }
                if let needed = portSpec.schema, type.schema != needed {
                    throw ZizhuError(.pipeline, "\(mark): port '\(port)' of '\(stage.name)' needs \(portSpec.accepts.rawValue)<\(needed)>, but '\(source)' gives \(type)")
                }
                if !portSpec.multiple, sources[port] != nil {
                    throw ZizhuError(.pipeline, "\(mark): port '\(port)' of '\(stage.name)' takes one source")
                }
                sources[port, default: []].append(source)
                if outputSchema == nil { outputSchema = type.schema }
            }
            for port in spec.ports where !port.optional && sources[port.name] == nil {
                throw ZizhuError(.pipeline, "\(stage.mark): stage '\(stage.name)' (\(spec.name)) needs something on port '\(port.name)' (\(port.accepts.rawValue))",
                                 hint: "add from: <input or stage>")
            }
            let output = FlowType(kind: spec.output, schema: spec.output == .report ? nil : outputSchema)
            types[stage.name] = output
            compiled.append(CompiledStage(name: stage.name, spec: spec, sources: sources, output: output))
        }
        return CompiledPipeline(definition: definition, schemas: schemas, stages: compiled)
    }

    private static func hintFor(from: FlowType.Kind, to: FlowType.Kind) -> String {
        switch (from, to) {
        case (.source, .rows): return "put an ingest stage and a validate stage between them"
        case (.source, .records): return "put an ingest stage between them"
        case (.records, .rows): return "put a validate stage between them"
        default: return "check the stage order"
        }
    }

    /// The input a records/rows stage ultimately reads, following `in` ports up to an input.
    public func rootInput(of name: String) -> String? {
        if definition.inputs.contains(where: { $0.name == name }) { return name }
        guard let stage = stage(name), let upstream = stage.sources["in"]?.first else { return nil }
        return rootInput(of: upstream)
    }
}
