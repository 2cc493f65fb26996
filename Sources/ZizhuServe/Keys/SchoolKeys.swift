import Foundation
import ZizhuCore
import ZizhuIO
import ZizhuPackage

/// The schools' signing keys the server keeps: `DATA/keys/<school_code>.key` (mode 0600, in a 0700
/// folder; never served by any route) and `<school_code>.pub`, written by `SigningKeyFile` as `zizhu
/// keys new` writes them. A school's key is made when its 校长用户 is created (and, for a data
/// folder from before keys, at its first submission); the principal's submission signs the package
/// with it. `export(to:)` copies the public halves into a trust folder `zizhu merge --trust` reads.
public struct SchoolKeys: Sendable {
    public let folder: String

    public init(dataFolder: String) {
        folder = "\(dataFolder)/keys"
    }

    /// The school's key, made (with its `.pub`) when there is none yet.
    @discardableResult
    public func key(forSchool code: String) throws -> SigningKey {
        let path = "\(folder)/\(code).key"
        if !FileManager.default.fileExists(atPath: path) {
            do {
                _ = try SigningKeyFile.createPair(in: folder, name: code)
            } catch let error as ZizhuError where FileManager.default.fileExists(atPath: path) {
                // Another request (or server on the same data folder) made it first: use that one.
                _ = error
            }
        }
        return try SigningKeyFile.load(path)
    }

    /// The school codes with a key, sorted.
    public func schools() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".pub") }.map { String($0.dropLast(4)) }.sorted()
    }

    /// Copies every school's public key (`<school_code>.pub`, never a private key) into `directory`
    /// (made when missing); a `.pub` already there with other contents is replaced. Returns the codes.
    @discardableResult
    public func export(to directory: String) throws -> [String] {
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ZizhuError(.output, Message("serveError.trustExport", ["path": directory, "reason": error.localizedDescription]))
        }
        let codes = schools()
        for code in codes {
            let bytes = try readPublic(code)
            let target = "\(directory)/\(code).pub"
            do {
                try Data(bytes).write(to: URL(fileURLWithPath: target), options: .atomic)
                try fm.setAttributes([.posixPermissions: 0o644], ofItemAtPath: target)
            } catch {
                throw ZizhuError(.output, Message("serveError.trustExport", ["path": target, "reason": error.localizedDescription]))
            }
        }
        return codes
    }

    private func readPublic(_ code: String) throws -> [UInt8] {
        let path = "\(folder)/\(code).pub"
        _ = try SigningKeyFile.loadPublicKey(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ZizhuError(.ioFailure, Message("serveError.package.read"), at: InputPosition(file: path))
        }
        return [UInt8](data)
    }
}

/// Signs a package the server made, at the principal's submission: the same entries, the declaration
/// with the school key's Ed25519 signature over its canonical bytes (`SigningKey.sign`), written
/// atomically to `target`. The data files, the manifest and the fingerprint are untouched.
enum PackageSigning {
    static func sign(package path: String, with key: SigningKey, to target: String) throws {
        let archive = try ZipArchive(path: path)
        var entries: [ZipEntryData] = []
        for entry in archive.entries where !entry.isDirectory {
            var bytes = try archive.read(entry)
            if entry.name == PackageFormat.declarationEntry {
                let declaration = try PackageJSON.decode(Declaration.self, from: bytes)
                bytes = try PackageJSON.encode(try key.sign(declaration))
            }
            entries.append(ZipEntryData(name: entry.name, bytes: bytes))
        }
        let folder = (target as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let staging = "\(target).\(UUID().uuidString).part"
        try ZipWriter.write(entries: entries, to: staging)
        guard rename(staging, target) == 0 else {
            try? FileManager.default.removeItem(atPath: staging)
            throw ZizhuError(.output, Message("serveError.package.sign", ["path": target]))
        }
    }
}
