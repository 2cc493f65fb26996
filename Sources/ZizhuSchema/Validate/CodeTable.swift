import ZizhuCore

/// The accepted spellings of a `code` field, mapped to an index into its canonical names.
///
/// Canonical names are sorted so that indexes are the same whatever order JSON gave them in.
/// Spellings are matched on their compact normalized form; a spelling ending in `*` is a prefix.
public struct CodeTable: Sendable {
    public let names: [String]
    private let exact: [String: UInt16]
    private let prefixes: [(prefix: [UInt8], index: UInt16)]

    public init(_ codes: [String: [String]]) {
        names = codes.keys.sorted()
        var exact: [String: UInt16] = [:]
        var prefixes: [(prefix: [UInt8], index: UInt16)] = []
        for (i, name) in names.enumerated() {
            let index = UInt16(i)
            for spelling in [name] + (codes[name] ?? []) {
                let key = TextNormalizer.normalize(spelling, mode: .compact)
                if key.hasSuffix("*") {
                    prefixes.append((Array(key.dropLast().utf8), index))
                } else if exact[key] == nil {
                    exact[key] = index
                }
            }
        }
        self.exact = exact
        // Longest prefix first, so `交易失败*` wins over `交易*`.
        self.prefixes = prefixes.sorted { $0.prefix.count > $1.prefix.count }
    }

    /// The index of the canonical value `name`.
    public func index(of name: String) -> UInt16? {
        names.firstIndex(of: name).map { UInt16($0) }
    }

    /// Looks up a normalized cell.
    public func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt16? {
        if let index = exact[String(decoding: bytes, as: UTF8.self)] { return index }
        for (prefix, index) in prefixes where bytes.count >= prefix.count {
            if prefix.withUnsafeBufferPointer({ p in memcmp(p.baseAddress, bytes.baseAddress, prefix.count) == 0 }) {
                return index
            }
        }
        return nil
    }

    /// Spellings for messages: the canonical names.
    public var listing: String { names.joined(separator: " / ") }
}

@inline(__always) private func memcmp(_ a: UnsafePointer<UInt8>?, _ b: UnsafePointer<UInt8>?, _ n: Int) -> Int32 {
    guard let a, let b else { return n == 0 ? 0 : 1 }
    for i in 0..<n where a[i] != b[i] { return 1 }
    return 0
}
