import Foundation
import ZizhuCore
import ZizhuIO
import ZizhuPackage

/// Where one school package comes from: a package file, or a package inside a city archive.
public struct PackageSource: Sendable, Hashable, Comparable {
    public enum Location: Sendable, Hashable {
        /// A package file (given, or found in a folder).
        case file(path: String)
        /// An entry of a city archive (a zip of packages).
        case entry(archive: String, entry: String)
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
        case .entry(_, let entry): path = entry
        }
        return path.split(separator: "/").last.map(String.init) ?? path
    }
}

/// Finds the packages in a merge's inputs: a package file, a city archive (a zip whose entries
/// are packages), or a folder of either (walked, hidden names skipped).
///
/// Nesting goes one level deep: a city archive holds packages; a zip of city archives is not
/// opened further (its entries are quarantined with that reason when verified). A city archive
/// that cannot be opened at all — damaged, cut short, an entry with `..` or an absolute path —
/// cannot be told from a damaged package: it becomes one source whose verification says why
/// (M02), so nothing of it is merged and the other inputs still are.
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
    public static func collect(_ inputs: [String], limits: ArchiveLimits = .default) throws -> Collection {
        var collection = Collection()
        var found: [PackageSource] = []
        for input in inputs {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) else {
                throw ZizhuError(.ioFailure, "no such file or folder", at: InputPosition(file: input),
                                 hint: "give school packages ({school_code}_{term}.zip), city archives or folders of them")
            }
            if isDirectory.boolValue {
                let files = try zipFiles(in: input)
                if files.isEmpty { collection.notes.append("\(input): no .zip file in the folder") }
                for file in files { found += try classify(file, limits: limits, notes: &collection.notes) }
            } else {
                found += try classify(input, limits: limits, notes: &collection.notes)
            }
        }
        var seen = Set<String>()
        collection.sources = found.sorted().filter { seen.insert($0.name).inserted }
        return collection
    }

    /// The `.zip` files under `folder`, sorted; names starting with `.` (a run's staging folder,
    /// `.DS_Store`) are skipped.
    public static func zipFiles(in folder: String) throws -> [String] {
        let manager = FileManager.default
        guard let enumerator = manager.enumerator(atPath: folder) else {
            throw ZizhuError(.ioFailure, "the folder cannot be read", at: InputPosition(file: folder))
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
            if manager.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue { files.append(path) }
        }
        return files.sorted()
    }

    /// A zip file as one package, or as the packages of a city archive.
    static func classify(_ path: String, limits: ArchiveLimits, notes: inout [String]) throws -> [PackageSource] {
        let archive: ZipArchive
        do {
            archive = try ZipArchive(path: path, limits: limits)
        } catch let error as ZizhuError where error.code == .ioFailure {
            throw error
        } catch {
            // Unreadable as a zip: verification names the reason (M02).
            return [PackageSource(name: path, location: .file(path: path))]
        }
        guard isCityArchive(archive) else { return [PackageSource(name: path, location: .file(path: path))] }
        var sources: [PackageSource] = []
        for entry in archive.entries where !entry.isDirectory {
            if entry.name.lowercased().hasSuffix(".zip") {
                sources.append(PackageSource(name: "\(path)!\(entry.name)", location: .entry(archive: path, entry: entry.name)))
            } else {
                notes.append("\(path): entry \(entry.name) skipped: not a package (a city archive holds {school_code}_{term}.zip files)")
            }
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
