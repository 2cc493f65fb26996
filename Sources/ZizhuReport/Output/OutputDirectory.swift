import Foundation
import ZizhuCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A run's output folder, replaced whole (contract §9): every file is written into a hidden
/// staging folder beside `--out` (`.zizhu-staging-<pid>-<name>`), and `commit()` swaps that folder
/// for `--out` in one step, so `--out` holds exactly this run's files or exactly the previous
/// run's — never a mix, never a stale file of an earlier run. `discard()` (or a failed run) leaves
/// the previous folder as it was.
///
/// The swap is `renameat2(RENAME_EXCHANGE)` where the kernel has it (Linux); elsewhere the old
/// folder is renamed aside (`.zizhu-old-<pid>-<name>`), the new one into place, and the old one
/// removed. Staging and old folders carry the pid of their run: one whose process is gone (a
/// killed run) is removed by the next run into the same place — and an old folder whose run died
/// before the new one took its place is put back first.
///
/// A folder that already exists is replaced only when it is empty or a previous zizhu run's (it
/// holds `manifest.json`); anything else (a home folder, a folder of other files) is refused.
public final class OutputDirectory: @unchecked Sendable {
    public let url: URL
    public let staging: URL
    private var names: [String] = []
    private var committed = false
    /// Digests of staged files made as they were written (`recordDigest`), by name.
    private var written: [String: FileDigest] = [:]
    private let writtenLock = NSLock()
    /// The folder that will hold `--out`, when this run made it (a failed run removes it again).
    private let createdParent: URL?

    /// The file every run writes last; its presence marks a folder as a zizhu run's output.
    public static let marker = "manifest.json"
    static let stagingPrefix = ".zizhu-staging-"
    static let oldPrefix = ".zizhu-old-"

