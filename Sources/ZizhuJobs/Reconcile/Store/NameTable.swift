extension Reconciler {
    /// Interns short, much-repeated texts (school codes) by their bytes: slot 0 is the empty
    /// text, and a row of the same school as the last one costs a byte comparison, no `String`.
    struct NameTable: Sendable {
        private(set) var names: [String] = [""]
        private var bytes: [[UInt8]] = [[]]
        private var byHash: [UInt64: [UInt32]] = [:]
        private var last: UInt32 = 0

        mutating func intern(_ text: UnsafeBufferPointer<UInt8>) -> UInt32 {
            if text.isEmpty { return 0 }
            if bytes[Int(last)].elementsEqual(text) { return last }
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in text { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            if let bucket = byHash[hash] {
                for index in bucket where bytes[Int(index)].elementsEqual(text) {
                    last = index
                    return index
                }
            }
            let index = UInt32(names.count)
            names.append(String(decoding: text, as: UTF8.self))
            bytes.append(Array(text))
            byHash[hash, default: []].append(index)
            last = index
            return index
        }

        mutating func intern(_ name: String) -> UInt32 {
            var copy = name
            return copy.withUTF8 { intern($0) }
        }

        subscript(index: UInt32) -> String { Int(index) < names.count ? names[Int(index)] : "" }
    }
}
