import Foundation
import ZizhuCore
import ZizhuIO

/// Everything an input pumps, concatenated, with the largest chunk seen.
func drain(_ input: ByteInput, chunkSize: Int = 1 << 20) throws -> (bytes: [UInt8], largestChunk: Int) {
    var bytes: [UInt8] = []
    var largest = 0
    try input.pump(chunkSize: chunkSize) { chunk in
        bytes.append(contentsOf: chunk)
        largest = max(largest, chunk.count)
    }
    return (bytes, largest)
}

/// Little-endian field access for patching archives in tests.
extension Array where Element == UInt8 {
    func le16(at offset: Int) -> Int { Int(self[offset]) | Int(self[offset + 1]) << 8 }
    func le32(at offset: Int) -> Int { le16(at: offset) | le16(at: offset + 2) << 16 }

    mutating func setLE32(_ value: Int, at offset: Int) {
        for k in 0..<4 { self[offset + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
    }

    mutating func setLE16(_ value: Int, at offset: Int) {
        for k in 0..<2 { self[offset + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
    }

    /// Offsets of every central directory record (signature PK\1\2).
    var centralRecords: [Int] {
        var result: [Int] = []
        var i = 0
        while i + 4 <= count {
            if self[i] == 0x50 && self[i + 1] == 0x4B && self[i + 2] == 0x01 && self[i + 3] == 0x02 { result.append(i) }
            i += 1
        }
        return result
    }

    func firstIndex(of needle: [UInt8], from start: Int = 0) -> Int? {
        guard needle.count <= count else { return nil }
        var i = start
        while i + needle.count <= count {
            if self[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}

/// Deterministic pseudo-random CSV-like text that compresses like real data.
func sampleText(bytes: Int, seed: UInt64 = 42) -> [UInt8] {
    var state = seed
    var result: [UInt8] = []
    result.reserveCapacity(bytes)
    let words = ["张三", "李四", "王五", "北京市", "1000.00", "370102200501011234", "男", "女", "2023-09-01", "\n"]
    while result.count < bytes {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let word = words[Int(state >> 33) % words.count]
        result.append(contentsOf: Array(word.utf8))
        result.append(0x2C)
    }
    return Array(result.prefix(bytes))
}
