/// SplitMix64: turns a seed (and a stream number) into well-mixed 64-bit states.
///
/// Used only to seed `SampleRandom`; never Foundation's generator, so a seed gives the same bytes
/// on every platform and Swift version.
struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// One mixed value from two inputs (a seed and a stream), for deriving sub-seeds.
    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var generator = SplitMix64(state: a ^ (b &* 0xD6E8_FEB8_6659_FD93))
        _ = generator.next()
        return generator.next()
    }
}

/// xoshiro256** seeded from SplitMix64: the generator behind every random choice in a sample.
///
/// Every file and every student draws from its own stream (`init(seed:stream:)`), so adding a
/// draw in one place does not shift the values of unrelated files.
struct SampleRandom {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    init(seed: UInt64, stream: UInt64) {
        var mixer = SplitMix64(state: SplitMix64.mix(seed, stream))
        s0 = mixer.next()
        s1 = mixer.next()
        s2 = mixer.next()
        s3 = mixer.next()
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A value in `0..<bound` (Lemire's multiply-high; the tiny bias is irrelevant for test data).
    mutating func below(_ bound: Int) -> Int {
        guard bound > 1 else { return 0 }
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A value in `range`.
    mutating func between(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.count)
    }

    /// True with probability `perMille`/1000.
    mutating func chance(_ perMille: Int) -> Bool {
        below(1000) < perMille
    }

    /// One element of a non-empty array.
    mutating func pick<T>(_ items: [T]) -> T {
        items[below(items.count)]
    }

    /// An index chosen with the given weights (any non-negative integers, not all zero).
    mutating func weighted(_ weights: [Int]) -> Int {
        let total = weights.reduce(0, +)
        var roll = below(max(total, 1))
        for (index, weight) in weights.enumerated() {
            if roll < weight { return index }
            roll -= weight
        }
        return weights.count - 1
    }
}
