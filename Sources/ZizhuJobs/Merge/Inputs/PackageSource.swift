import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ZizhuCore
import ZizhuIO
import ZizhuPackage

/// Where one school package comes from: a package file, or a package inside a city archive.
public struct PackageSource: Sendable, Hashable, Comparable {
    public enum Location: Sendable, Hashable {
        /// A package file (given, or found in a folder).
        case file(path: String)
        /// An entry of a city archive (a zip of packages): its name and its place among the
        /// archive's entries (two entries may share a name; each is a package).
        case entry(archive: String, entry: String, index: Int)
    }

    /// `cities/370100.zip!3701J001_2023-fall.zip` or `in/3701J001_2023-fall.zip`: how findings,
    /// sources and the merged files' `source_package` column name the package.
    public var name: String
    public var location: Location

    public init(name: String, location: Location) {
        self.name = name
        self.location = location
    }

    public static func < (lhs: PackageSource, rhs: PackageSource) -> Bool { lhs.name < rhs.name }

    /// The package's own file name (`3701J001_2023-fall.zip`).
    public var fileName: String {
        let path: String
        switch location {
        case .file(let file): path = file
        case .entry(_, let entry, _): path = entry
        }
        return path.split(separator: "/").last.map(String.init) ?? path
    }
}

/// Finds the packages in a merge's inputs: a package file, a city archive (a zip whose entries
/// are packages), or a folder of either (walked, hidden names skipped).
///
/// Nesting goes one level deep: a city archive holds packages; a zip of city archives is not
/// opened further (its entries are quarantined with that reason when verified). A city archive
/// that cannot be opened at all — damaged, cut short — cannot be told from a damaged package: it
/// becomes one source whose verification says why (M02), so nothing of it is merged and the other
/// inputs still are. One hostile entry of a city archive (`..` or an absolute path, data
/// overlapping another entry's, a bomb, not a zip) is one source refused alone (M02 naming the
/// archive and the entry); the archive's other packages are verified and merged as usual.
///
/// Every entry is read, even two under one name (the second is named `…zip#2`): a resend that
/// hides behind its twin's name is still seen (M05). Only regular files are read: a FIFO, socket
/// or device found in a folder is skipped with a note (opening a FIFO would wait for a writer),
/// and one given by name cannot be read (`.ioFailure`).
public enum PackageCollector {
    /// What the inputs hold.
    public struct Collection: Sendable {
        /// Every package found, sorted by name, each name once.
        public var sources: [PackageSource] = []
        /// Things passed over: entries of city archives that are not packages, folders without one.
        public var notes: [String] = []
    }

    /// Collects the packages of `inputs`. A path that does not exist or cannot be read is thrown
    /// (`.ioFailure`, exit 3): nothing of the run is written.
    public static func collect(_ inputs: [String], limits: ArchiveLimits = .default, language: Language = .zh) throws -> Collection {
        var collection = Collection()
        var found: [PackageSource] = []
        for input in inputs {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) else {
                throw ZizhuError(.ioFailure, Message("merge.input.missing"), at: InputPosition(file: input),
                                 hint: Message("merge.input.missing.hint"))
            }
            if isDirectory.boolValue {
                var skipped: [String] = []
                let files = try zipFiles(in: input, skipped: &skipped)
                collection.notes += skipped.map { language("note.merge.notRegular", ["path": $0]) }
                if files.isEmpty { collection.notes.append(language("note.merge.noZip", ["path": input])) }
                for file in files { found += try classify(file, limits: limits, language: language, notes: &collection.notes) }
            } else {
                guard isRegularFile(input) else {
                    throw ZizhuError(.ioFailure, Message("merge.input.notRegular"), at: InputPosition(file: input),
                                     hint: Message("merge.input.notRegular.hint"))
                }
                found += try classify(input, limits: limits, language: language, notes: &collection.notes)
            }
        }
        var seen = Set<String>()
        collection.sources = found.sorted().filter { seen.insert($0.name).inserted }
        return collection
    }

    /// The `.zip` files under `folder`, sorted; names starting with `.` (a run's staging folder,
    /// `.DS_Store`) are skipped, and so is what is not a regular file (a FIFO, socket or device).
    public static func zipFiles(in folder: String) throws -> [String] {
        var skipped: [String] = []
        return try zipFiles(in: folder, skipped: &skipped)
    }

    /// As `zipFiles(in:)`; `skipped` gets the `.zip` names that are not regular files.
    public static func zipFiles(in folder: String, skipped: inout [String]) throws -> [String] {
        let manager = FileManager.default
        guard let enumerator = manager.enumerator(atPath: folder) else {
            throw ZizhuError(.ioFailure, Message("merge.input.folder"), at: InputPosition(file: folder))
        }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let last = relative.split(separator: "/").last.map(String.init) ?? relative
            if last.hasPrefix(".") {
                enumerator.skipDescendants()
                continue
            }
            guard last.lowercased().hasSuffix(".zip") else { continue }
            let path = folder.hasSuffix("/") ? folder + relative : folder + "/" + relative
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            if isRegularFile(path) { files.append(path) } else { skipped.append(path) }
        }
        skipped.sort()
        return files.sorted()
    }

    /// True when `path` is a regular file, after symbolic links.
    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// A zip file as one package, or as the packages of a city archive.
    static func classify(_ path: String, limits: ArchiveLimits, language: Language, notes: inout [String]) throws -> [PackageSource] {
        let archive: ZipArchive
        do {
            archive = try ZipArchive(path: path, limits: limits, hostileEntries: .refuseEntry)
        } catch let error as ZizhuError where error.code == .ioFailure {
            throw error
        } catch {
            // Unreadable as a zip: verification names the reason (M02).
            return [PackageSource(name: path, location: .file(path: path))]
        }
        guard isCityArchive(archive) else {
            // A package (its hostile entries are the verifier's to report).
            return [PackageSource(name: path, location: .file(path: path))]
        }
        var sources: [PackageSource] = []
        var seen: [String: Int] = [:]
        for (index, entry) in archive.entries.enumerated() where !entry.isDirectory {
            if entry.name.lowercased().hasSuffix(".zip") {
                let count = (seen[entry.name] ?? 0) + 1
                seen[entry.name] = count
                let name = "\(path)!\(entry.name)" + (count > 1 ? "#\(count)" : "")
                sources.append(PackageSource(name: name, location: .entry(archive: path, entry: entry.name, index: index)))
            } else {
                notes.append(language("note.merge.notPackage", ["path": path, "entry": entry.name]))
            }
        }
        for (name, count) in seen.sorted(by: { $0.key < $1.key }) where count > 1 {
            notes.append(language("note.merge.twins", ["path": path, "count": "\(count)", "name": name]))
        }
        return sources
    }

    /// A zip holding no package entry and at least one `.zip`: a city archive.
    static func isCityArchive(_ archive: ZipArchive) -> Bool {
        let files = archive.entries.filter { !$0.isDirectory }
        if files.contains(where: { PackageFormat.entries.contains($0.name) }) { return false }
        return files.contains { $0.name.lowercased().hasSuffix(".zip") }
    }
}
