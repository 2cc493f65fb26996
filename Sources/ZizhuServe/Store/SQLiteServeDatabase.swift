import Foundation
import GRDB

/// The server's state in one SQLite file (GRDB): the default, `DATA/serve.sqlite`.
final class SQLiteServeDatabase: ServeDatabase {
    let queue: DatabaseQueue
    let location: String
    var dialect: ServeDialect { .sqlite }

    init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        queue = try DatabaseQueue(path: path, configuration: configuration)
        location = path
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in ServeSchema.migrations {
            let sql = migration.sql
            migrator.registerMigration(migration.identifier) { db in try db.execute(sql: sql) }
        }
        return migrator
    }

    func migrate(upTo identifier: String?) throws {
        if let identifier {
            try Self.migrator.migrate(queue, upTo: identifier)
        } else {
            try Self.migrator.migrate(queue)
        }
    }

    @discardableResult
    func read<T>(_ body: (any ServeSQL) throws -> T) throws -> T {
        try queue.read { db in try body(Statements(db: db)) }
    }

    @discardableResult
    func write<T>(_ body: (any ServeSQL) throws -> T) throws -> T {
        // DatabaseQueue's writes are IMMEDIATE transactions: one writer at a time, also across processes.
        try queue.write { db in try body(Statements(db: db)) }
    }

    struct Statements: ServeSQL {
        let db: Database

        func execute(sql: String, arguments: StoreArguments) throws -> Int {
            if arguments.values.isEmpty {
                try db.execute(sql: sql)
            } else {
                try db.execute(sql: sql, arguments: Self.arguments(arguments))
            }
            return db.changesCount
        }

        func insert(sql: String, arguments: StoreArguments) throws -> Int64 {
            try db.execute(sql: sql, arguments: Self.arguments(arguments))
            return db.lastInsertedRowID
        }

        func rows(sql: String, arguments: StoreArguments) throws -> [StoreRow] {
            try Row.fetchAll(db, sql: sql, arguments: Self.arguments(arguments)).map { row in
                StoreRow(columns: zip(row.columnNames, row.databaseValues).map { name, value in
                    switch value.storage {
                    case .null, .blob: (name: name, value: .null)
                    case .int64(let v): (name: name, value: .integer(v))
                    case .double(let v): (name: name, value: .real(v))
                    case .string(let v): (name: name, value: .text(v))
                    }
                })
            }
        }

        static func arguments(_ arguments: StoreArguments) -> StatementArguments {
            StatementArguments(arguments.values.map { value -> (any DatabaseValueConvertible)? in
                switch value {
                case .null: nil
                case .integer(let v): v
                case .real(let v): v
                case .text(let v): v
                }
            })
        }
    }
}
