import Foundation

/// A bounded, typed channel between two pipeline stages running on their own threads.
///
/// Stages here are CPU-bound (inflate, decode, parse, validate), so each runs on a dedicated
/// thread and hands *batches* to the next; a full channel blocks the producer, which keeps memory
/// bounded whatever the input size. Closing with an error makes the consumer's `receive` throw
/// it, and `cancel` makes a blocked producer's `send` throw, so a failure anywhere stops the run.
public final class Channel<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    /// A ring of `capacity` slots: a received element is released at once, not kept until a
    /// compaction (batches are megabytes each).
    private var slots: [Element?]
    private var head = 0
    private var count = 0
    private let capacity: Int
    private var closed = false
    private var failure: (any Error)?
    private var cancelled = false

    /// - Parameter capacity: how many elements (batches) may wait; at least 1.
    public init(capacity: Int = 4) {
        self.capacity = max(1, capacity)
        slots = [Element?](repeating: nil, count: self.capacity)
    }

    /// Sends one element, waiting while the channel is full. Throws `CancellationError` when the
    /// consumer gave up.
    public func send(_ element: Element) throws {
        condition.lock()
        defer { condition.unlock() }
        while count >= capacity && !cancelled { condition.wait() }
        if cancelled { throw CancellationError() }
        slots[(head + count) % capacity] = element
        count += 1
        condition.broadcast()
    }

    /// No more elements; `error`, when given, is thrown by the consumer's next `receive`.
    public func close(throwing error: (any Error)? = nil) {
        condition.lock()
        defer { condition.unlock() }
        if !closed {
            closed = true
            failure = error
        }
        condition.broadcast()
    }

    /// The consumer stops: producers blocked in `send` throw.
    public func cancel() {
        condition.lock()
        defer { condition.unlock() }
        cancelled = true
        for i in slots.indices { slots[i] = nil }
        head = 0
        count = 0
        condition.broadcast()
    }

    /// The next element, or `nil` once the channel is closed and drained; rethrows the producer's error.
    public func receive() throws -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while count == 0 && !closed { condition.wait() }
        if count > 0, let element = slots[head] {
            slots[head] = nil
            head = (head + 1) % capacity
            count -= 1
            condition.broadcast()
            return element
        }
        if let failure { throw failure }
        return nil
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
