import Foundation
import Yams
import ZizhuCore
import ZizhuSchema

/// A position in a pipeline file, for errors that point at `file.yaml:LINE:COL`.
public struct SourceMark: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var description: String { "\(file):\(line):\(column)" }
}

/// A value of a pipeline variable: a single string or a list (`files`).
public enum VariableValue: Sendable, Hashable {
    case string(String)
    case list([String])
}

/// A pipeline as written in `pipelines/NAME.yaml`, variables filled in, every part located.
///
/// ```yaml
/// pipeline: validate
/// variables: { schema: roster, files: [], out: out }
/// inputs:
///   data: { schema: "${schema}", files: "${files}", columns: { 收款账号: account_number } }
/// stages:
///   - { name: read, kind: ingest, from: data }
///   - { name: check, kind: validate, from: read }
///   - { name: report, kind: validation-report, from: check }
/// output: "${out}"
/// ```
///
/// `settings:` holds what the job stages read (term, tiers, window …); each key must be one a
/// stage of the pipeline reads (`StageKind.settings`), checked when the pipeline is compiled.
public struct PipelineDefinition: Sendable {
    public var file: String
    public var name: String
    public var description: String?
    public var inputs: [Input]
    public var stages: [Stage]
    public var output: String?
    public var outputMark: SourceMark?
    /// `history:` — the run history (a SQLite file) when neither `--history` nor `ZIZHU_HISTORY` names one.
    public var history: String? = nil
    /// Settings for the job stages (terms, deadlines, tiers, windows …), variables filled; their
    /// keys and shapes are checked against the stage kinds when the pipeline is compiled.
    public var settings: [String: Setting]
    /// The variables after the command line's values were applied.
    public var variables: [String: VariableValue]

    /// One named input: a schema and its files, with per-source reading options.
    public struct Input: Sendable {
        public var name: String
        public var mark: SourceMark
        public var schema: String
        public var schemaMark: SourceMark
        public var files: [String]
        public var filesMark: SourceMark
        /// The file's own titles → schema fields (hledger-style column rules).
        public var columns: [String: String]
        public var columnsMark: SourceMark?
        public var encoding: String?
        public var delimiter: String?
        public var optional: Bool
        /// The sheet of every workbook among `files` (name or 1-based index); `--sheet` otherwise.
        public var sheet: String? = nil
    }

    public struct Stage: Sendable {
        public var name: String
        public var mark: SourceMark
        public var kind: String
        public var kindMark: SourceMark
        /// Port name → upstream stage or input name. A plain `from: x` is the port `in`.
        public var from: [(port: String, source: String, mark: SourceMark)]
    }

    /// A setting: a scalar, a list or a map of scalars, with where it was written.
    public struct Setting: Sendable {
        public var value: SettingValue
        /// Where the value was written.
        public var mark: SourceMark
        /// Where the key was written (an unknown key is reported here).
        public var keyMark: SourceMark
    }

    public indirect enum SettingValue: Sendable {
        case scalar(String)
        case list([String])
        case map([(String, String)])
    }
}

extension PipelineDefinition {
    /// Loads a pipeline by built-in name (`validate`) or path, applying `variables` over its defaults.
    public static func load(_ nameOrPath: String, variables: [String: VariableValue] = [:]) throws -> PipelineDefinition {
        let url = try ProjectFiles.locate(nameOrPath, folder: "pipelines", ext: "yaml")
        let data: Data
        do {
            // Read one byte past the cap, never the whole of an oversized file.
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            data = try handle.read(upToCount: YAMLLimits.maxFileBytes + 1) ?? Data()
        } catch {
            throw ZizhuError(.pipeline, Message("pipeline.read"), at: InputPosition(file: url.path))
        }
        try YAMLLimits.checkSize(data.count, file: url.path)
        guard let text = String(data: data, encoding: .utf8) else {
            throw ZizhuError(.pipeline, Message("pipeline.notUTF8", ["file": url.path]), hint: Message("pipeline.notUTF8.hint"))
        }
        return try parse(text, file: url.path, variables: variables)
    }

