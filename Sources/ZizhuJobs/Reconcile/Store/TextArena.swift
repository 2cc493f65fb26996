extension Reconciler {
    /// A byte range in a `TextArena`.
    struct TextSpan: Hashable, Sendable {
        var offset: UInt32
        var length: UInt32
        static let empty = TextSpan(offset: 0, length: 0)
        var isEmpty: Bool { length == 0 }
    }

    /// The display text the run must keep (names, student numbers, fail reasons) as bytes back
    /// to back: one growing buffer instead of a `String` per cell, so a million rows cost their
    /// bytes and nothing more.
    struct TextArena: Sendable {
        private(set) var bytes: [UInt8] = []

        /// Copies `text`; an arena past 4 GiB (never in practice) keeps nothing more.
        mutating func append(_ text: UnsafeBufferPointer<UInt8>) -> TextSpan {
            guard !text.isEmpty, bytes.count + text.count <= Int(UInt32.max) else { return .empty }
            let span = TextSpan(offset: UInt32(bytes.count), length: UInt32(text.count))
            bytes.append(contentsOf: text)
            return span
        }

        func string(_ span: TextSpan) -> String {
            guard !span.isEmpty else { return "" }
            let start = Int(span.offset)
            return String(decoding: bytes[start..<start + Int(span.length)], as: UTF8.self)
        }

        /// FNV-1a of a span's bytes: a cheap first test before `equal`.
        func hash(_ span: TextSpan) -> UInt32 {
            var hash: UInt32 = 0x811C_9DC5
            bytes.withUnsafeBufferPointer { all in
                for k in Int(span.offset)..<Int(span.offset) + Int(span.length) { hash = (hash ^ UInt32(all[k])) &* 0x0100_0193 }
            }
            return hash
        }

        /// Byte equality of two spans (names are normalized before they get here).
        func equal(_ a: TextSpan, _ b: TextSpan) -> Bool {
            guard a.length == b.length else { return false }
            if a.offset == b.offset { return true }
            return bytes.withUnsafeBufferPointer { all in
                let x = Int(a.offset), y = Int(b.offset)
                for k in 0..<Int(a.length) where all[x + k] != all[y + k] { return false }
                return true
            }
        }
    }
}
