import Foundation
import ZizhuHistory
import ZizhuTestSupport

/// A way to make an empty history for one test. The store tests run once per factory in `all`:
/// a backend joins the suite by adding its factory here (PostgreSQL: one that returns nil, with
/// the reason in `skipReason`, when no server can be started).
struct StoreFactory: Sendable, CustomStringConvertible {
    let name: String
    /// Makes a fresh, empty, migrated history whose files (if any) live in `folder`; nil when the
    /// backend cannot run here.
    let make: @Sendable (_ folder: ScratchFolder) throws -> History?
    /// A second connection to the same store as `history` (for two writers at once).
    let reopen: @Sendable (_ history: History) throws -> History
    /// Removes what `make` made outside `folder` (PostgreSQL: the test's schema).
    var discard: @Sendable (_ history: History) -> Void = { _ in }

    var description: String { name }

    static let sqlite = StoreFactory(
        name: "SQLite",
        make: { folder in try History.open(folder.file("history.db")) },
        reopen: { history in try History.open(history.backend.location) })

    /// Each test in a schema of its own on the server from ZIZHU_TEST_POSTGRES_URL (Postgres/PostgresTestServer.swift).
    static let postgres = StoreFactory(
        name: "PostgreSQL",
        make: { folder in try PostgresTestServer.makeHistory(secretFolder: folder) },
        reopen: { history in try PostgresTestServer.reopen(history) },
        discard: { history in PostgresTestServer.discard(history) })

    /// PostgreSQL joins only when a test server is there; without one the suite
    /// "History: the PostgreSQL store" is skipped and says why.
    static let all: [StoreFactory] = PostgresTestServer.url == nil ? [sqlite] : [sqlite, postgres]
}

/// A scratch folder and a history from `factory`, cleaned up after `body`; `body` is skipped
/// (with a note on stderr) when the backend cannot run here.
func withStore(_ factory: StoreFactory, _ body: (History, ScratchFolder) throws -> Void) throws {
    let folder = try ScratchFolder(prefix: "zizhu-history")
    defer { folder.cleanUp() }
    guard let history = try factory.make(folder) else {
        FileHandle.standardError.write(Data("skipping \(factory.name): the backend is not available here\n".utf8))
        return
    }
    defer { factory.discard(history) }
    try body(history, folder)
}
