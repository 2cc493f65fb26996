import Foundation

/// A bounded, typed channel between two pipeline stages running on their own threads.
///
/// Stages here are CPU-bound (inflate, decode, parse, validate), so each runs on a dedicated
/// thread and hands *batches* to the next; a full channel blocks the producer, which keeps memory
/// bounded whatever the input size. Closing with an error makes the consumer's `receive` throw
/// it, and `cancel` makes a blocked producer's `send` throw, so a failure anywhere stops the run.
///
/// What happens is decided by `ChannelState`, which holds the elements and the lifecycle and
/// answers each call with an action; this class only locks, waits and wakes.
public final class Channel<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var state: ChannelState<Element>

    /// - Parameter capacity: how many elements (batches) may wait; at least 1.
    public init(capacity: Int = 4) {
        state = ChannelState(capacity: capacity)
    }

    /// Sends one element, waiting while the channel is full. Throws `CancellationError` when the
    /// consumer gave up (or the channel was closed: nothing more is taken).
    public func send(_ element: Element) throws {
        condition.lock()
        defer { condition.unlock() }
        while true {
            switch state.send(element) {
            case .wait: condition.wait()
            case .resumeReceiver:
                condition.broadcast()
                return
            case .throwCancelled: throw CancellationError()
            }
        }
    }

    /// No more elements; `error`, when given, is thrown by the consumer's next `receive` once the
    /// elements sent before are received. Only the first close counts.
    public func close(throwing error: (any Error)? = nil) {
        condition.lock()
        defer { condition.unlock() }
        state.close(throwing: error)
        condition.broadcast()
    }

    /// The consumer stops: waiting elements are dropped and producers blocked in `send` throw.
    public func cancel() {
        condition.lock()
        defer { condition.unlock() }
        state.cancel()
        condition.broadcast()
    }

    /// The next element, or `nil` once the channel is closed and drained (or cancelled); rethrows
    /// the producer's error.
    public func receive() throws -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            switch state.receive() {
            case .wait: condition.wait()
            case .element(let element):
                condition.broadcast()
                return element
            case .finished: return nil
            case .throwFailure(let failure): throw failure
            }
        }
    }
}

/// The state of a `Channel`: its waiting elements and where it is in its life, with every
/// transition as a plain method that returns what the caller must do (wait, wake the other side,
/// throw) — no locks or threads, so each transition is testable on its own. The pattern is
/// swift-async-algorithms' `ChannelStateMachine`.
public struct ChannelState<Element> {
    /// Where a channel is in its life.
    public enum Lifecycle {
        /// Elements are taken and handed out.
        case open
        /// The producer is done: the waiting elements are handed out, then `failure` is thrown
        /// (or the end reported when there is none).
        case closed(failure: (any Error)?)
        /// The consumer gave up: nothing waits, senders throw, receivers see the end.
        case cancelled
    }

    public enum SendAction {
        /// The channel is full: wait, then send again.
        case wait
        /// The element was taken: wake a waiting receiver.
        case resumeReceiver
        /// The channel takes nothing more: throw `CancellationError`.
        case throwCancelled
    }

    public enum ReceiveAction {
        /// Nothing waits and the producer is not done: wait, then receive again.
        case wait
        /// The next element: wake a waiting sender.
        case element(Element)
        /// Closed and drained, or cancelled: the end.
        case finished
        /// Closed with an error and drained: throw it.
        case throwFailure(any Error)
    }

    public private(set) var lifecycle: Lifecycle = .open
    /// A ring of `capacity` slots: a received element is released at once, not kept until a
    /// compaction (batches are megabytes each).
    private var slots: [Element?]
    private var head = 0
    /// How many elements wait.
    public private(set) var count = 0

    /// - Parameter capacity: how many elements may wait; at least 1.
    public init(capacity: Int) {
        slots = [Element?](repeating: nil, count: max(1, capacity))
    }

    public var capacity: Int { slots.count }

    public mutating func send(_ element: Element) -> SendAction {
        guard case .open = lifecycle else { return .throwCancelled }
        guard count < capacity else { return .wait }
        slots[(head + count) % capacity] = element
        count += 1
        return .resumeReceiver
    }

    public mutating func receive() -> ReceiveAction {
        if count > 0, let element = slots[head] {
            slots[head] = nil
            head = (head + 1) % capacity
            count -= 1
            return .element(element)
        }
        switch lifecycle {
        case .open: return .wait
        case .closed(let failure?): return .throwFailure(failure)
        case .closed(nil), .cancelled: return .finished
        }
    }

    /// The first close counts; closing a cancelled channel changes nothing.
    public mutating func close(throwing error: (any Error)?) {
        guard case .open = lifecycle else { return }
        lifecycle = .closed(failure: error)
    }

    /// Drops the waiting elements; every later send throws.
    public mutating func cancel() {
        lifecycle = .cancelled
        for i in slots.indices { slots[i] = nil }
        head = 0
        count = 0
    }
}

/// Runs `body` on a new thread with a large stack and returns a handle to wait for it.
public final class StageThread: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var failure: (any Error)?

    public init(name: String, _ body: @escaping @Sendable () throws -> Void) {
        let thread = Thread { [self] in
            do { try body() } catch { failure = error }
            done.signal()
        }
        thread.name = name
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Waits for the thread to finish and rethrows its error.
    public func join() throws {
        done.wait()
        if let failure { throw failure }
    }
}
