import Foundation
import ZizhuCore

/// A table schema in the shape of the Frictionless Table Schema, extended with header `aliases`,
/// the domain types of the contract and code lists.
///
/// Schemas live as JSON in `schemas/`; a user copies one and changes it without touching Swift.
/// Loading checks the schema itself (unknown types, codes without spellings, references to
/// fields that do not exist) so that a mistake is reported once, at load, with its path.
public struct TableSchema: Sendable, Codable, Equatable {
    public var name: String
    public var title: String?
    public var description: String?
    public var fields: [Field]
    public var primaryKey: [String]?
    /// Groups of fields of which at least one must be present in each row (`ledger`: id or account).
    public var requireOneOf: [[String]]?
    /// Cross-field checks reported as findings (not rejects).
    public var checks: [Check]?
    /// Which columns a trailing 合计 row is checked against.
    public var totalRow: TotalRow?

    /// One column of the table.
    public struct Field: Sendable, Codable, Equatable {
        public var name: String
        public var title: String?
        /// Accepted header titles; matching ignores spaces, width, a trailing `*` and a bracketed unit.
        public var aliases: [String]?
        public var type: FieldType
        /// `month`: a date where a year and month are enough (`2023-09`, `2023年9月`).
        public var format: String?
        public var constraints: Constraints?
        /// For `code` fields: canonical value → accepted spellings. A spelling ending in `*` is a
        /// prefix (`失败*` accepts `失败-账户已销户`).
        public var codes: [String: [String]]?
        /// Canonical value used when the cell is empty.
        public var `default`: String?
        /// For `resident-id`: the field holding the id type; ids of other types (护照, 其他) are kept
        /// as given, upper-cased, without the check.
        public var idTypeField: String?
        /// Finding code reported for a duplicate when `constraints.unique` is set (roster: S01).
        public var uniqueFinding: String?
        /// `warn`: an unreadable value is a warning and the cell counts as empty (ledger ids, §4).
        public var onInvalid: String?
        /// Required only when another field has a value (`amount` for 国家助学金 rows).
        public var requiredWhen: Condition?
        /// Free text whose cell may hold a line break (a quoted memo, a bank's fail reason). Ids,
        /// names, amounts, dates and codes may not: a quote left open in one of them is a stray
        /// quote, not a field running on over the next lines.
        public var multiline: Bool?

        public init(name: String, title: String? = nil, aliases: [String]? = nil, type: FieldType,
                    format: String? = nil, constraints: Constraints? = nil, codes: [String: [String]]? = nil) {
            self.name = name
            self.title = title
            self.aliases = aliases
            self.type = type
            self.format = format
            self.constraints = constraints
            self.codes = codes
        }

        /// The title used in outputs: the schema's `title`, else the name.
        public var displayTitle: String { title ?? name }
        /// Whether a cell of this field may hold a line break.
        public var mayHoldLineBreaks: Bool { multiline ?? false }
        public var isRequired: Bool { constraints?.required ?? false }
        public var warnsOnInvalid: Bool { onInvalid == "warn" }
    }

    /// The value types of the contract.
    public enum FieldType: String, Sendable, Codable, CaseIterable {
        case string, integer, date, money, term, region, code, grade
        case residentID = "resident-id"
        case bankAccount = "bank-account"
        case personName = "person-name"
    }

    /// Frictionless constraints.
    public struct Constraints: Sendable, Codable, Equatable {
        public var required: Bool?
        public var unique: Bool?
        public var pattern: String?
        public var `enum`: [String]?
        public var minimum: Double?
        public var maximum: Double?
        public var minLength: Int?
        public var maxLength: Int?
    }

    /// `field` equals `equals` (canonical code value).
    public struct Condition: Sendable, Codable, Equatable {
        public var field: String
        public var equals: String
    }

    /// A cross-field check. `identity`: stated gender / birth date against the id number.
    public struct Check: Sendable, Codable, Equatable {
        public var kind: String
        public var id: String?
        public var gender: String?
        public var birthDate: String?
        public var finding: String?
    }

    public struct TotalRow: Sendable, Codable, Equatable {
        public var sum: [String]
    }

    /// Index of the field named `name`.
    public func index(of name: String) -> Int? {
        fields.firstIndex { $0.name == name }
    }

