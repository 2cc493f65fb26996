import Foundation
import ZizhuCore
import ZizhuIO
import ZizhuPackage

/// Reads a package's bytes from where it lies — a file, or an entry of a city archive — under
/// the merge's caps. A city archive is opened once per loader (one loader per pass).
struct PackageLoader {
    let limits: ArchiveLimits
    let maximumPackageBytes: Int64
    private var archives: [String: Result<ZipArchive, ZizhuError>] = [:]

    init(settings: MergeSettings) {
        var limits = settings.limits
        limits.maxEntryBytes = min(limits.maxEntryBytes, settings.maximumPackageBytes)
        self.limits = limits
        maximumPackageBytes = settings.maximumPackageBytes
    }

    /// A package's bytes, or why they cannot be had.
    enum Loaded {
        case bytes([UInt8])
        /// An M02 problem: the package is quarantined.
        case refused(PackageProblem)
    }

    /// The package's bytes, or why they cannot be had (an M02 reason). A package file that cannot
    /// be opened at all is thrown (`.ioFailure`): that input cannot be read (exit 3).
    mutating func load(_ source: PackageSource) throws -> Loaded {
        switch source.location {
        case .file(let path):
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
            if size > maximumPackageBytes {
                return .refused(Self.problem(Message("merge.package.tooLarge", ["size": "\(size)", "maximum": "\(maximumPackageBytes)"])))
            }
            do {
                return .bytes([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
            } catch {
                throw ZizhuError(.ioFailure, Message("merge.package.unreadable"), at: InputPosition(file: path),
                                 hint: Message("merge.package.unreadable.hint", ["reason": error.localizedDescription]))
            }
        case .entry(let path, let name, let index):
            if let reason = ZipArchive.unsafeWords(name) {
                return .refused(Self.problem(Message("merge.package.unsafe", ["name": name], parts: ["reason": reason])))
            }
            let archive: ZipArchive
            switch try opened(path) {
            case .success(let open): archive = open
            case .failure(let error):
                return .refused(Self.problem(Message("merge.package.cityUnreadable", ["path": path], parts: ["reason": PackageVerifier.words(error)])))
            }
            guard index < archive.entries.count, archive.entries[index].name == name else {
                return .refused(Self.problem(Message("merge.package.noEntry", ["name": name, "path": path])))
            }
            let entry = archive.entries[index]
            if entry.uncompressedSize > maximumPackageBytes {
                return .refused(Self.problem(Message("merge.package.tooLarge", ["size": "\(entry.uncompressedSize)", "maximum": "\(maximumPackageBytes)"])))
            }
            do {
                return .bytes(try archive.read(entry))
            } catch {
                return .refused(Self.problem(Message("merge.package.entryUnreadable", parts: ["reason": PackageVerifier.words(error)])))
            }
        }
    }

    private mutating func opened(_ path: String) throws -> Result<ZipArchive, ZizhuError> {
        if let known = archives[path] { return known }
        let result: Result<ZipArchive, ZizhuError>
        do {
            result = .success(try ZipArchive(path: path, limits: limits, hostileEntries: .refuseEntry))
        } catch let error as ZizhuError {
            if error.code == .ioFailure { throw error }
            result = .failure(error)
        }
        archives[path] = result
        return result
    }

    /// Why a package found inside a city archive is refused before it is verified: it is itself
    /// a city archive (zips nest one level deep only). Nil when it is not.
    static func nestingProblem(_ bytes: [UInt8], name: String, limits: ArchiveLimits) -> PackageProblem? {
        guard let archive = try? ZipArchive(bytes: bytes, name: name, limits: limits),
              PackageCollector.isCityArchive(archive) else { return nil }
        return problem(Message("merge.package.nested"))
    }

    /// An M02 problem of the package as a whole.
    static func problem(_ reason: Message) -> PackageProblem {
        PackageProblem(.packageIntegrity, "package", reason, subjectWords: Message("verify.subject.package"))
    }
}
