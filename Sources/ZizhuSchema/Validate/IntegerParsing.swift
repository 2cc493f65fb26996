/// An optionally signed run of ASCII digits.
func parseInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
    var i = 0
    var negative = false
    if i < bytes.count, bytes[i] == 0x2D || bytes[i] == 0x2B { negative = bytes[i] == 0x2D; i += 1 }
    guard i < bytes.count, bytes.count - i <= 18 else { return nil }
    var n: Int64 = 0
    while i < bytes.count {
        let b = bytes[i]
        guard b >= 0x30, b <= 0x39 else { return nil }
        n = n * 10 + Int64(b - 0x30)
        i += 1
    }
    return negative ? -n : n
}
