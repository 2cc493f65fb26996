import Foundation
import ZizhuCore
import ZizhuSchema

/// Validates record batches on worker threads and hands the results back in submission order.
///
/// Batches are dealt round-robin to the workers and collected round-robin, so order — and
/// therefore every output byte — is the same as with one thread. At most two batches per worker
/// are in flight, which keeps memory bounded.
final class ValidationPool {
    private struct Job: Sendable {
        var batch: RecordBatch
        var validator: BatchValidator
    }

    private struct Worker {
        let input: Channel<Job>
        let output: Channel<BatchResult>
        let thread: StageThread
    }

    private let workers: [Worker]
    private var next = 0
    private var inflight: [Int] = []
    private var inflightHead = 0

    /// Workers: one per core, at least one, at most four.
    static var defaultWorkers: Int { min(4, max(1, ProcessInfo.processInfo.activeProcessorCount)) }

    /// `prepare` runs on each validated batch beside validation (`ValidatedBatch.prepared`).
    init(workers count: Int = ValidationPool.defaultWorkers, prepare: BatchPreparer? = nil) {
        workers = (0..<max(1, count)).map { i in
            let input = Channel<Job>(capacity: 2)
            let output = Channel<BatchResult>(capacity: 2)
            let thread = StageThread(name: "zizhu-validate-\(i)") {
                var scratch = RowValidator.Scratch()
                do {
                    while let job = try input.receive() {
                        var result = job.validator.validate(job.batch, scratch: &scratch)
                        if let prepare { result.out.prepared = prepare(result.out, job.validator.validator) }
                        try output.send(result)
                    }
                    output.close()
                } catch {
                    output.close(throwing: error)
                }
            }
            return Worker(input: input, output: output, thread: thread)
        }
    }

    private var pending: Int { inflight.count - inflightHead }

    /// Queues a batch; returns the results that had to be collected to make room, in order.
    func submit(_ batch: RecordBatch, with validator: BatchValidator) throws -> [BatchResult] {
        var ready: [BatchResult] = []
        while pending >= 2 * workers.count { ready.append(try collect()) }
        try workers[next].input.send(Job(batch: batch, validator: validator))
        inflight.append(next)
        next = (next + 1) % workers.count
        return ready
    }

    /// Every result still in flight, in order.
    func drain() throws -> [BatchResult] {
        var ready: [BatchResult] = []
        while pending > 0 { ready.append(try collect()) }
        inflight.removeAll()
        inflightHead = 0
        return ready
    }

    private func collect() throws -> BatchResult {
        let worker = workers[inflight[inflightHead]]
        inflightHead += 1
        if inflightHead > 64 {
            inflight.removeFirst(inflightHead)
            inflightHead = 0
        }
        guard let result = try worker.output.receive() else {
            throw ZizhuError(.ioFailure, Message("run.workerStopped"))
        }
        return result
    }

    /// Stops the workers and waits for them.
    func close() {
        for worker in workers {
            worker.input.close()
            worker.output.cancel()
        }
        for worker in workers { try? worker.thread.join() }
    }
}
