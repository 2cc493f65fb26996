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
            hasher.update(part)
        }
        return hex(hasher.finalize())
    }

    /// `hex([a, b, c])` without the array (a run hashes three cells of every finding).
    static func hex(_ a: String, _ b: String, _ c: String) -> String {
        var hasher = SHA256()
        hasher.update(a)
        hasher.update(data: separator)
        hasher.update(b)
        hasher.update(data: separator)
        hasher.update(c)
        return hex(hasher.finalize())
    }

    private static let separator = Data([0x1F])
    private static let digits: StaticString = "0123456789abcdef"

    /// Lower-case hex of `bytes` (at most `limit` of them) by table lookup, written straight into
    /// the string's storage (String(format:) per byte is slow at 100,000 findings).
    public static func hex<Bytes: Sequence>(_ bytes: Bytes, limit: Int = 64) -> String where Bytes.Element == UInt8 {
        var count = 0
        for _ in bytes.prefix(limit) { count += 1 }
        return String(unsafeUninitializedCapacity: count * 2) { out in
            digits.withUTF8Buffer { table in
                var i = 0
                for byte in bytes.prefix(limit) {
                    out[i] = table[Int(byte >> 4)]
                    out[i + 1] = table[Int(byte & 0x0F)]
                    i += 2
                }
            }
            return count * 2
        }
    }
}

extension HashFunction {
    /// Hashes the string's UTF-8 bytes (no copy for a native string).
    mutating func update(_ text: String) {
        var text = text
        text.withUTF8 { update(bufferPointer: UnsafeRawBufferPointer($0)) }
    }
}

/// A finding's identity: code + term + school + student key, where the student key is a keyed
/// hash (HMAC-SHA-256 under the store's secret) of the normalized id number, so the store can
/// tell the same student again without ever holding the id.
public struct FindingIdentity: Sendable {
    /// The secret's bytes (`Keyer` holds the hashes of its pads for a run).
    private let secret: Data

    public init(secret: Data) {
        self.secret = secret
    }

    /// HMAC-SHA-256 keyed once: the hashes of the key's inner and outer pads are worked out once
    /// per run and copied for each student (RFC 2104, as swift-crypto's `HMAC` computes it; fed
    /// from byte buffers, without `HMAC.update(data:)`'s generic walk over regions).
    public struct Keyer {
        private let inner: SHA256
        private let outer: SHA256

        init(secret: Data) {
            // A key longer than a block is hashed first; a shorter one is padded with zeros.
            var block = [UInt8](repeating: 0, count: SHA256.blockByteCount)
            if secret.count > SHA256.blockByteCount {
                let digest = SHA256.hash(data: secret)
                for (i, byte) in digest.enumerated() { block[i] = byte }
            } else {
                for (i, byte) in secret.enumerated() { block[i] = byte }
            }
            var inner = SHA256()
            var outer = SHA256()
            let innerPad = block.map { $0 ^ 0x36 }
            let outerPad = block.map { $0 ^ 0x5C }
            innerPad.withUnsafeBytes { inner.update(bufferPointer: $0) }
            outerPad.withUnsafeBytes { outer.update(bufferPointer: $0) }
            self.inner = inner
            self.outer = outer
        }

        func mac(_ material: String) -> String {
            var material = material
            return material.withUTF8 { mac(UnsafeRawBufferPointer($0)) }
        }

        /// The MAC of the bytes of each part, one after another (the same as of the parts joined).
        func mac(_ parts: UnsafeRawBufferPointer...) -> String {
            var hasher = inner
            for part in parts { hasher.update(bufferPointer: part) }
            let innerDigest = hasher.finalize()
            var outerHasher = outer
            innerDigest.withUnsafeBytes { outerHasher.update(bufferPointer: $0) }
            return HistoryHash.hex(outerHasher.finalize())
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
        // ASCII (every id and student number the inputs hold in practice): normalized byte by
        // byte, hashed without a String of its own; anything else by Characters, as always.
        if let key = ASCIIKey.studentKey(idNumber: idNumber, schoolCode: schoolCode, studentNo: studentNo, keyer: keyer) {
            return key
        }
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
        var hasher = SHA256()
        let separator: UInt8 = 0x1F
        withUnsafeBytes(of: separator) { separator in
            hasher.update(code)
            hasher.update(bufferPointer: separator)
            hasher.update(term)
            hasher.update(bufferPointer: separator)
            hasher.update(schoolCode)
            hasher.update(bufferPointer: separator)
            hasher.update(studentKey)
            if ordinal > 0 {
                hasher.update(bufferPointer: separator)
                hasher.update(String(ordinal))
            }
        }
        return HistoryHash.hex(hasher.finalize(), limit: 8)
    }
}

/// The student key's material for ASCII cells, on bytes: the same bytes `studentKey` hashes when
/// it normalizes by Characters (for ASCII, `isWhitespace` is 0x09–0x0D and 0x20, `uppercased()` is a–z).
enum ASCIIKey {
    /// nil when a cell the key reads is not ASCII (the caller then normalizes by Characters).
    static func studentKey(idNumber: String, schoolCode: String, studentNo: String, keyer: FindingIdentity.Keyer) -> String? {
        enum ByID { case key(String), noID, notASCII }
        var idNumber = idNumber
        let byID = idNumber.withUTF8 { id -> ByID in
            guard isASCII(id) else { return .notASCII }
            guard !id.isEmpty else { return .noID }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: id.count) { buffer -> ByID in
                let count = normalize(id, into: buffer, upper: true)
                guard count > 0 else { return .noID }
                let prefix: StaticString = "id:"
                return .key(keyer.mac(UnsafeRawBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount),
                                      UnsafeRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[..<count])))
            }
        }
        switch byID {
        case .key(let key): return key
        case .notASCII: return nil
        case .noID: return noKey(schoolCode: schoolCode, studentNo: studentNo, keyer: keyer)
        }
    }

    /// No id: keyed by school and student number, or the empty key.
    private static func noKey(schoolCode: String, studentNo: String, keyer: FindingIdentity.Keyer) -> String? {
        guard !studentNo.isEmpty else { return "" }
        var schoolCode = schoolCode
        var studentNo = studentNo
        return schoolCode.withUTF8 { school in
            studentNo.withUTF8 { number -> String? in
                guard isASCII(number) else { return nil }
                return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: number.count) { buffer in
                    let count = normalize(number, into: buffer, upper: false)
                    let prefix: StaticString = "no:"
                    let separator: StaticString = "\u{1F}"
                    return keyer.mac(UnsafeRawBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount),
                                     UnsafeRawBufferPointer(school),
                                     UnsafeRawBufferPointer(start: separator.utf8Start, count: separator.utf8CodeUnitCount),
                                     UnsafeRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[..<count]))
                }
            }
        }
    }

    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var all: UInt8 = 0
        for byte in bytes { all |= byte }
        return all < 0x80
    }

    /// Copies `bytes` without ASCII whitespace, a–z upper-cased when `upper`; returns the count.
    static func normalize(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>, upper: Bool) -> Int {
        var n = 0
        for byte in bytes {
            if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) { continue }
            out[n] = upper && byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte
            n += 1
        }
        return n
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
