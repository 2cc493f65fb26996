/// Resolves region cells through `RegionTable.shared`, remembering answers
/// by their bytes so a million rows naming the same few hundred places build no `String` after
/// the first of each.
struct RegionCache: Sendable {
    private var entries: [UInt64: [(key: [UInt8], code: Int32?)]] = [:]
    private var count = 0
    static let capacity = 100_000

    /// The last spelling looked up and its answer: rows of one school repeat their region.
    private var lastKey: [UInt8] = []
    private var lastCode: Int32?

    mutating func resolve(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        if !lastKey.isEmpty, lastKey.count == bytes.count,
           lastKey.withUnsafeBufferPointer({ $0.elementsEqual(bytes) }) {
            return lastCode
        }
        let code = lookup(bytes)
        lastKey.removeAll(keepingCapacity: true)
        lastKey.append(contentsOf: bytes)
        lastCode = code
        return code
    }

    private mutating func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        if let bucket = entries[hash] {
            for entry in bucket where entry.key.elementsEqual(bytes) { return entry.code }
        }
        let code = RegionTable.shared.resolve(String(decoding: bytes, as: UTF8.self)).map { Int32($0.code) }
        if count < Self.capacity {
            entries[hash, default: []].append((Array(bytes), code))
            count += 1
        }
        return code
    }
}
