import ZizhuCore

/// The accepted spellings of a `code` field, mapped to an index into its canonical names.
///
/// Canonical names are sorted so that indexes are the same whatever order JSON gave them in.
/// Spellings are matched on their compact normalized bytes — a short linear scan with a length
/// check beats hashing a `String` for the handful of spellings a code has. A spelling ending in
/// `*` is a prefix (`失败*` accepts `失败-账户已销户`); the longest prefix wins.
public struct CodeTable: Sendable {
    public let names: [String]
    /// All spellings' bytes back to back; `spans[i]` locates spelling `i`.
    private let bytes: [UInt8]
    private let spans: [(start: Int, count: Int, index: UInt16, prefix: Bool)]

    public init(_ codes: [String: [String]]) {
        names = codes.keys.sorted()
        var bytes: [UInt8] = []
        var exact: [(start: Int, count: Int, index: UInt16, prefix: Bool)] = []
        var prefixes: [(start: Int, count: Int, index: UInt16, prefix: Bool)] = []
        var seen = Set<String>()
        for (i, name) in names.enumerated() {
            for spelling in [name] + (codes[name] ?? []) {
                var key = TextNormalizer.normalize(spelling, mode: .compact)
                let isPrefix = key.hasSuffix("*")
                if isPrefix { key.removeLast() }
                guard !key.isEmpty, seen.insert((isPrefix ? "*" : "") + key).inserted else { continue }
                let utf8 = Array(key.utf8)
                let span = (start: bytes.count, count: utf8.count, index: UInt16(i), prefix: isPrefix)
                bytes += utf8
                if isPrefix { prefixes.append(span) } else { exact.append(span) }
            }
        }
        self.bytes = bytes
        spans = exact + prefixes.sorted { $0.count > $1.count }
    }

    /// The index of the canonical value `name`.
    public func index(of name: String) -> UInt16? {
        names.firstIndex(of: name).map { UInt16($0) }
    }

    /// Looks up a normalized cell.
    public func lookup(_ cell: UnsafeBufferPointer<UInt8>) -> UInt16? {
        bytes.withUnsafeBufferPointer { all in
            for span in spans {
                if span.prefix ? cell.count < span.count : cell.count != span.count { continue }
                var equal = true
                for k in 0..<span.count where all[span.start + k] != cell[k] {
                    equal = false
                    break
                }
                if equal { return span.index }
            }
            return nil
        }
    }

    /// Spellings for messages: the canonical names.
    public var listing: String { names.joined(separator: " / ") }
}
