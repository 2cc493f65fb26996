import Foundation
import ZizhuCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The key files `zizhu keys new` writes, and reading them back.
///
/// Both are two lines of text, UTF-8, LF:
/// ```
/// zizhu-ed25519-private-key            zizhu-ed25519-public-key
/// <base64 of the raw 32-byte seed>     <base64 of the raw 32-byte public key>
/// ```
/// `NAME.key` (private) is created with mode 0600 in the `open(2)` call itself, so it is never
/// readable by others, not even for a moment; `NAME.pub` with 0644. Neither is ever overwritten.
///
/// Loading a private key that the group or others may read or write is refused (`.configuration`,
/// with a `chmod 600` hint), as ssh refuses such keys: a principal's key that others could read
/// proves nothing, and a warning would scroll past unread.
public enum SigningKeyFile {
    public static let privateTag = "zizhu-ed25519-private-key"
    public static let publicTag = "zizhu-ed25519-public-key"
    /// The name `keys new` uses when none is given.
    public static let defaultName = "principal"
    /// Key files are tiny; anything bigger is not one.
    static let maximumSize = 4096

    /// What `createPair` wrote.
    public struct CreatedPair: Sendable {
        public var privateKeyPath: String
        public var publicKeyPath: String
        public var publicKey: PublicSigningKey
    }

