import Foundation
import GRDB
import ZizhuCore

/// The server's own small state: accounts, sessions, login failures, the audit log, the expected
/// schools, uploads, jobs and submissions — in SQLite (`DIR/serve.sqlite`, the default) or in
/// PostgreSQL (`store: postgres://…`), behind `ServeDatabase`.
///
/// Runs, findings and packages are files under `DIR/jobs/<id>/out` (the job's ordinary output
/// folder) and uploads are content-addressed files under `DIR/blobs`, whichever engine keeps the
/// rows; the rows here only point at them. Every write is one transaction.
public final class ServeStore: Sendable {
    let database: any ServeDatabase
    let clock: ServeClock

    init(database: any ServeDatabase, clock: ServeClock) {
        self.database = database
        self.clock = clock
    }

    /// Opens (creating when missing) the SQLite store at `path` and brings its tables up to date.
    public convenience init(path: String, clock: ServeClock = .system) throws {
        let database: SQLiteServeDatabase
        do {
            database = try SQLiteServeDatabase(path: path)
            try database.migrate(upTo: nil)
        } catch {
            throw ZizhuError(.ioFailure, Message("serveError.database", ["reason": "\(error)"]), at: InputPosition(file: path),
                             hint: Message("serveError.database.hint"))
        }
        self.init(database: database, clock: clock)
    }

    /// Opens the store of a data folder (`DIR/serve.sqlite`), making the folder when missing.
    public convenience init(dataFolder: String, clock: ServeClock = .system) throws {
        try self.init(store: nil, dataFolder: dataFolder, clock: clock)
    }

    /// Opens the store `store` names: nil or `sqlite` for `DIR/serve.sqlite`, or a `postgres://` URL
    /// (connected and migrated; `?schema=NAME` keeps the tables in a schema of their own). The data
    /// folder is made when missing either way: uploads and job folders live there.
    public convenience init(store: String?, dataFolder: String, clock: ServeClock = .system) throws {
        do {
            try FileManager.default.createDirectory(atPath: dataFolder, withIntermediateDirectories: true)
        } catch {
            throw ZizhuError(.ioFailure, Message("serveError.dataFolder"), at: InputPosition(file: dataFolder),
                             hint: Message("serveError.dataFolder.hint"))
        }
        guard let store, store != "sqlite" else {
            try self.init(path: "\(dataFolder)/serve.sqlite", clock: clock)
            return
        }
        self.init(database: try PostgresServeDatabase.open(url: store), clock: clock)
    }

    /// Where the rows are: the SQLite file, or the PostgreSQL URL without its password.
    public var location: String { database.location }

    /// SQLite's migrations (GRDB's migrator over `ServeSchema.migrations`).
    static var migrator: DatabaseMigrator { SQLiteServeDatabase.migrator }
}

/// Where the server reads the time: the system clock, or a settable one in tests (throttling
/// windows are tested by moving the clock, never by sleeping).
public struct ServeClock: Sendable {
    let now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date) {
        self.now = now
    }

    public static let system = ServeClock { Date() }
}
