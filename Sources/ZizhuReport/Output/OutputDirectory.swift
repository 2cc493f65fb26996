import Foundation
import ZizhuCore

/// A run's output folder, written atomically: every file is staged in a hidden folder beside the
/// final names and renamed into place by `commit()`; `discard()` (or a failed run) leaves nothing.
public final class OutputDirectory: @unchecked Sendable {
    public let url: URL
    public let staging: URL
    private var names: [String] = []
    private var committed = false
    /// Whether `init` created the folder itself (then a discarded run removes it again).
    private let created: Bool

    /// Creates `path` if needed and a staging folder inside it.
    public init(path: String) throws {
        url = URL(fileURLWithPath: path).standardizedFileURL
        staging = url.appendingPathComponent(".zizhu-staging-\(getpid())")
        created = !FileManager.default.fileExists(atPath: url.path)
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            if FileManager.default.fileExists(atPath: staging.path) { try FileManager.default.removeItem(at: staging) }
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        } catch {
            throw ZizhuError(.output, "cannot create the output folder", at: InputPosition(file: path),
                             hint: "check that the path is writable (\(error.localizedDescription))")
        }
    }

    /// Where to write the staged file `name` (a relative path such as `merged/roster.csv.gz`).
    public func stagedURL(_ name: String) throws -> URL {
        let target = staging.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !names.contains(name) { names.append(name) }
        return target
    }

    /// Writes a whole file.
    public func write(_ data: Data, to name: String) throws {
        let target = try stagedURL(name)
        do { try data.write(to: target) } catch {
            throw ZizhuError(.output, "cannot write \(name)", at: InputPosition(file: target.path), hint: error.localizedDescription)
        }
    }

    public func write(_ text: String, to name: String) throws { try write(Data(text.utf8), to: name) }

    /// The staged files, in the order they were first written.
    public var stagedNames: [String] { names }

    /// Renames every staged file into place and removes the staging folder.
    public func commit() throws {
        let fm = FileManager.default
        for name in names {
            let from = staging.appendingPathComponent(name)
            let to = url.appendingPathComponent(name)
            do {
                try fm.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
                if rename(from.path, to.path) != 0 {
                    throw ZizhuError(.output, "cannot move \(name) into place: \(String(cString: strerror(errno)))", at: InputPosition(file: to.path))
                }
            }
        }
        try? fm.removeItem(at: staging)
        committed = true
    }

    /// Removes everything staged; the folder's earlier contents stay as they were, and a folder
    /// this run created is removed when it is left empty.
    public func discard() {
        guard !committed else { return }
        try? FileManager.default.removeItem(at: staging)
        if created, (try? FileManager.default.contentsOfDirectory(atPath: url.path))?.isEmpty == true {
            try? FileManager.default.removeItem(at: url)
        }
    }

    deinit { discard() }
}
