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

/// A pipeline whose stage graph has been checked: every `from` resolves to an input or an earlier
/// stage whose output type fits the port, every input's schema loads and has the fields its
/// stages read, and every key of `settings:` is one its stages read, in the shape they read.
public struct CompiledPipeline: Sendable {
    public var definition: PipelineDefinition
    public var schemas: [String: TableSchema]
    public var stages: [CompiledStage]

    public struct CompiledStage: Sendable {
        public var name: String
        public var kind: StageKind
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
                guard types[input.name] == nil else { throw ZizhuError(.pipeline, Message("pipeline.duplicate", ["mark": "\(input.mark)", "name": input.name])) }
                types[input.name] = FlowType(kind: .source, schema: FlowType.packageSchema)
                continue
            }
            let schema: TableSchema
            do { schema = try TableSchema.named(input.schema) } catch let error as ZizhuError {
                throw ZizhuError(.pipeline, Message("error.at.input", ["mark": "\(input.schemaMark)", "input": input.name], parts: ["message": error.messageWords]),
                                 hint: error.hintMessage)
            }
            schemas[input.name] = schema
            guard types[input.name] == nil else { throw ZizhuError(.pipeline, Message("pipeline.duplicate", ["mark": "\(input.mark)", "name": input.name])) }
            types[input.name] = FlowType(kind: .source, schema: schema.name)
        }
        var compiled: [CompiledStage] = []
        for stage in definition.stages {
            guard let spec = StageKind.named(stage.kind) else {
                throw ZizhuError(.pipeline, Message("pipeline.unknownKind", ["mark": "\(stage.kindMark)", "kind": stage.kind]),
                                 hint: Message("pipeline.unknownKind.hint", ["kinds": StageKind.all.map(\.name).joined(separator: ", ")]))
            }
            guard types[stage.name] == nil else { throw ZizhuError(.pipeline, Message("pipeline.duplicate", ["mark": "\(stage.mark)", "name": stage.name])) }
            var sources: [String: [String]] = [:]
            var outputSchema: String?
            for (port, source, mark) in stage.from {
                guard let portSpec = spec.ports.first(where: { $0.name == port }) else {
                    throw ZizhuError(.pipeline, Message("pipeline.noPort", ["mark": "\(mark)", "stage": stage.name, "kind": spec.name, "port": port]),
                                     hint: Message("pipeline.noPort.hint", ["ports": spec.ports.map(\.name).joined(separator: ", ")]))
                }
                guard let type = types[source] else {
                    throw ZizhuError(.pipeline, Message("pipeline.unknownSource", ["mark": "\(mark)", "source": source]),
                                     hint: Message("pipeline.unknownSource.hint"))
                }
                guard type.kind == portSpec.accepts else {
                    throw ZizhuError(.pipeline, Message("pipeline.portType", ["mark": "\(mark)", "stage": stage.name, "kind": spec.name,
                                                                 "accepts": portSpec.accepts.rawValue, "port": port, "source": source,
                                                                 "type": "\(type)"]),
                                     hint: hintFor(from: type.kind, to: portSpec.accepts))
                }
                if let needed = portSpec.schema, type.schema != needed {
                    throw ZizhuError(.pipeline, Message("pipeline.portSchema", ["mark": "\(mark)", "port": port, "stage": stage.name,
                                                                   "accepts": portSpec.accepts.rawValue, "schema": needed,
                                                                   "source": source, "type": "\(type)"]))
                }
                if !portSpec.multiple, sources[port] != nil {
                    throw ZizhuError(.pipeline, Message("pipeline.portOne", ["mark": "\(mark)", "port": port, "stage": stage.name]))
                }
                sources[port, default: []].append(source)
                if outputSchema == nil { outputSchema = type.schema }
            }
            for port in spec.ports where !port.optional && sources[port.name] == nil {
                throw ZizhuError(.pipeline, Message("pipeline.portEmpty", ["mark": "\(stage.mark)", "stage": stage.name, "kind": spec.name,
                                                                "port": port.name, "accepts": port.accepts.rawValue]),
                                 hint: Message("pipeline.portEmpty.hint"))
            }
            let output = FlowType(kind: spec.output, schema: spec.output == .report ? nil : outputSchema)
            types[stage.name] = output
            compiled.append(CompiledStage(name: stage.name, kind: spec, sources: sources, output: output))
        }
        let pipeline = CompiledPipeline(definition: definition, schemas: schemas, stages: compiled)
        try pipeline.checkSettings()
        try pipeline.checkFields()
        return pipeline
    }

    /// Every key of `settings:` must be one a stage of the pipeline reads, in the shape it reads:
    /// a misspelt key (`windw:`) is an error at its place, never a silent default.
    func checkSettings() throws {
        var known: [String: SettingSpec] = [:]
        var readers: [String: [String]] = [:]
        for stage in stages {
            for spec in stage.kind.settings {
                known[spec.name] = spec
                if readers[spec.name]?.contains(stage.kind.name) != true { readers[spec.name, default: []].append(stage.kind.name) }
            }
        }
        let kinds = stages.map(\.kind.name).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        for (key, setting) in definition.settings.sorted(by: { ($0.value.keyMark.line, $0.value.keyMark.column) < ($1.value.keyMark.line, $1.value.keyMark.column) }) {
            guard let spec = known[key] else {
                let names = known.keys.sorted()
                throw ZizhuError(.pipeline, Message("pipeline.unknownSetting", ["mark": "\(setting.keyMark)", "key": key]),
                                 hint: names.isEmpty
                                     ? Message("pipeline.unknownSetting.none.hint", ["kinds": kinds.joined(separator: ", ")])
                                     : Message("pipeline.unknownSetting.hint", ["kinds": kinds.joined(separator: ", "),
                                                                                "names": names.joined(separator: ", ")]))
            }
            try spec.check(setting)
        }
    }

    /// Every field a stage reads on a port must be in the schema of the input feeding it.
    func checkFields() throws {
        for stage in stages {
            for port in stage.kind.ports where !port.fields.isEmpty {
                for source in stage.sources[port.name] ?? [] {
                    guard let inputName = rootInput(of: source), let schema = schemas[inputName],
                          let input = definition.inputs.first(where: { $0.name == inputName }) else { continue }
                    let missing = port.fields.filter { schema.index(of: $0) == nil }
                    guard !missing.isEmpty else { continue }
                    let file = (try? ProjectFiles.locate(input.schema, folder: "schemas", ext: "json").path) ?? input.schema
                    throw ZizhuError(.pipeline,
                                     Message("pipeline.schemaLacksField", ["mark": "\(input.schemaMark)", "file": file,
                                                                           "fields": missing.map { "'\($0)'" }.joined(separator: ", "),
                                                                           "kind": stage.kind.name, "stage": stage.name, "port": port.name]),
                                     hint: Message("pipeline.schemaLacksField.hint", ["kind": stage.kind.name, "port": port.name,
                                                                                      "needed": port.fields.joined(separator: ", ")]))
                }
            }
        }
    }

    private static func hintFor(from: FlowType.Kind, to: FlowType.Kind) -> Message {
        switch (from, to) {
        case (.source, .rows): return Message("pipeline.hint.ingestValidate")
        case (.source, .records): return Message("pipeline.hint.ingest")
        case (.records, .rows): return Message("pipeline.hint.validate")
        default: return Message("pipeline.hint.order")
        }
    }

    /// The input a records/rows stage ultimately reads, following `in` ports up to an input.
    public func rootInput(of name: String) -> String? {
        if definition.inputs.contains(where: { $0.name == name }) { return name }
        guard let stage = stage(name), let upstream = stage.sources["in"]?.first else { return nil }
        return rootInput(of: upstream)
    }
}
