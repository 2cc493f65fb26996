import Testing
@testable import ZizhuJobs
import ZizhuTestSupport

/// M01's index sorts its entries by id, then row, with a radix sort by id of entries already in
/// row order; a comparison sort on both keys is its oracle.
@Suite struct CrossSchoolIndexSortTests {
    static func oracle(_ pairs: [(id: UInt64, row: UInt64)]) -> [(id: UInt64, row: UInt64)] {
        pairs.sorted { $0.id != $1.id ? $0.id < $1.id : $0.row < $1.row }
    }

    static func same(_ a: [(id: UInt64, row: UInt64)], _ b: [(id: UInt64, row: UInt64)]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.id == $1.id && $0.row == $1.row }
    }

    @Test func theRadixSortOrdersAsComparingIdThenRow() {
        var random = SeededRandom(state: 17)
        for (count, spread) in [(0, 10), (1, 10), (63, 5), (65, 5), (5000, 300), (20000, 1 << 20), (20000, 0)] {
            var pairs: [(id: UInt64, row: UInt64)] = []
            var row: UInt64 = 0
            for _ in 0..<count {
                row += 1 + random.next() % 3
                let id: UInt64
                switch random.next() % 4 {
                // Packed resident ids spread over many bits, a few repeated; ids that are not
                // resident ids have the top bit set.
                case 0: id = 370_102_200_501_011_234 &+ random.next() % UInt64(max(spread, 1))
                case 1: id = (1 << 63) | random.next() % 50
                case 2: id = random.next() % UInt64(max(spread, 1))
                default: id = 370_102_200_501_011_234
                }
                pairs.append((spread == 0 ? 7 : id, row))
            }
            #expect(Self.same(CrossSchoolIndex.sortedByIDThenRow(pairs), Self.oracle(pairs)), "\(count) entries")
        }
    }

    @Test func entriesOutOfRowOrderAreStillSortedByBothKeys() {
        let pairs: [(id: UInt64, row: UInt64)] = (0..<500).map { k in (UInt64(k % 7), UInt64(1000 - k)) }
        #expect(Self.same(CrossSchoolIndex.sortedByIDThenRow(pairs), Self.oracle(pairs)))
    }
}
