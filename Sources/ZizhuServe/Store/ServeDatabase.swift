import Foundation

/// The storage under `ServeStore`: one SQL engine, read and written in transactions. Two engines
/// implement it — SQLite through GRDB (`SQLiteServeDatabase`, `DATA/serve.sqlite`, the default) and
/// PostgreSQL through postgres-nio (`PostgresServeDatabase`, `store: postgres://…`). The store's
/// queries and its migrations (`ServeSchema`) are one SQL text both accept: `?` placeholders
/// (numbered `$n` for PostgreSQL by the engine), and in the tables' definitions three type words that
/// the PostgreSQL engine spells its own way (see `ServeSchema.postgres`). Where the engines must
/// differ (taking a queued job), the store asks `dialect`.
///
/// Engines are synchronous, like the history's backends: the pages call the store from their
/// handlers and the jobs from threads. A client that is async inside (postgres-nio) blocks the calling
/// thread on an event-loop group of its own, never on an event loop the caller might be running on.
protocol ServeDatabase: AnyObject, Sendable {
    /// The file path, or the URL without its password (for messages).
    var location: String { get }
    var dialect: ServeDialect { get }
    /// Brings the tables to the latest of `ServeSchema.migrations`.
    func migrate(upTo identifier: String?) throws
    /// Reads (one statement or several, no writes).
    @discardableResult
    func read<T>(_ body: (any ServeSQL) throws -> T) throws -> T
    /// One transaction, exclusive against other writers of the store; rolled back when `body` throws.
    @discardableResult
    func write<T>(_ body: (any ServeSQL) throws -> T) throws -> T
}

enum ServeDialect: Sendable {
    case sqlite, postgres
}

/// Statements inside a `read` or `write`.
protocol ServeSQL {
    /// Runs one statement (several, separated by `;`, without arguments); returns the rows it changed.
    @discardableResult
    func execute(sql: String, arguments: StoreArguments) throws -> Int
    /// Runs an `INSERT` into a table with an `id` column and returns the new row's id.
    func insert(sql: String, arguments: StoreArguments) throws -> Int64
    /// The rows a query returns, every one in memory.
    func rows(sql: String, arguments: StoreArguments) throws -> [StoreRow]
}

extension ServeSQL {
    @discardableResult
    func execute(sql: String) throws -> Int { try execute(sql: sql, arguments: []) }
}

/// One value bound to a statement or read from a row.
enum StoreValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
}

/// What may be bound to a `?`.
protocol StoreBindable {
    var storeValue: StoreValue { get }
}

extension Int64: StoreBindable { var storeValue: StoreValue { .integer(self) } }
extension Int: StoreBindable { var storeValue: StoreValue { .integer(Int64(self)) } }
extension Double: StoreBindable { var storeValue: StoreValue { .real(self) } }
extension String: StoreBindable { var storeValue: StoreValue { .text(self) } }

/// A statement's arguments, written as an array literal of bindable values and optionals (nil is NULL).
struct StoreArguments: ExpressibleByArrayLiteral {
    var values: [StoreValue]

    init(arrayLiteral elements: (any StoreBindable)?...) {
        values = elements.map { $0?.storeValue ?? .null }
    }
}

/// What a column may be read as: the row's value converted, a NULL as the type's empty value (a
/// column read as non-optional is NOT NULL in the schema).
protocol StoreColumn {
    static func from(_ value: StoreValue) -> Self
}

extension Int64: StoreColumn {
    static func from(_ value: StoreValue) -> Int64 {
        switch value {
        case .integer(let v): v
        case .real(let v): Int64(exactly: v.rounded()) ?? 0
        case .text(let v): Int64(v) ?? 0
        case .null: 0
        }
    }
}

extension Int: StoreColumn {
    static func from(_ value: StoreValue) -> Int { Int(truncatingIfNeeded: Int64.from(value)) }
}

extension Double: StoreColumn {
    static func from(_ value: StoreValue) -> Double {
        switch value {
        case .integer(let v): Double(v)
        case .real(let v): v
        case .text(let v): Double(v) ?? 0
        case .null: 0
        }
    }
}

extension String: StoreColumn {
    static func from(_ value: StoreValue) -> String {
        switch value {
        case .integer(let v): String(v)
        case .real(let v): String(v)
        case .text(let v): v
        case .null: ""
        }
    }
}

extension Optional: StoreColumn where Wrapped: StoreColumn {
    static func from(_ value: StoreValue) -> Wrapped? {
        if case .null = value { return nil }
        return Wrapped.from(value)
    }
}

/// One row of a query, by column name (the last column of a name wins, as `SELECT a.*, b.x AS x` wants).
struct StoreRow: Sendable {
    /// Column names in the query's order.
    var order: [String]
    var values: [String: StoreValue]

    init(columns: [(name: String, value: StoreValue)]) {
        order = columns.map(\.name)
        values = Dictionary(columns.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    subscript<T: StoreColumn>(_ column: String) -> T {
        T.from(values[column] ?? .null)
    }

    static func fetchAll(_ db: any ServeSQL, sql: String, arguments: StoreArguments = []) throws -> [StoreRow] {
        try db.rows(sql: sql, arguments: arguments)
    }

    static func fetchOne(_ db: any ServeSQL, sql: String, arguments: StoreArguments = []) throws -> StoreRow? {
        try db.rows(sql: sql, arguments: arguments).first
    }
}

extension StoreColumn {
    /// The first column of the first row, or nil without rows (`SELECT COUNT(*) …`, `SELECT id …`).
    static func fetchOne(_ db: any ServeSQL, sql: String, arguments: StoreArguments = []) throws -> Self? {
        guard let row = try db.rows(sql: sql, arguments: arguments).first, let first = row.firstValue else { return nil }
        if case .null = first { return nil }
        return from(first)
    }
}

extension StoreRow {
    /// The value of the first column (queries read through `fetchOne` name one column).
    var firstValue: StoreValue? { order.first.flatMap { values[$0] } }
}
