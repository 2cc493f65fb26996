import Foundation
import ZizhuCore
import ZizhuSchema

/// `--map 'TITLE=field'` and `--map 'INPUT:TITLE=field'`: a file's own column titles mapped to
/// schema fields from the command line, fed to the header matcher the way a pipeline input's
/// `columns:` are (a map wins over `columns:` for the same title).
enum ColumnMaps {
    struct Entry: Equatable {
        /// An input name or schema name (`ledger`); nil: every input whose schema has the field.
        var target: String?
        var title: String
        var field: String
    }

    /// Parses `[INPUT:]TITLE=field`.
    static func parse(_ text: String) throws -> Entry {
        guard let eq = text.lastIndex(of: "=") else {
            throw ZizhuError(.usage, Message("error.map.syntax", ["text": text]), hint: Message("error.map.syntax.hint"))
        }
        var title = String(text[..<eq]).trimmingCharacters(in: .whitespaces)
        let field = String(text[text.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
        var target: String?
        // An input name is plain ASCII (`ledger:`); a title may hold a colon of its own.
        if let colon = title.firstIndex(of: ":"), title[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }),
           colon != title.startIndex {
            target = String(title[..<colon])
            title = String(title[title.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        }
        guard !title.isEmpty, !field.isEmpty else {
            throw ZizhuError(.usage, Message("error.map.syntax", ["text": text]), hint: Message("error.map.syntax.hint"))
        }
        return Entry(target: target, title: title, field: field)
    }

    /// Adds the maps to the inputs' `columns`; notes which map was used (printed and in summary.json).
    static func apply(_ maps: [String], to definition: PipelineDefinition, options: inout RunOptions) throws -> PipelineDefinition {
        guard !maps.isEmpty else { return definition }
        var definition = definition
        let tableInputs = definition.inputs.indices.filter { definition.inputs[$0].schema != FlowType.packageSchema }
        var schemas: [Int: TableSchema] = [:]
        for i in tableInputs { schemas[i] = try TableSchema.named(definition.inputs[i].schema) }
        for text in maps {
            let entry = try parse(text)
            var targets = tableInputs
            if let target = entry.target {
                targets = tableInputs.filter { definition.inputs[$0].name == target || schemas[$0]?.name == target }
                guard !targets.isEmpty else {
                    throw ZizhuError(.usage, Message("error.map.noInput", ["text": text, "target": target]),
                                     hint: Message("error.map.noInput.hint", ["inputs": tableInputs.map { definition.inputs[$0].name }.joined(separator: ", ")]))
                }
            }
            let fitting = targets.filter { schemas[$0]?.index(of: entry.field) != nil }
            guard !fitting.isEmpty else {
                let fields = targets.compactMap { schemas[$0] }.map { "\($0.name): \($0.fields.map(\.name).joined(separator: ", "))" }
                let what = targets.count == 1
                    ? Message("error.map.noField", ["text": text, "field": entry.field, "schema": schemas[targets[0]]?.name ?? ""])
                    : Message("error.map.noFieldAny", ["text": text, "field": entry.field])
                throw ZizhuError(.usage, what, hint: Message("error.map.noField.hint", ["fields": fields.joined(separator: "; ")]))
            }
            for i in fitting { definition.inputs[i].columns[entry.title] = entry.field }
            options.notes.append(options.language("note.columnMap", ["title": entry.title, "field": entry.field,
                                                                  "inputs": fitting.map { definition.inputs[$0].name }.joined(separator: ", ")]))
        }
        return definition
    }
}
