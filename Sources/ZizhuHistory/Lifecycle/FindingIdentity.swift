import Crypto
import Foundation
import ZizhuCore

/// SHA-256 helpers shared by the history.
public enum HistoryHash {
    /// Hex SHA-256 of the parts joined by a unit separator (U+001F), which no cell holds.
    public static func hex(_ parts: [String]) -> String {
        var hasher = SHA256()
        for (i, part) in parts.enumerated() {
            if i > 0 { hasher.update(data: separator) }
            var part = part
            part.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        }
        return hex(hasher.finalize())
    }

    private static let separator = Data([0x1F])
    private static let digits = Array("0123456789abcdef".utf8)

    /// Lower-case hex of `bytes` by table lookup (String(format:) per byte is slow at 100,000 findings).
    public static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A finding's identity: code + term + school + student key, where the student key is a keyed
/// hash (HMAC-SHA-256 under the store's secret) of the normalized id number, so the store can
/// tell the same student again without ever holding the id.
public struct FindingIdentity: Sendable {
    /// The secret's bytes (a `SymmetricKey` is not `Sendable`: `Keyer` holds one for a run).
    private let secret: Data

    public init(secret: Data) {
        self.secret = secret
    }

    /// An HMAC keyed once, copied for each student (the key's pads are hashed once per run, not per finding).
    public struct Keyer {
        private let keyed: HMAC<SHA256>
        init(secret: Data) { keyed = HMAC<SHA256>(key: SymmetricKey(data: secret)) }
        func mac(_ material: String) -> String {
            var mac = keyed
            var material = material
            material.withUTF8 { mac.update(data: UnsafeRawBufferPointer($0)) }
            return HistoryHash.hex(mac.finalize())
        }
    }

    public func keyer() -> Keyer { Keyer(secret: secret) }

    /// The student key of a finding: the HMAC of its id (upper-cased, spaces removed); a finding
    /// without an id is keyed by its school and student number; one with neither (a school's
    /// R14, M03) has the empty key.
    public func studentKey(idNumber: String, schoolCode: String, studentNo: String) -> String {
        Self.studentKey(idNumber: idNumber, schoolCode: schoolCode, studentNo: studentNo, keyer: keyer())
    }

    static func studentKey(idNumber: String, schoolCode: String, studentNo: String, keyer: Keyer) -> String {
        let id = idNumber.uppercased().filter { !$0.isWhitespace }
        let material: String
        if !id.isEmpty {
            material = "id:" + id
        } else if !studentNo.isEmpty {
            material = "no:" + schoolCode + "\u{1F}" + studentNo.filter { !$0.isWhitespace }
        } else {
            return ""
        }
        return keyer.mac(material)
    }

    /// The finding id people type (`zizhu findings note ID`): 16 hex digits of SHA-256 over
    /// code, term, school and student key (and the ordinal when one run holds the same identity
    /// twice, e.g. two unmatched payments with no id).
    public static func findingID(code: String, term: String, schoolCode: String, studentKey: String, ordinal: Int = 0) -> String {
        var parts = [code, term, schoolCode, studentKey]
        if ordinal > 0 { parts.append(String(ordinal)) }
        return String(HistoryHash.hex(parts).prefix(16))
    }
}

/// The secret behind the student keys: 32 random bytes in a file beside the store, mode 0600,
/// made on first use. Lose it and the same student gets a new key (new findings); keep it out of
/// the store so a copy of the database alone cannot test guessed ids.
public enum HistorySecret {
    /// The secret file for a SQLite store `FILE.db`: `FILE.db.secret`.
    public static func path(besideStore store: String) -> String { store + ".secret" }

    /// Reads the secret at `path`, or makes one (0600) when there is none. A secret file others
    /// can read is refused.
    public static func loadOrCreate(at path: String) throws -> Data {
        let manager = FileManager.default
        if manager.fileExists(atPath: path) {
            let attributes = try? manager.attributesOfItem(atPath: path)
            if let mode = (attributes?[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 {
                throw ZizhuError(.usage, Message("historyError.secret.mode", ["path": path, "mode": String(mode, radix: 8)]),
                                 hint: Message("historyError.secret.mode.hint", ["path": path]))
            }
            guard let data = manager.contents(atPath: path), data.count >= 32 else {
                throw ZizhuError(.history, Message("historyError.secret.short", ["path": path]), hint: Message("historyError.secret.short.hint"))
            }
            return data
        }
        var generator = SystemRandomNumberGenerator()
        let bytes = Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        let hex = Data(HistoryHash.hex(bytes).utf8)
        // Written whole to a private file, then linked into place: link fails when another run
        // made the secret first, and nobody ever reads a half-written one.
        let staged = path + ".\(getpid()).\(UInt64.random(in: 0 ... .max, using: &generator)).tmp"
        let fd = open(staged, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        if fd < 0 {
            throw ZizhuError(.history, Message("historyError.secret.createBeside", ["path": path, "reason": String(cString: strerror(errno))]))
        }
        defer { unlink(staged) }
        let written = hex.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == hex.count, synced else {
            throw ZizhuError(.history, Message("historyError.secret.write", ["path": staged]))
        }
        if link(staged, path) != 0 {
            if errno == EEXIST, let data = manager.contents(atPath: path), data.count >= 32 { return data }
            throw ZizhuError(.history, Message("historyError.secret.create", ["path": path, "reason": String(cString: strerror(errno))]))
        }
        return hex
    }
}