    /// Parses and checks a schema; errors name the file and the JSON path.
    public static func load(from url: URL) throws -> TableSchema {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ZizhuError(.schema, Message("schema.read"), at: InputPosition(file: url.path), hint: Message("schema.read.hint"))
        }
        return try decode(data, file: url.path)
    }

    /// Parses and checks a schema from bytes (`file` names it in errors).
    public static func decode(_ data: Data, file: String) throws -> TableSchema {
        let schema: TableSchema
        do {
            schema = try JSONDecoder().decode(TableSchema.self, from: data)
        } catch let DecodingError.dataCorrupted(context) {
            throw ZizhuError(.schema, Message("error.at", ["mark": path(context.codingPath), "message": context.debugDescription]),
                             at: InputPosition(file: file), hint: Message("schema.json.hint"))
        } catch let DecodingError.keyNotFound(key, context) {
            throw ZizhuError(.schema, Message("schema.missing", ["path": path(context.codingPath + [key])]), at: InputPosition(file: file))
        } catch let DecodingError.typeMismatch(_, context) {
            throw ZizhuError(.schema, Message("error.at", ["mark": path(context.codingPath), "message": context.debugDescription]),
                             at: InputPosition(file: file))
        } catch let DecodingError.valueNotFound(_, context) {
            throw ZizhuError(.schema, Message("error.at", ["mark": path(context.codingPath), "message": context.debugDescription]),
                             at: InputPosition(file: file))
        } catch {
            throw ZizhuError(.schema, Message("schema.parse", ["reason": "\(error)"]), at: InputPosition(file: file))
        }
        try schema.check(file: file)
        return schema
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
        }
        return text.isEmpty ? "(top level)" : text
    }

    /// Checks what JSON decoding cannot: names unique, references resolvable, code lists usable.
    func check(file: String) throws {
        func fail(_ message: Message, hint: Message? = nil) -> ZizhuError {
            ZizhuError(.schema, Message("schema.check", ["name": name], parts: ["message": message]), at: InputPosition(file: file), hint: hint)
        }
        var seen = Set<String>()
        for (i, field) in fields.enumerated() {
            guard !field.name.isEmpty else { throw fail(Message("schema.field.emptyName", ["index": "\(i)"])) }
            guard seen.insert(field.name).inserted else { throw fail(Message("schema.field.duplicate", ["index": "\(i)", "field": field.name])) }
            if field.type == .code {
                guard let codes = field.codes, !codes.isEmpty else {
                    throw fail(Message("schema.field.noCodes", ["index": "\(i)", "field": field.name]),
                               hint: Message("schema.field.noCodes.hint", ["example": "\"codes\": {\"canonical\": [\"spelling\", …]}"]))
                }
                if let value = field.default, codes[value] == nil {
                    throw fail(Message("schema.field.default", ["index": "\(i)", "field": field.name, "value": value]))
                }
            }
            if let pattern = field.constraints?.pattern {
                do { _ = try NSRegularExpression(pattern: pattern) } catch {
                    throw fail(Message("schema.field.pattern", ["index": "\(i)", "field": field.name, "pattern": pattern]))
                }
            }
            if let other = field.idTypeField, index(of: other) == nil {
                throw fail(Message("schema.field.idTypeField", ["index": "\(i)", "field": field.name, "other": other]))
            }
            if let condition = field.requiredWhen {
                guard let j = index(of: condition.field) else {
                    throw fail(Message("schema.field.requiredWhen", ["index": "\(i)", "field": field.name, "other": condition.field]))
                }
                if fields[j].type == .code, fields[j].codes?[condition.equals] == nil {
                    throw fail(Message("schema.field.requiredWhenValue", ["index": "\(i)", "field": field.name, "value": condition.equals,
                                                                       "other": condition.field]))
                }
            }
            if let mode = field.onInvalid, mode != "warn", mode != "reject" {
                throw fail(Message("schema.field.onInvalid", ["index": "\(i)", "field": field.name]))
            }
            if let format = field.format, field.type == .date, format != "month", format != "day" {
                throw fail(Message("schema.field.dateFormat", ["index": "\(i)", "field": field.name]))
            }
        }
        for key in primaryKey ?? [] where index(of: key) == nil {
            throw fail(Message("schema.primaryKey", ["key": key]))
        }
        for group in requireOneOf ?? [] {
            for key in group where index(of: key) == nil {
                throw fail(Message("schema.requireOneOf", ["key": key]))
            }
        }
        for check in checks ?? [] {
            guard check.kind == "identity" else {
                throw fail(Message("schema.check.unknown", ["kind": check.kind]), hint: Message("schema.check.unknown.hint"))
            }
            for key in [check.id, check.gender, check.birthDate].compactMap({ $0 }) where index(of: key) == nil {
                throw fail(Message("schema.check.field", ["kind": check.kind, "key": key]))
            }
        }
        for key in totalRow?.sum ?? [] {
            guard let j = index(of: key) else { throw fail(Message("schema.totalRow.field", ["key": key])) }
            guard fields[j].type == .money || fields[j].type == .integer else {
                throw fail(Message("schema.totalRow.type", ["key": key]))
            }
        }
    }
}
