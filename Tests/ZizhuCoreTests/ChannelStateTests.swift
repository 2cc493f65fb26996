import Testing
import ZizhuCore

/// `ChannelState`'s transitions, one call at a time: no threads, no waiting.
@Suite struct ChannelStateTests {
    private func element(_ action: ChannelState<Int>.ReceiveAction) -> Int? {
        if case .element(let value) = action { return value }
        return nil
    }

    private func isWait(_ action: ChannelState<Int>.ReceiveAction) -> Bool {
        if case .wait = action { return true }
        return false
    }

    private func isFinished(_ action: ChannelState<Int>.ReceiveAction) -> Bool {
        if case .finished = action { return true }
        return false
    }

    @Test func anOpenChannelTakesUpToItsCapacityThenAsksTheSenderToWait() {
        var state = ChannelState<Int>(capacity: 2)
        #expect(state.send(1) == .resumeReceiver)
        #expect(state.send(2) == .resumeReceiver)
        #expect(state.send(3) == .wait)
        #expect(state.count == 2)
        #expect(element(state.receive()) == 1)
        #expect(state.send(3) == .resumeReceiver, "a received element frees its slot")
        #expect(element(state.receive()) == 2)
        #expect(element(state.receive()) == 3)
        #expect(isWait(state.receive()), "empty and open: the receiver waits")
    }

    @Test func theRingKeepsOrderAcrossWrapArounds() {
        var state = ChannelState<Int>(capacity: 3)
        var received: [Int] = []
        for i in 0..<10 {
            #expect(state.send(i) == .resumeReceiver)
            if i % 2 == 1 {
                while let value = element(state.receive()) { received.append(value) }
            }
        }
        #expect(received == Array(0..<10))
    }

    @Test func aCapacityBelowOneIsOne() {
        var state = ChannelState<Int>(capacity: 0)
        #expect(state.capacity == 1)
        #expect(state.send(1) == .resumeReceiver)
        #expect(state.send(2) == .wait)
    }

    @Test func closingHandsOutTheWaitingElementsThenTheEnd() {
        var state = ChannelState<Int>(capacity: 4)
        _ = state.send(1)
        state.close(throwing: nil)
        #expect(state.send(2) == .throwCancelled, "a closed channel takes nothing more")
        #expect(element(state.receive()) == 1)
        #expect(isFinished(state.receive()))
        #expect(isFinished(state.receive()), "the end stays the end")
    }

    @Test func aFailureIsThrownAfterTheElementsSentBeforeIt() {
        var state = ChannelState<Int>(capacity: 4)
        _ = state.send(1)
        state.close(throwing: Boom())
        #expect(element(state.receive()) == 1)
        guard case .throwFailure(let failure) = state.receive() else {
            Issue.record("expected the producer's error")
            return
        }
        #expect(failure is Boom)
    }

    @Test func onlyTheFirstCloseCounts() {
        var state = ChannelState<Int>(capacity: 1)
        state.close(throwing: nil)
        state.close(throwing: Boom())
        #expect(isFinished(state.receive()))
        guard case .closed(let failure) = state.lifecycle else {
            Issue.record("expected closed")
            return
        }
        #expect(failure == nil)
    }

    @Test func cancellingDropsTheWaitingElementsAndMakesSendersThrow() {
        var state = ChannelState<Int>(capacity: 1)
        #expect(state.send(1) == .resumeReceiver)
        #expect(state.send(2) == .wait, "full: the producer waits")
        state.cancel()
        #expect(state.send(2) == .throwCancelled, "the waiting producer, woken, throws")
        #expect(state.count == 0)
        #expect(isFinished(state.receive()))
    }

    @Test func closingACancelledChannelLeavesItCancelled() {
        var state = ChannelState<Int>(capacity: 1)
        state.cancel()
        state.close(throwing: Boom())
        guard case .cancelled = state.lifecycle else {
            Issue.record("expected cancelled")
            return
        }
        #expect(isFinished(state.receive()), "no error surfaces from a cancelled channel")
    }

    @Test func cancellingAClosedChannelDropsWhatWaits() {
        var state = ChannelState<Int>(capacity: 2)
        _ = state.send(1)
        state.close(throwing: Boom())
        state.cancel()
        #expect(isFinished(state.receive()))
    }
}
