import Foundation
import ZizhuCore

/// Finds the project's data folders (`schemas/`, `pipelines/`) at run time.
///
/// A schema or pipeline is named either by a path or by a built-in name. Built-in names are looked
/// up in `$ZIZHU_HOME/<folder>`, then in the nearest `<folder>` found walking up from the
/// executable (covers `.build/release/zizhu` and test bundles in a checkout), then from the
/// current directory. Data stays data: copying and editing a schema needs no rebuild.
public enum ProjectFiles {
    /// Candidate roots, most specific first.
    public static func roots() -> [URL] {
        var roots: [URL] = []
        if let home = ProcessInfo.processInfo.environment["ZIZHU_HOME"], !home.isEmpty {
            roots.append(URL(fileURLWithPath: home))
        }
        var starts: [URL] = []
        if let executable = Bundle.main.executableURL { starts.append(executable.deletingLastPathComponent()) }
        starts.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        for start in starts {
            var dir = start.standardizedFileURL
            for _ in 0..<8 {
                if FileManager.default.fileExists(atPath: dir.appendingPathComponent("schemas").path) {
                    roots.append(dir)
                    break
                }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        return roots
    }

    /// Resolves `nameOrPath` in `folder` (`schemas`, `pipelines`) with `ext` (`json`, `yaml`).
    public static func locate(_ nameOrPath: String, folder: String, ext: String) throws -> URL {
        let fm = FileManager.default
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".\(ext)") {
            let url = URL(fileURLWithPath: nameOrPath)
            if fm.fileExists(atPath: url.path) { return url }
            throw ZizhuError(.configuration, Message("error.locate.noFile"), at: InputPosition(file: nameOrPath))
        }
        for root in roots() {
            let url = root.appendingPathComponent(folder).appendingPathComponent("\(nameOrPath).\(ext)")
            if fm.fileExists(atPath: url.path) { return url }
        }
        let kind = Message(folder == "schemas" ? "word.schema" : folder == "pipelines" ? "word.pipeline" : "word.file")
        let known = builtInNames(folder: folder, ext: ext)
        guard !known.isEmpty else {
            throw ZizhuError(.configuration, Message("error.locate.noBuiltIn", ["name": nameOrPath], parts: ["kind": kind]),
                             hint: Message("error.locate.noBuiltIn.hint", ["ext": ext, "folder": folder]))
        }
        throw ZizhuError(.configuration, Message("error.locate.unknown", ["name": nameOrPath], parts: ["kind": kind]),
                         hint: Message("error.locate.unknown.hint", ["folder": folder, "names": known.joined(separator: ", "), "ext": ext]))
    }

    /// The built-in names in `folder`, the contract's order first (roster, applications, ledger,
    /// allocations, schools), then any others by name.
    public static func builtInNames(folder: String, ext: String) -> [String] {
        var names: Set<String> = []
        for root in roots() {
            let dir = root.appendingPathComponent(folder)
            for file in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] where file.hasSuffix(".\(ext)") {
                names.insert(String(file.dropLast(ext.count + 1)))
            }
        }
        let first = ["roster", "applications", "ledger", "allocations", "schools"].filter(names.contains)
        return first + names.subtracting(first).sorted()
    }
}

extension TableSchema {
    /// Loads a built-in schema by name (`roster`) or a schema file by path.
    public static func named(_ nameOrPath: String) throws -> TableSchema {
        try load(from: ProjectFiles.locate(nameOrPath, folder: "schemas", ext: "json"))
    }
}
