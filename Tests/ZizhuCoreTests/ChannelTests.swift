import Foundation
import Testing
import ZizhuCore

struct Boom: Error, Equatable {}

@Test(arguments: [1, 2, 3, 8])
func aChannelDeliversEveryElementInOrderAcrossThreads(capacity: Int) throws {
    let channel = Channel<Int>(capacity: capacity)
    let producer = StageThread(name: "producer") {
        for i in 0..<5_000 { try channel.send(i) }
        channel.close()
    }
    var received: [Int] = []
    while let value = try channel.receive() { received.append(value) }
    try producer.join()
    #expect(received == Array(0..<5_000))
}

@Test func aProducersErrorReachesTheConsumerAfterTheElementsSentBeforeIt() throws {
    let channel = Channel<Int>(capacity: 4)
    try channel.send(1)
    try channel.send(2)
    channel.close(throwing: Boom())
    #expect(try channel.receive() == 1)
    #expect(try channel.receive() == 2)
    #expect(throws: Boom.self) { try channel.receive() }
}

/// Whatever the interleaving (cancelled before the second send or while it waits), the producer
/// throws: the exact transition full → wait → cancelled → throw is `ChannelStateTests`' job.
@Test func cancellingUnblocksAProducerWaitingOnAFullChannel() throws {
    let channel = Channel<Int>(capacity: 1)
    let firstSent = DispatchSemaphore(value: 0)
    let producer = StageThread(name: "producer") {
        try channel.send(1)
        firstSent.signal()
        try channel.send(2)   // blocks: the channel is full
    }
    firstSent.wait()
    channel.cancel()
    #expect(throws: CancellationError.self) { try producer.join() }
    #expect(throws: CancellationError.self) { try channel.send(3) }
    #expect(try channel.receive() == nil, "a cancelled channel hands out nothing")
}

@Test func aStageThreadRethrowsItsError() {
    let thread = StageThread(name: "fails") { throw Boom() }
    #expect(throws: Boom.self) { try thread.join() }
}
