import Foundation
import ZIPFoundation
import ZizhuCore

/// One file to put in a zip: its path inside the archive and its bytes.
public struct ZipEntryData: Sendable {
    /// Path inside the archive, `/`-separated, relative.
    public var name: String
    /// The file's content, stored deflated.
    public var bytes: [UInt8]

    /// An entry named `name` holding `bytes`.
    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }
}

/// Writes zip archives (the school package 申报包) whose bytes depend only on their entries.
public enum ZipWriter {
    /// 1980-01-01 00:00 UTC, the earliest time a zip can hold.
    static let fixedDate = Date(timeIntervalSince1970: 315_532_800)

    /// Writes a zip with the entries in the given order, deflated, every timestamp fixed
    /// (1980-01-01 00:00) and every permission 0644, so equal inputs give equal bytes.
    ///
    /// Replaces `path` if it exists (callers write into a temporary directory and rename).
    /// Entry names must be relative, without `..`, and unique.
    public static func write(entries: [ZipEntryData], to path: String) throws {
        var seen = Set<String>()
        for entry in entries {
            if entry.name.isEmpty || entry.name.hasSuffix("/") {
                throw ZizhuError(.output, Message("zip.write.notFileName", ["name": entry.name]))
            }
            if let reason = ZipDirectory.unsafeWords(entry.name) {
                throw ZizhuError(.output, Message("zip.write.unsafe", ["name": entry.name], parts: ["reason": reason]))
            }
            if !seen.insert(entry.name).inserted {
                throw ZizhuError(.output, Message("zip.write.twice", ["name": entry.name]))
            }
        }
        let url = URL(fileURLWithPath: path)
        // ZIPFoundation creates only new files.
        if unlink(path) != 0 && errno != ENOENT {
            throw ZizhuError(.output, Message("zip.write.replace", ["path": path, "reason": ReadableFile.describe(errno)]))
        }
        do {
            let archive = try Archive(url: url, accessMode: .create)
            for entry in entries {
                let bytes = entry.bytes
                try archive.addEntry(with: entry.name, type: .file, uncompressedSize: Int64(bytes.count),
                                     modificationDate: fixedDate, permissions: 0o644,
                                     compressionMethod: .deflate, bufferSize: 1 << 16) { position, size in
                    let start = Int(position)
                    return Data(bytes[start..<min(bytes.count, start + size)])
                }
            }
        } catch let error as ZizhuError {
            throw error
        } catch {
            let code = WriteFailure.errno(of: error) ?? (errno != 0 ? errno : nil)
            throw ZizhuError(.output, Message("zip.write.failed", ["path": path, "reason": "\(error)"]),
                             hint: WriteFailure.words(errno: code, doing: "write the file"))
        }
    }
}
