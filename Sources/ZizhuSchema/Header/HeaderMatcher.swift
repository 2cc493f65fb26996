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
                throw ZizhuError(.configuration, "column override maps '\(title)' to '\(fieldName)', which is not a field of schema '\(schema.name)'",
                                 hint: "fields: \(schema.fields.map(\.name).joined(separator: ", "))")
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

    /// How many fields a mapping found: used to name the closest candidate when no header matches.
    public func score(_ mapping: ColumnMapping) -> Int {
        mapping.fieldColumns.reduce(0) { $0 + ($1 == nil ? 0 : 1) }
    }
}