    /// Parses pipeline YAML; every mistake names `file:line:col`.
    public static func parse(_ text: String, file: String, variables overrides: [String: VariableValue] = [:]) throws -> PipelineDefinition {
        try YAMLLimits.checkSize(text.utf8.count, file: file)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ZizhuError(.pipeline, Message("pipeline.empty", ["file": file]))
            }
            root = node
        } catch let error as YamlError {
            throw ZizhuError(.pipeline, Message("error.at", ["mark": file, "message": yamlMessage(error)]), hint: Message("pipeline.yaml.hint"))
        }
        var reader = NodeReader(file: file)
        try YAMLLimits.checkExpansion(root, reader: reader)
        guard let top = root.mapping else { throw reader.fail(root, Message("pipeline.notMapping")) }
        try reader.checkKeys(top, allowed: ["pipeline", "description", "variables", "inputs", "stages", "output", "settings", "history"], at: root)

        // Variables: defaults from the file, then the command line.
        var variables: [String: VariableValue] = [:]
        if let node = top["variables"] {
            guard let map = node.mapping else { throw reader.fail(node, Message("pipeline.variables")) }
            for (key, value) in map {
                let name = try reader.scalar(key, "a variable name")
                if let list = value.sequence {
                    variables[name] = .list(try list.map { try reader.scalar($0, "a list item") })
                } else {
                    variables[name] = .string(try reader.scalar(value, "a default value"))
                }
            }
        }
        for (name, value) in overrides {
            guard let declared = variables[name] else {
                let known = variables.keys.sorted().joined(separator: ", ")
                throw ZizhuError(.usage, Message("error.pipeline.noVariable", ["file": file, "name": name]),
                                 hint: known.isEmpty ? Message("error.pipeline.noVariables.hint") : Message("error.pipeline.noVariable.hint", ["names": known]))
            }
            switch (declared, value) {
            case (.list, .string(let text)):
                variables[name] = .list(text.isEmpty ? [] : text.split(separator: ",").map(String.init))
            default:
                variables[name] = value
            }
        }
        reader.variables = variables

        let name = try top["pipeline"].map { try reader.string($0, "the pipeline's name") } ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        let description = try top["description"].map { try reader.string($0, "a description") }

        var inputs: [Input] = []
        if let node = top["inputs"] {
            guard let map = node.mapping else { throw reader.fail(node, Message("pipeline.inputs")) }
            for (key, value) in map {
                let inputName = try reader.scalar(key, "an input name")
                guard let body = value.mapping else { throw reader.fail(value, Message("pipeline.input.notMapping", ["name": inputName])) }
                try reader.checkKeys(body, allowed: ["schema", "files", "columns", "encoding", "delimiter", "optional", "sheet"], at: value)
                guard let schemaNode = body["schema"] else { throw reader.fail(value, Message("pipeline.input.noSchema", ["name": inputName])) }
                guard let filesNode = body["files"] else { throw reader.fail(value, Message("pipeline.input.noFiles", ["name": inputName])) }
                var columns: [String: String] = [:]
                if let node = body["columns"] {
                    guard let cmap = node.mapping else { throw reader.fail(node, Message("pipeline.columns")) }
                    for (title, field) in cmap { columns[try reader.string(title, "a column title")] = try reader.string(field, "a field name") }
                }
                inputs.append(Input(
                    name: inputName, mark: reader.mark(key), schema: try reader.string(schemaNode, "a schema name or path"),
                    schemaMark: reader.mark(schemaNode), files: try reader.list(filesNode, "files"), filesMark: reader.mark(filesNode),
                    columns: columns, columnsMark: body["columns"].map(reader.mark),
                    encoding: try body["encoding"].map { try reader.string($0, "an encoding") },
                    delimiter: try body["delimiter"].map { try reader.string($0, "a delimiter") },
                    optional: try body["optional"].map { try reader.bool($0, "optional") } ?? false,
                    sheet: try body["sheet"].map { try reader.string($0, "a sheet name or number") }))
            }
        }

        var stages: [Stage] = []
        guard let stagesNode = top["stages"], let list = stagesNode.sequence else {
            throw reader.fail(top["stages"] ?? root, Message("pipeline.stages"))
        }
        for node in list {
            guard let body = node.mapping else { throw reader.fail(node, Message("pipeline.stage.notMapping")) }
            try reader.checkKeys(body, allowed: ["name", "kind", "from"], at: node)
            guard let nameNode = body["name"] else { throw reader.fail(node, Message("pipeline.stage.noName")) }
            guard let kindNode = body["kind"] else { throw reader.fail(node, Message("pipeline.stage.noKind")) }
            var from: [(String, String, SourceMark)] = []
            if let fromNode = body["from"] {
                if let map = fromNode.mapping {
                    for (port, source) in map {
                        from.append((try reader.scalar(port, "a port name"), try reader.string(source, "a stage or input name"), reader.mark(source)))
                    }
                } else if let seq = fromNode.sequence {
                    for source in seq { from.append(("in", try reader.string(source, "a stage or input name"), reader.mark(source))) }
                } else {
                    from.append(("in", try reader.string(fromNode, "a stage or input name"), reader.mark(fromNode)))
                }
            }
            stages.append(Stage(name: try reader.string(nameNode, "a stage name"), mark: reader.mark(nameNode),
                                kind: try reader.string(kindNode, "a stage kind"), kindMark: reader.mark(kindNode), from: from))
        }

        var settings: [String: Setting] = [:]
        if let node = top["settings"] {
            guard let map = node.mapping else { throw reader.fail(node, Message("pipeline.settings")) }
            for (key, value) in map {
                let settingName = try reader.scalar(key, "a setting name")
                if let seq = value.sequence {
                    settings[settingName] = Setting(value: .list(try seq.map { try reader.string($0, "a list item") }), mark: reader.mark(value), keyMark: reader.mark(key))
                } else if let m = value.mapping {
                    settings[settingName] = Setting(value: .map(try m.map { (try reader.string($0.key, "a key"), try reader.string($0.value, "a value")) }), mark: reader.mark(value), keyMark: reader.mark(key))
                } else {
                    settings[settingName] = Setting(value: .scalar(try reader.string(value, "a value")), mark: reader.mark(value), keyMark: reader.mark(key))
                }
            }
        }

        var definition = PipelineDefinition(
            file: file, name: name, description: description, inputs: inputs, stages: stages,
            output: try top["output"].map { try reader.string($0, "the output folder") },
            outputMark: top["output"].map(reader.mark), settings: settings, variables: variables)
        definition.inputs.sort { $0.mark.line < $1.mark.line }
        definition.history = try top["history"].map { try reader.string($0, "the history file") }
        if definition.history?.isEmpty == true { definition.history = nil }
        return definition
    }

    private static func yamlMessage(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return "\(mark.line):\(mark.column): \(problem)"
        default:
            return "\(error)"
        }
    }

    /// A setting as a string, if present.
    public func setting(_ key: String) -> String? {
        if case .scalar(let value)? = settings[key]?.value { return value }
        return nil
    }
}

