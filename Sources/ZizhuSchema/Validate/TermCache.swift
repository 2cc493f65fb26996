import ZizhuCore

/// Parses term cells, remembering answers by their bytes: a file writes its term in one or two
/// spellings, and `Term.parse` builds strings. Allocates nothing for a spelling seen before.
struct TermCache: Sendable {
    private var terms: [UInt64: [(key: [UInt8], term: Result<Term, ValueError>)]] = [:]
    private var termCount = 0

    /// The term `bytes` spell, or why they spell none.
    mutating func term(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<Term, ValueError> {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        if let bucket = terms[hash] {
            for entry in bucket where entry.key.elementsEqual(bytes) { return entry.term }
        }
        let parsed = Term.parse(String(decoding: bytes, as: UTF8.self))
        if termCount < 1024 {
            terms[hash, default: []].append((Array(bytes), parsed))
            termCount += 1
        }
        return parsed
    }
}
