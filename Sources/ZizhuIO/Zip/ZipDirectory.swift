import Foundation
import ZizhuCore

/// Where one zip entry's data lies and what its central directory promises about it.
struct ZipEntryLocation: Sendable {
    var archivePath: String
    var name: String
    var method: UInt16
    var crc32: UInt32
    var compressedSize: Int64
    var uncompressedSize: Int64
    var dataOffset: Int64
    /// The whole archive, when it is held in memory (`archivePath` then only names it).
    var memory: [UInt8]? = nil
}

/// One central directory record, as read.
struct ZipDirectoryEntry {
    var name: String
    var flags: UInt16
    var method: UInt16
    var crc32: UInt32
    var compressedSize: Int64
    var uncompressedSize: Int64
    var localHeaderOffset: Int64

    var isDirectory: Bool { name.hasSuffix("/") || name.hasSuffix("\\") }
    var isEncrypted: Bool { flags & 1 != 0 }
}

/// Reads a zip's central directory without trusting it: every count, size and offset is
/// checked against the file before use.
///
/// We read zip archives ourselves instead of through ZIPFoundation's `extract`: on Linux that
/// inflates past the entry's compressed size and, when the file ends inside a deflate stream,
/// loops for ever — a hostile archive must not be able to hang a run. ZIPFoundation still writes
/// our zips (`ZipWriter`).
struct ZipDirectory {
    let entries: [ZipDirectoryEntry]
    let centralDirectoryOffset: Int64

    private static let endSignature: UInt32 = 0x0605_4b50
    private static let zip64LocatorSignature: UInt32 = 0x0706_4b50
    private static let zip64EndSignature: UInt32 = 0x0606_4b50
    private static let centralSignature: UInt32 = 0x0201_4b50
    static let localSignature: UInt32 = 0x0403_4b50

    init(file: some ZipByteSource, fileSize: Int64, limits: ArchiveLimits, position: InputPosition) throws {
        func corrupt(_ what: Message) -> ZizhuError {
            ZizhuError(.archive, Message("zip.corrupt", parts: ["what": what]), at: position, hint: Message("zip.corrupt.hint"))
        }
        // The end record is the last 22 bytes, or earlier when a comment (≤ 65535 bytes) follows.
        let tailLength = Int(min(fileSize, 22 + 65_535))
        var tail = [UInt8](repeating: 0, count: tailLength)
        let got = try tail.withUnsafeMutableBytes { try file.read(into: $0, at: fileSize - Int64(tailLength), position: position) }
        guard got == tailLength, tailLength >= 22 else { throw corrupt(Message("zip.corrupt.tooShort")) }
        var endAt = -1
        var index = tailLength - 22
        while index >= 0 {
            if tail.le32(index) == Self.endSignature, Int(tail.le16(index + 20)) == tailLength - index - 22 {
                endAt = index
                break
            }
            index -= 1
        }
        guard endAt >= 0 else { throw corrupt(Message("zip.corrupt.noEnd")) }
        guard tail.le16(endAt + 4) == 0, tail.le16(endAt + 6) == 0 else {
            throw ZizhuError(.archive, Message("zip.multiVolume"), at: position, hint: Message("zip.multiVolume.hint"))
        }
        var count = Int64(tail.le16(endAt + 10))
        var directorySize = Int64(tail.le32(endAt + 12))
        var directoryOffset = Int64(tail.le32(endAt + 16))
        let endRecordOffset = fileSize - Int64(tailLength - endAt)
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            // ZIP64: the real values are in the ZIP64 end record, found through its locator.
            guard endAt >= 20, tail.le32(endAt - 20) == Self.zip64LocatorSignature else {
                throw corrupt(Message("zip.corrupt.noZip64Locator"))
            }
            let recordOffset = Int64(bitPattern: tail.le64(endAt - 12))
            guard recordOffset >= 0, recordOffset + 56 <= endRecordOffset else { throw corrupt(Message("zip.corrupt.zip64Offset")) }
            var record = [UInt8](repeating: 0, count: 56)
            let read = try record.withUnsafeMutableBytes { try file.read(into: $0, at: recordOffset, position: position) }
            guard read == 56, record.le32(0) == Self.zip64EndSignature else { throw corrupt(Message("zip.corrupt.zip64End")) }
            count = Int64(bitPattern: record.le64(32))
            directorySize = Int64(bitPattern: record.le64(40))
            directoryOffset = Int64(bitPattern: record.le64(48))
        }
        guard count >= 0, count <= Int64(limits.maxEntries) else {
            throw ZizhuError(.limitExceeded, Message("zip.tooManyEntries", ["count": "\(count)", "limit": "\(limits.maxEntries)"]),
                             at: position, hint: Message("zip.tooManyEntries.hint"))
        }
        guard directoryOffset >= 0, directorySize >= 0, directoryOffset + directorySize <= endRecordOffset else {
            throw corrupt(Message("zip.corrupt.directoryOutside"))
        }
        var directory = [UInt8](repeating: 0, count: Int(directorySize))
        let read = try directory.withUnsafeMutableBytes { try file.read(into: $0, at: directoryOffset, position: position) }
        guard read == directory.count else { throw corrupt(Message("zip.corrupt.directoryShort")) }

