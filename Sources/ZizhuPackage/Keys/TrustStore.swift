import Foundation
import ZizhuCore

/// A province's (or city's) trust folder: one `<school_code>.pub` per school, the public half of
/// the key that school's principal signs with (`zizhu keys new --name <school_code>`).
public struct TrustStore: Sendable {
    /// The folder.
    public let folder: String

    /// What the folder holds for one school.
    public enum Lookup: Sendable, Equatable {
        /// The school's trusted key, read from `path`.
        case key(PublicSigningKey, path: String)
        /// No `<school_code>.pub` in the folder.
        case missing(path: String)
        /// A file is there but is not a usable public key.
        case unusable(path: String, reason: String)
        /// The school code cannot name a file (it holds `/`, `..`, …): never looked up.
        case invalidSchoolCode(reason: String)
    }

    /// A trust folder; a path that is not an existing folder is `.configuration`.
    public init(folder: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ZizhuError(.configuration, Message("key.trust.noFolder", ["folder": folder]), hint: Message("key.trust.noFolder.hint"))
        }
        self.folder = folder
    }

    /// Looks up the key of the school `schoolCode`. The code comes from a package, so it is
    /// checked to be a plain file name before it touches the file system.
    public func key(forSchool schoolCode: String) -> Lookup {
        if let reason = SigningKeyFile.unusableName(schoolCode) {
            return .invalidSchoolCode(reason: "school code \"\(schoolCode)\" \(reason)")
        }
        let path = (folder as NSString).appendingPathComponent(schoolCode + ".pub")
        guard FileManager.default.fileExists(atPath: path) else { return .missing(path: path) }
        do {
            return .key(try SigningKeyFile.loadPublicKey(path), path: path)
        } catch let error as ZizhuError {
            return .unusable(path: path, reason: error.message)
        } catch {
            return .unusable(path: path, reason: "\(error)")
        }
    }
}