/// Reads YAML nodes into plain values, filling `${variables}` and locating errors.
struct NodeReader {
    let file: String
    var variables: [String: VariableValue] = [:]

    init(file: String) { self.file = file }

    func mark(_ node: Node) -> SourceMark {
        SourceMark(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
    }

    func fail(_ node: Node, _ message: Message, hint: Message? = nil) -> ZizhuError {
        ZizhuError(.pipeline, Message("error.at", ["mark": "\(mark(node))"], parts: ["message": message]), hint: hint)
    }

    /// What a `scalar`/`string`/`list` call expected, as catalogue words.
    static let expected: [String: Message] = [
        "a variable name": Message("pipeline.what.variableName"), "a list item": Message("pipeline.what.listItem"),
        "a default value": Message("pipeline.what.defaultValue"), "the pipeline's name": Message("pipeline.what.pipelineName"),
        "a description": Message("pipeline.what.description"), "an input name": Message("pipeline.what.inputName"),
        "a column title": Message("pipeline.what.columnTitle"), "a field name": Message("pipeline.what.fieldName"),
        "a schema name or path": Message("pipeline.what.schema"), "files": Message("pipeline.what.files"),
        "an encoding": Message("pipeline.what.encoding"), "a delimiter": Message("pipeline.what.delimiter"),
        "a sheet name or number": Message("pipeline.what.sheet"), "a port name": Message("pipeline.what.portName"),
        "a stage or input name": Message("pipeline.what.source"), "a stage name": Message("pipeline.what.stageName"),
        "a stage kind": Message("pipeline.what.stageKind"), "a setting name": Message("pipeline.what.settingName"),
        "a key": Message("pipeline.what.key"), "a value": Message("pipeline.what.value"),
        "the output folder": Message("pipeline.what.output"), "the history file": Message("pipeline.what.history"),
        "true or false": Message("pipeline.what.bool"),
    ]

    func checkKeys(_ map: Node.Mapping, allowed: Set<String>, at node: Node) throws {
        for key in map.keys {
            guard let name = key.scalar?.string else { throw fail(key, Message("pipeline.key.plain")) }
            if !allowed.contains(name) {
                throw fail(key, Message("pipeline.key.unknown", ["name": name]),
                           hint: Message("pipeline.key.unknown.hint", ["names": allowed.sorted().joined(separator: ", ")]))
            }
        }
    }

    func scalar(_ node: Node, _ what: String) throws -> String {
        guard let value = node.scalar?.string else { throw fail(node, Message("pipeline.expected", parts: ["what": Self.expected[what] ?? Message(verbatim: what)])) }
        return value
    }

    /// `true` or `false` (YAML's other spellings of them too); anything else is an error here.
    func bool(_ node: Node, _ key: String) throws -> Bool {
        let text = try string(node, "true or false")
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw fail(node, Message("pipeline.bool", ["key": key, "text": text]))
        }
    }

