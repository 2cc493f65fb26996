import ZizhuCore

/// How the columns of one file map to the fields of a schema, once its header row is found.
public struct ColumnMapping: Sendable, Equatable, Codable {
    /// Physical line of the header row.
    public var headerLine: Int
    /// The header's titles as written in the file.
    public var titles: [String]
    /// For each schema field, the column it is read from (nil: absent from the file).
    public var fieldColumns: [Int?]
    /// Columns matching no field: kept through, reported, never fatal.
    public var unknownColumns: [Int]
    /// Columns that match a field already taken by an earlier column (reported as a warning).
    public var duplicateColumns: [Int]

    /// The title of the column that field `field` is read from, else the field's display title.
    public func title(forField field: Int, in schema: TableSchema) -> String {
        if let column = fieldColumns[field], column < titles.count { return titles[column] }
        return schema.fields[field].displayTitle
    }
}

/// Matches header titles to schema fields by their aliases.
///
/// Matching compares `TextNormalizer.headerKey` forms, which ignore white space, full/half width,
/// a trailing `*` (required marker) and a bracketed unit (`金额（元）`). A per-source override maps
/// a bank's own title to a field the way hledger rules map a bank's columns.
public struct HeaderMatcher: Sendable {
    public let schema: TableSchema
    private let keyToField: [String: Int]

    /// - Parameter overrides: title as written in the file → field name; wins over aliases.
    public init(schema: TableSchema, overrides: [String: String] = [:]) throws {
        self.schema = schema
        var map: [String: Int] = [:]
        for (i, field) in schema.fields.enumerated() {
            for alias in [field.name] + (field.title.map { [$0] } ?? []) + (field.aliases ?? []) {
                let key = TextNormalizer.headerKey(alias)
                // The first field to claim an alias keeps it (a schema is read top-down).
                if map[key] == nil { map[key] = i }
            }
        }
        for (title, fieldName) in overrides {
            guard let i = schema.index(of: fieldName) else {
                throw ZizhuError(.configuration, Message("schema.override", ["title": title, "field": fieldName, "schema": schema.name]),
                                 hint: Message("schema.override.hint", ["fields": schema.fields.map(\.name).joined(separator: ", ")]))
            }
            map[TextNormalizer.headerKey(title)] = i
        }
        keyToField = map
    }

    /// Maps a candidate header row.
    public func map(_ titles: [String], line: Int) -> ColumnMapping {
        var fieldColumns = [Int?](repeating: nil, count: schema.fields.count)
        var unknown: [Int] = []
        var duplicates: [Int] = []
        for (column, title) in titles.enumerated() {
            let key = TextNormalizer.headerKey(title)
            guard !key.isEmpty, let field = keyToField[key] else {
                if !title.isEmpty { unknown.append(column) }
                continue
            }
            if fieldColumns[field] == nil { fieldColumns[field] = column } else { duplicates.append(column) }
        }
        return ColumnMapping(headerLine: line, titles: titles, fieldColumns: fieldColumns,
                             unknownColumns: unknown, duplicateColumns: duplicates)
    }

    /// Required fields (and require-one-of groups) a mapping lacks; empty means it is a header.
    public func missingRequired(_ mapping: ColumnMapping) -> [String] {
        var missing: [String] = []
        for (i, field) in schema.fields.enumerated() where field.isRequired && mapping.fieldColumns[i] == nil {
            missing.append(field.displayTitle)
        }
        for group in schema.requireOneOf ?? [] {
            let present = group.contains { name in schema.index(of: name).flatMap { mapping.fieldColumns[$0] } != nil }
            if !present {
                missing.append(group.compactMap { schema.index(of: $0).map { schema.fields[$0].displayTitle } }.joined(separator: " 或 "))
            }
        }
        return missing
    }

    /// For the CSV reader (`CSVOptions.lineBreakColumns`): when `cells` is the header (as
    /// `TableValidator` decides it), whether each column may hold a line break — a schema field
    /// only when it is free text (`multiline`), a column of no field always; nil for any other row.
    public func lineBreakColumns(_ cells: [String]) -> [Bool]? {
        if cells.allSatisfy({ TextNormalizer.normalize($0, mode: .compact).isEmpty }) { return nil }
        let mapping = map(cells, line: 0)
        guard missingRequired(mapping).isEmpty else { return nil }
        var flags = [Bool](repeating: true, count: cells.count)
        for (field, column) in mapping.fieldColumns.enumerated() {
            if let column { flags[column] = schema.fields[field].mayHoldLineBreaks }
        }
        return flags
    }