        var parsed: [ZipDirectoryEntry] = []
        parsed.reserveCapacity(Int(count))
        var at = 0
        for _ in 0..<count {
            guard at + 46 <= directory.count, directory.le32(at) == Self.centralSignature else {
                throw corrupt(Message("zip.corrupt.record", ["number": "\(parsed.count + 1)"]))
            }
            let flags = directory.le16(at + 8)
            let method = directory.le16(at + 10)
            let crc = directory.le32(at + 16)
            var compressed = Int64(directory.le32(at + 20))
            var uncompressed = Int64(directory.le32(at + 24))
            let nameLength = Int(directory.le16(at + 28))
            let extraLength = Int(directory.le16(at + 30))
            let commentLength = Int(directory.le16(at + 32))
            var localOffset = Int64(directory.le32(at + 42))
            let nameStart = at + 46
            let extraStart = nameStart + nameLength
            let next = extraStart + extraLength + commentLength
            guard next <= directory.count else { throw corrupt(Message("zip.corrupt.recordShort", ["number": "\(parsed.count + 1)"])) }
            let rawName = Array(directory[nameStart..<extraStart])
            var unicodeName: String?
            // Extra fields: ZIP64 sizes (0x0001) and the Info-ZIP Unicode path (0x7075).
            var field = extraStart
            while field + 4 <= extraStart + extraLength {
                let id = directory.le16(field)
                let size = Int(directory.le16(field + 2))
                let body = field + 4
                guard body + size <= extraStart + extraLength else { break }
                if id == 0x0001 {
                    var cursor = body
                    func next64() -> Int64? {
                        guard cursor + 8 <= body + size else { return nil }
                        defer { cursor += 8 }
                        return Int64(bitPattern: directory.le64(cursor))
                    }
                    if uncompressed == 0xFFFF_FFFF { uncompressed = next64() ?? -1 }
                    if compressed == 0xFFFF_FFFF { compressed = next64() ?? -1 }
                    if localOffset == 0xFFFF_FFFF { localOffset = next64() ?? -1 }
                } else if id == 0x7075, size >= 5, directory[body] == 1 {
                    let expected = directory.le32(body + 1)
                    let utf8 = Array(directory[(body + 5)..<(body + size)])
                    let actual = rawName.withUnsafeBytes { crc32Update(0, $0) }
                    if actual == expected, let text = String(bytes: utf8, encoding: .utf8) { unicodeName = text }
                }
                field = body + size
            }
            guard compressed >= 0, uncompressed >= 0, localOffset >= 0 else {
                throw corrupt(Message("zip.corrupt.recordZip64", ["number": "\(parsed.count + 1)"]))
            }
            let name = unicodeName ?? ZipDirectory.decodeName(rawName)
            parsed.append(ZipDirectoryEntry(name: name, flags: flags, method: method, crc32: crc,
                                            compressedSize: compressed, uncompressedSize: uncompressed,
                                            localHeaderOffset: localOffset))
            at = next
        }
        entries = parsed
        centralDirectoryOffset = directoryOffset
    }

    /// Entry names are UTF-8 when flagged; Chinese Windows writes them in GBK without the flag,
    /// so any name is taken as UTF-8 when valid, else GB18030, else Latin-1 (flag or not: some
    /// tools set the flag on GBK names too).
    static func decodeName(_ raw: [UInt8]) -> String {
        if let text = String(bytes: raw, encoding: .utf8) { return text }
        if let converted = try? IconvConverter.convert(raw, from: "GB18030", to: "UTF-8"),
           let text = String(bytes: converted, encoding: .utf8) {
            return text
        }
        return String(raw.map { Character(Unicode.Scalar($0)) })
    }

    /// Why a name may not be extracted anywhere: absolute, a drive, or a `..` step.
    static func unsafeReason(_ name: String) -> String? {
        unsafeWords(name)?.text(.en)
    }

    /// `unsafeReason` as catalogue words.
    static func unsafeWords(_ name: String) -> Message? {
        if name.contains("\u{0}") { return Message("zip.unsafe.nul") }
        let slashed = name.replacingAll("\\", with: "/")
        if slashed.hasPrefix("/") { return Message("zip.unsafe.absolute") }
        let scalars = Array(slashed.unicodeScalars.prefix(2))
        if scalars.count == 2, scalars[1] == ":", scalars[0].isASCII,
           scalars[0].properties.isAlphabetic { return Message("zip.unsafe.drive") }
        if slashed.split(separator: "/", omittingEmptySubsequences: false).contains("..") {
            return Message("zip.unsafe.climbs")
        }
        return nil
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}

extension Array where Element == UInt8 {
    func le16(_ at: Int) -> UInt16 { UInt16(self[at]) | UInt16(self[at + 1]) << 8 }
    func le32(_ at: Int) -> UInt32 {
        UInt32(self[at]) | UInt32(self[at + 1]) << 8 | UInt32(self[at + 2]) << 16 | UInt32(self[at + 3]) << 24
    }
    func le64(_ at: Int) -> UInt64 { UInt64(le32(at)) | UInt64(le32(at + 4)) << 32 }
}