    /// A scalar with `${name}` variables replaced (a list variable inside text is an error).
    func string(_ node: Node, _ what: String) throws -> String {
        try substitute(scalar(node, what), node: node)
    }

    /// A list: a YAML sequence, or a scalar that is exactly a list variable (`files: ${files}`).
    func list(_ node: Node, _ what: String) throws -> [String] {
        if let seq = node.sequence {
            var out: [String] = []
            for item in seq {
                let raw = try scalar(item, "a list item")
                if let name = Self.wholeVariable(raw), case .list(let values)? = variables[name] { out += values } else { out.append(try substitute(raw, node: item)) }
            }
            return out
        }
        let raw = try scalar(node, what)
        if let name = Self.wholeVariable(raw), let value = variables[name] {
            switch value {
            case .list(let values): return values
            case .string(let text): return text.isEmpty ? [] : [text]
            }
        }
        let text = try substitute(raw, node: node)
        return text.isEmpty ? [] : [text]
    }

    static func wholeVariable(_ text: String) -> String? {
        guard text.hasPrefix("${"), text.hasSuffix("}"), text.count > 3 else { return nil }
        let inner = text.dropFirst(2).dropLast()
        return inner.contains("}") ? nil : String(inner)
    }

    func substitute(_ text: String, node: Node) throws -> String {
        guard text.contains("${") else { return text }
        var out = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            out += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { throw fail(node, Message("pipeline.unclosedVariable", ["open": "${", "text": text])) }
            let name = String(rest[start.upperBound..<end])
            guard let value = variables[name] else {
                throw fail(node, Message("pipeline.unknownVariable", ["variable": "${\(name)}"]), hint: Message("pipeline.unknownVariable.hint", ["name": name]))
            }
            switch value {
            case .string(let s): out += s
            case .list(let items): out += items.joined(separator: ",")
            }
            rest = rest[rest.index(after: end)...]
        }
        return out + rest
    }
}
