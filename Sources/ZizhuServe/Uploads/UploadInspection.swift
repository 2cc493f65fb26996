import Foundation
import ZizhuCore
import ZizhuIO

/// Every archive defence of the contract, applied to an upload before anything of it is parsed:
/// a zip (or an .xlsx, which is one) is opened with the project's own reader — absolute or `..`
/// entry names (zip slip), overlapping entries, too many entries, declared sizes or ratios past the
/// limits are refused — and then every entry is inflated into nothing under the same caps, so an
/// entry that lies about its size is caught too; a gzip file is inflated likewise.
public enum UploadInspection {
    /// The server's caps: tighter than the command line's, since a browser upload is a stranger's.
    public static let limits = ArchiveLimits(maxEntryBytes: 512 << 20, maxTotalBytes: 1 << 30, maxRatio: 200, maxEntries: 2_000)

    public static func inspect(path: String, displayName: String, limits: ArchiveLimits = UploadInspection.limits) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ZizhuError(.ioFailure, Message("serveError.upload.read"), at: InputPosition(file: displayName))
        }
        let head = (try? handle.read(upToCount: 4)) ?? Data()
        try? handle.close()
        let magic = Array(head)
        do {
            if magic.starts(with: [0x50, 0x4B]) {
                let archive = try ZipArchive(path: path, limits: limits)
                guard archive.entries.count <= limits.maxEntries else {
                    throw ZizhuError(.limitExceeded, Message("serveError.upload.entries", ["count": "\(archive.entries.count)", "limit": "\(limits.maxEntries)"]))
                }
                for entry in archive.entries where !entry.isDirectory {
                    try archive.pump(entry) { _ in }
                }
            }
            if magic.starts(with: [0x50, 0x4B]) || magic.starts(with: [0x1F, 0x8B]) {
                // What the job will read (gzip members, .csv.gz entries), inflated under the same caps.
                let opened = try InputOpener.open(path, limits: limits)
                for input in opened.inputs where input.format != .xlsx {
                    try input.pump { _ in }
                }
            }
        } catch var error as ZizhuError {
            error.position = InputPosition(file: displayName, entry: error.position?.entry)
            throw error
        }
    }

    /// Runs `inspect` off the server's event loop and says why the upload is refused (masked, as
    /// the refusal page and the audit log show it), or nil when it passes.
    static func refusal(path: String, displayName name: String) async -> String? {
        await JobQueue.onThread {
            do {
                try inspect(path: path, displayName: name)
                return nil
            } catch let error as ZizhuError {
                var text = "\(name): \(error.message)"
                if let entry = error.position?.entry { text = "\(name)!\(entry): \(error.message)" }
                if let hint = error.hint { text += "（\(hint)）" }
                return Masking.text(text)
            } catch {
                return Masking.text("\(name): \(error)")
            }
        }
    }
}
