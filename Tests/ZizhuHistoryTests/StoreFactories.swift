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

    var description: String { name }

    static let sqlite = StoreFactory(
        name: "SQLite",
        make: { folder in try History.open(folder.file("history.db")) },
        reopen: { history in try History.open(history.backend.location) })

    static let all: [StoreFactory] = [sqlite]
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
    try body(history, folder)
}