    /// A required field (or require-one-of group) a candidate header lacks, with what would do.
    public struct Missing: Sendable, Equatable {
        /// The field's display title (a group's titles joined by " 或 ").
        public var title: String
        /// The field's name (a group's first field).
        public var field: String
        /// The titles accepted for it.
        public var accepted: [String]
        /// The file's unmatched titles nearest to an accepted one, nearest first.
        public var nearest: [String]

        /// `金额 (accepted: 金额, 交易金额; in the file: 付款金额?)`.
        public var description: String {
            var text = "\(title) (accepted: \(accepted.joined(separator: ", "))"
            if !nearest.isEmpty { text += "; in the file: \(nearest.map { $0 + "?" }.joined(separator: ", "))" }
            return text + ")"
        }
    }

    /// What a candidate header lacks, each with its accepted titles and the file's nearest
    /// unmatched titles (a diagnosis for the no-header error).
    public func diagnose(_ mapping: ColumnMapping) -> [Missing] {
        let unmatched = mapping.unknownColumns.map { mapping.titles[$0] }
        func missing(_ fields: [Int]) -> Missing {
            var accepted: [String] = []
            for i in fields {
                let field = schema.fields[i]
                for title in (field.title.map { [$0] } ?? []) + (field.aliases ?? []) + [field.name] where !accepted.contains(title) {
                    accepted.append(title)
                }
            }
            // Nearest: the most of an accepted title's characters found, then the fewest edits.
            var scored: [(title: String, coverage: Double, distance: Int)] = []
            for title in unmatched {
                let key = Array(TextNormalizer.headerKey(title))
                guard !key.isEmpty else { continue }
                var best: (coverage: Double, distance: Int)?
                for alias in accepted {
                    let other = Array(TextNormalizer.headerKey(alias))
                    let shared = Self.sharedCharacters(key, other)
                    // Near: at least two characters in common, covering half the longer title.
                    guard shared >= 2, shared * 2 >= max(key.count, other.count) else { continue }
                    let candidate = (coverage: Double(shared) / Double(other.count), distance: Self.editDistance(key, other))
                    if let current = best, current.coverage > candidate.coverage
                        || (current.coverage == candidate.coverage && current.distance <= candidate.distance) { continue }
                    best = candidate
                }
                if let best { scored.append((title, best.coverage, best.distance)) }
            }
            scored.sort { $0.coverage != $1.coverage ? $0.coverage > $1.coverage : $0.distance < $1.distance }
            return Missing(title: fields.map { schema.fields[$0].displayTitle }.joined(separator: " 或 "),
                           field: schema.fields[fields[0]].name, accepted: accepted, nearest: scored.prefix(3).map(\.title))
        }
        var result: [Missing] = []
        for (i, field) in schema.fields.enumerated() where field.isRequired && mapping.fieldColumns[i] == nil {
            result.append(missing([i]))
        }
        for group in schema.requireOneOf ?? [] {
            let fields = group.compactMap { schema.index(of: $0) }
            if !fields.isEmpty, !fields.contains(where: { mapping.fieldColumns[$0] != nil }) { result.append(missing(fields)) }
        }
        return result
    }

    /// Characters two titles have in common (as multisets).
    static func sharedCharacters(_ a: [Character], _ b: [Character]) -> Int {
        var counts: [Character: Int] = [:]
        for c in a { counts[c, default: 0] += 1 }
        var shared = 0
        for c in b where counts[c, default: 0] > 0 {
            counts[c, default: 0] -= 1
            shared += 1
        }
        return shared
    }

    /// Levenshtein distance over Characters.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// How many fields a mapping found: used to name the closest candidate when no header matches.
    public func score(_ mapping: ColumnMapping) -> Int {
        mapping.fieldColumns.reduce(0) { $0 + ($1 == nil ? 0 : 1) }
    }
}