    /// Checks `path` may be replaced, cleans debris of dead runs beside it, and makes the staging folder.
    public init(path: String) throws {
        url = URL(fileURLWithPath: path).standardizedFileURL
        let fm = FileManager.default
        let parent = url.deletingLastPathComponent()
        let name = url.lastPathComponent
        staging = parent.appendingPathComponent("\(Self.stagingPrefix)\(getpid())-\(name)")
        createdParent = fm.fileExists(atPath: parent.path) ? nil : parent
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw ZizhuError(.output, Message("error.output.create"), at: InputPosition(file: path),
                             hint: WriteFailure.words(errno: WriteFailure.errno(of: error), doing: "create the folder"))
        }
        Self.cleanDebris(in: parent, name: name)
        try Self.checkReplaceable(url, path: path)
        do {
            if fm.fileExists(atPath: staging.path) { try fm.removeItem(at: staging) }
            try fm.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw ZizhuError(.output, Message("error.output.staging"), at: InputPosition(file: staging.path),
                             hint: WriteFailure.words(errno: WriteFailure.errno(of: error), doing: "create the folder"))
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
            throw ZizhuError(.output, Message("error.output.write", ["name": name]), at: InputPosition(file: target.path),
                             hint: WriteFailure.words(errno: WriteFailure.errno(of: error), doing: "write the file"))
        }
    }

    public func write(_ text: String, to name: String) throws { try write(Data(text.utf8), to: name) }

    /// Keeps the size and SHA-256 of the staged file `name` as its writer made them while writing
    /// (from any thread), so that the manifest need not read the file again.
    public func recordDigest(_ digest: FileDigest, of name: String) {
        writtenLock.lock()
        written[name] = digest
        writtenLock.unlock()
    }

    /// Size and SHA-256 of the staged file `name`: the one its writer recorded when the file on
    /// disk still has that size, else read from the file.
    public func digest(of name: String) throws -> FileDigest {
        let target = staging.appendingPathComponent(name)
        writtenLock.lock()
        let recorded = written[name]
        writtenLock.unlock()
        if let recorded, let size = (try? FileManager.default.attributesOfItem(atPath: target.path))?[.size] as? NSNumber,
           size.int64Value == recorded.bytes {
            return FileDigest(path: name, bytes: recorded.bytes, sha256: recorded.sha256)
        }
        return try FileDigest.of(target, as: name)
    }

    /// The staged files, in the order they were first written.
    public var stagedNames: [String] { names }

    /// Puts the staged folder in the place of `--out` in one step and removes the previous one.
    public func commit() throws {
        let fm = FileManager.default
        if !fm.fileExists(atPath: url.path) {
            try Self.rename(staging, to: url)
        } else if Self.exchange(staging, url) {
            // `staging` now holds the previous run's files.
            try? fm.removeItem(at: staging)
        } else {
            let old = url.deletingLastPathComponent().appendingPathComponent("\(Self.oldPrefix)\(getpid())-\(url.lastPathComponent)")
            if fm.fileExists(atPath: old.path) { try? fm.removeItem(at: old) }
            try Self.rename(url, to: old)
            do { try Self.rename(staging, to: url) } catch {
                _ = systemRename(old.path, url.path)
                throw error
            }
            try? fm.removeItem(at: old)
        }
        committed = true
    }

    /// Removes everything staged; `--out` stays as it was.
    public func discard() {
        guard !committed else { return }
        try? FileManager.default.removeItem(at: staging)
        if let createdParent, (try? FileManager.default.contentsOfDirectory(atPath: createdParent.path))?.isEmpty == true {
            try? FileManager.default.removeItem(at: createdParent)
        }
    }

    deinit { discard() }

    // MARK: checks and cleaning

    /// Refuses a path that is a file, or a folder that holds files but no zizhu marker.
    static func checkReplaceable(_ url: URL, path: String) throws {
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        guard fm.fileExists(atPath: url.path, isDirectory: &isFolder) else { return }
        guard isFolder.boolValue else {
            throw ZizhuError(.usage, Message("error.output.isFile", ["path": path]), at: InputPosition(file: path),
                             hint: Message("error.output.isFile.hint"))
        }
        // Debris of a killed run (hidden `.zizhu-…` folders) does not count as the user's files.
        let entries = ((try? fm.contentsOfDirectory(atPath: url.path)) ?? []).filter { !$0.hasPrefix(".zizhu-") }
        guard !entries.isEmpty, !entries.contains(marker) else { return }
        throw ZizhuError(.usage, Message("error.output.foreign", ["path": path, "marker": marker]),
                         at: InputPosition(file: path),
                         hint: Message("error.output.foreign.hint"))
    }

    /// Removes staging and old folders for `name` left in `parent` by runs whose process is gone;
    /// an old folder whose run died before the new folder was in place goes back first.
    static func cleanDebris(in parent: URL, name: String) {
        let fm = FileManager.default
        guard let entries = try? fm.contentsOfDirectory(atPath: parent.path) else { return }
        let target = parent.appendingPathComponent(name)
        for entry in entries.sorted() {
            for prefix in [stagingPrefix, oldPrefix] where entry.hasPrefix(prefix) {
                let rest = entry.dropFirst(prefix.count)
                guard let dash = rest.firstIndex(of: "-"), rest[rest.index(after: dash)...] == name[...],
                      let pid = Int32(rest[..<dash]), !isAlive(pid) else { continue }
                let debris = parent.appendingPathComponent(entry)
                if prefix == oldPrefix, !fm.fileExists(atPath: target.path), systemRename(debris.path, target.path) == 0 { continue }
                try? fm.removeItem(at: debris)
            }
        }
    }

    /// Whether a process `pid` exists (one of another user counts as alive).
    static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        if pid == getpid() { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    // MARK: renaming

    private static func rename(_ from: URL, to: URL) throws {
        guard systemRename(from.path, to.path) == 0 else {
            let code = errno
            throw ZizhuError(.output, Message("error.output.move", ["reason": String(cString: strerror(code))]),
                             at: InputPosition(file: to.path), hint: WriteFailure.words(errno: code, doing: "rename the folder"))
        }
    }

    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32

    /// `renameat2`, looked up at run time (the Glibc module does not declare it).
    private static let renameat2: RenameAt2? = {
        #if os(Linux)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: RenameAt2.self)
        #else
        return nil
        #endif
    }()

    /// Swaps two folders in one step; false when the system cannot (then nothing changed).
    static func exchange(_ a: URL, _ b: URL) -> Bool {
        guard let renameat2 else { return false }
        let exchangeFlag: UInt32 = 1 << 1  // RENAME_EXCHANGE
        return renameat2(AT_FDCWD, a.path, AT_FDCWD, b.path, exchangeFlag) == 0
    }
}

/// The C library's `rename` (the class has a method of the same name).
private func systemRename(_ from: String, _ to: String) -> Int32 { rename(from, to) }
