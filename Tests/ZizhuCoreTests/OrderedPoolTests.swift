import Foundation
import Synchronization
import Testing
import ZizhuCore

@Suite struct OrderedPoolTests {
    private struct Failure: Error, Equatable { var item: Int }

    @Test(arguments: [1, 2, 3, 8])
    func resultsComeBackInItemOrderWhateverTheWorkers(workers: Int) throws {
        var seen: [Int] = []
        try OrderedPool.run(count: 50, workers: workers, state: { 0 }, work: { item, calls in
            calls += 1
            // Uneven work, so that workers finish out of order.
            var sum = 0
            for k in 0..<((item * 7919) % 20_000) { sum &+= k }
            return item * 10 + (sum == -1 ? 1 : 0)
        }, consume: { item, output in
            #expect(output == item * 10)
            seen.append(item)
        })
        #expect(seen == Array(0..<50))
    }

    @Test func eachWorkerKeepsItsOwnState() throws {
        // A worker's state counts the items it did: worker w does items w, w+3, … in order.
        var counts: [Int] = []
        try OrderedPool.run(count: 9, workers: 3, state: { 0 }, work: { _, done in
            done += 1
            return done
        }, consume: { _, done in counts.append(done) })
        #expect(counts == [1, 1, 1, 2, 2, 2, 3, 3, 3])
    }

    @Test(arguments: [1, 2, 4])
    func theFirstErrorInItemOrderIsThrownAndNothingAfterItIsConsumed(workers: Int) {
        var consumed: [Int] = []
        let error = #expect(throws: Failure.self) {
            try OrderedPool.run(count: 40, workers: workers, state: { () }, work: { item, _ in
                if item == 17 || item == 23 { throw Failure(item: item) }
                return item
            }, consume: { item, _ in consumed.append(item) })
        }
        #expect(error == Failure(item: 17))
        #expect(consumed == Array(0..<17))
    }

    @Test func aConsumerThatStopsCancelsTheWorkersAndJoinsThem() {
        let started = Mutex(0)
        #expect(throws: Failure.self) {
            try OrderedPool.run(count: 10_000, workers: 2, depth: 1, state: { () }, work: { item, _ in
                started.withLock { $0 += 1 }
                return item
            }, consume: { item, _ in if item == 3 { throw Failure(item: item) } })
        }
        // Workers blocked on their full channels were cancelled, not left running to the end.
        let count = started.withLock { $0 }
        #expect(count < 100)
    }

    @Test func zizhuWorkersSetsTheNumberWithinTheLimit() {
        #expect(OrderedPool.defaultWorkers(limit: 4, environment: ["ZIZHU_WORKERS": "1"]) == 1)
        #expect(OrderedPool.defaultWorkers(limit: 4, environment: ["ZIZHU_WORKERS": "9"]) == 4)
        let cores = min(4, max(1, ProcessInfo.processInfo.activeProcessorCount))
        #expect(OrderedPool.defaultWorkers(limit: 4, environment: ["ZIZHU_WORKERS": "zero"]) == cores)
        #expect(OrderedPool.defaultWorkers(limit: 4, environment: [:]) == cores)
    }

    @Test func noItemsIsNoWork() throws {
        try OrderedPool.run(count: 0, workers: 4, state: { () }, work: { _, _ in 1 }, consume: { _, _ in Issue.record("consumed") })
    }
}