    /// Writes a new key pair `DIR/NAME.key` and `DIR/NAME.pub`, creating `directory` (mode 0700)
    /// when it does not exist. Refuses (`.usage`) when either file exists or `name` is not a
    /// plain file name.
    public static func createPair(in directory: String, name: String = defaultName) throws -> CreatedPair {
        if let reason = unusableNameWords(name) {
            throw ZizhuError(.usage, Message("key.name", ["name": name], parts: ["reason": reason]), hint: Message("key.name.hint"))
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw ZizhuError(.usage, Message("key.out.notFolder", ["path": directory]), hint: Message("key.out.notFolder.hint"))
            }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                throw ZizhuError(.output, Message("key.out.create", ["path": directory, "reason": error.localizedDescription]))
            }
        }
        let privatePath = (directory as NSString).appendingPathComponent(name + ".key")
        let publicPath = (directory as NSString).appendingPathComponent(name + ".pub")
        for path in [privatePath, publicPath] where exists(path) {
            throw ZizhuError(.usage, Message("error.key.exists", ["path": path]), hint: Message("error.key.exists.hint"))
        }
        let key = SigningKey.generate()
        let publicKey = try key.publicKey
        try writeNew(privatePath, text(tag: privateTag, raw: key.rawRepresentation), mode: 0o600)
        do {
            try writeNew(publicPath, text(tag: publicTag, raw: publicKey.rawRepresentation), mode: 0o644)
        } catch {
            unlink(privatePath)
            throw error
        }
        return CreatedPair(privateKeyPath: privatePath, publicKeyPath: publicPath, publicKey: publicKey)
    }

    /// Reads a private key file. Missing or unreadable: `.ioFailure`; not a key file, or readable
    /// by group or others: `.configuration`.
    public static func load(_ path: String) throws -> SigningKey {
        let (bytes, mode) = try readSmallFile(path, what: "private key")
        if mode & 0o077 != 0 {
            throw ZizhuError(.configuration,
                             Message("error.key.mode", ["path": path, "mode": String(mode & 0o777, radix: 8)]),
                             hint: Message("error.key.mode.hint", ["path": path]))
        }
        let raw = try parse(bytes, tag: privateTag, path: path, what: "private key")
        do {
            return try SigningKey(rawRepresentation: raw)
        } catch {
            throw garbled(path, "private key", Message("key.file.noKey"))
        }
    }

    /// Reads a public key file. Missing or unreadable: `.ioFailure`; not a key file: `.configuration`.
    public static func loadPublicKey(_ path: String) throws -> PublicSigningKey {
        let (bytes, _) = try readSmallFile(path, what: "public key")
        let raw = try parse(bytes, tag: publicTag, path: path, what: "public key")
        do {
            return try PublicSigningKey(rawRepresentation: raw)
        } catch {
            throw garbled(path, "public key", Message("key.file.noKey"))
        }
    }

    /// Why `name` cannot name a key file, or nil.
    static func unusableName(_ name: String) -> String? {
        unusableNameWords(name)?.text(.en)
    }

    /// `unusableName` as catalogue words.
    static func unusableNameWords(_ name: String) -> Message? {
        if name.isEmpty { return Message("key.name.empty") }
        if name == "." || name == ".." { return Message("key.name.notFileName") }
        if name.contains("/") || name.contains("\\") { return Message("key.name.separator") }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return Message("key.name.control") }
        if name.hasPrefix("-") { return Message("key.name.dash") }
        return nil
    }

    static func text(tag: String, raw: [UInt8]) -> [UInt8] {
        Array("\(tag)\n\(Data(raw).base64EncodedString())\n".utf8)
    }

    /// The raw key bytes of a key file's text: the tag line, then one base64 line. Blank lines
    /// and white space at line ends (a CRLF from an editor) are forgiven.
    static func parse(_ bytes: [UInt8], tag: String, path: String, what: String) throws -> [UInt8] {
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            throw garbled(path, what, Message("key.file.notText"))
        }
        let lines = text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard let first = lines.first, first == tag else {
            let other = tag == privateTag ? publicTag : privateTag
            if lines.first == other {
                throw garbled(path, what, Message(other == privateTag ? "key.file.isPrivate" : "key.file.isPublic"))
            }
            throw garbled(path, what, Message("key.file.firstLine", ["tag": tag]))
        }
        guard lines.count == 2, let data = Data(base64Encoded: lines[1]) else {
            throw garbled(path, what, Message("key.file.secondLine"))
        }
        return [UInt8](data)
    }

    private static func garbled(_ path: String, _ what: String, _ reason: Message) -> ZizhuError {
        ZizhuError(.configuration, Message("key.file.garbled", ["path": path], parts: ["what": word(what), "reason": reason]),
                   hint: Message("key.file.garbled.hint"))
    }

    /// "private key" / "public key" as catalogue words.
    private static func word(_ what: String) -> Message {
        Message(what == "private key" ? "word.privateKey" : "word.publicKey")
    }

    private static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Reads a file of at most `maximumSize` bytes, with its permission bits (from the open
    /// descriptor, so they belong to the bytes read).
    private static func readSmallFile(_ path: String, what: String) throws -> (bytes: [UInt8], mode: UInt32) {
        var fd: Int32
        repeat { fd = open(path, O_RDONLY | O_CLOEXEC) } while fd < 0 && errno == EINTR
        guard fd >= 0 else {
            let code = errno
            throw ZizhuError(.ioFailure, Message("error.key.open", ["path": path, "reason": String(cString: strerror(code))],
                                                         parts: ["what": Message(what == "private key" ? "word.privateKey" : "word.publicKey")]),
                             hint: Message(code == ENOENT ? "error.key.open.missing.hint" : "error.key.open.hint"))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw ZizhuError(.ioFailure, Message("key.file.notRegular", ["path": path], parts: ["what": word(what)]))
        }
        guard info.st_size <= maximumSize else {
            throw garbled(path, what, Message("key.file.tooLarge", ["size": "\(info.st_size)"]))
        }
        var bytes = [UInt8](repeating: 0, count: maximumSize + 1)
        var total = 0
        while total < bytes.count {
            let got = bytes.withUnsafeMutableBytes { buffer in
                read(fd, buffer.baseAddress.map { $0 + total }, buffer.count - total)
            }
            if got > 0 {
                total += got
            } else if got == 0 {
                break
            } else if errno != EINTR {
                throw ZizhuError(.ioFailure, Message("key.file.read", ["path": path, "reason": String(cString: strerror(errno))], parts: ["what": word(what)]))
            }
        }
        guard total <= maximumSize else { throw garbled(path, what, Message("key.file.farTooLarge")) }
        return (Array(bytes[0..<total]), UInt32(info.st_mode))
    }

    /// Creates `path` with `mode` (failing if it exists) and writes `bytes` to it.
    private static func writeNew(_ path: String, _ bytes: [UInt8], mode: mode_t) throws {
        var fd: Int32
        repeat { fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode) } while fd < 0 && errno == EINTR
        guard fd >= 0 else {
            let code = errno
            if code == EEXIST {
                throw ZizhuError(.usage, Message("error.key.exists", ["path": path]), hint: Message("error.key.exists.hint"))
            }
            throw ZizhuError(.output, Message("key.file.create", ["path": path, "reason": String(cString: strerror(code))]),
                             hint: Message("key.file.create.hint"))
        }
        var failure: Int32 = 0
        var done = 0
        while done < bytes.count {
            let wrote = bytes.withUnsafeBytes { buffer in
                write(fd, buffer.baseAddress.map { $0 + done }, buffer.count - done)
            }
            if wrote > 0 {
                done += wrote
            } else if wrote < 0 && errno == EINTR {
                continue
            } else {
                failure = errno
                break
            }
        }
        if failure == 0 && fsync(fd) != 0 { failure = errno }
        if close(fd) != 0 && failure == 0 { failure = errno }
        if failure != 0 {
            unlink(path)
            throw ZizhuError(.output, Message("key.file.write", ["path": path, "reason": String(cString: strerror(failure))]))
        }
    }
}
