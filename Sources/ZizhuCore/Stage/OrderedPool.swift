import Foundation

/// Work on items 0..<count done on several threads and taken back in item order.
///
/// Item `i` goes to worker `i % workers`, which does its items in order and sends each result
/// down its own bounded channel; the caller takes results round-robin, so it sees them in item
/// order — and everything it writes from them is as with one thread. At most `depth` results per
/// worker wait, which bounds memory. Each worker has its own `State` (an open archive, a
/// scratch buffer), made on its thread and never shared.
///
/// The first error in item order is the one thrown, exactly as a loop would; later work is
/// abandoned (workers blocked on a full channel are cancelled) and every thread is joined
/// before `run` returns.
public enum OrderedPool {
    /// One worker per core, at least one, at most `limit`; `ZIZHU_WORKERS=N` sets fewer (a shared
    /// machine, or a benchmark comparing one thread with several). Outputs never depend on it.
    public static func defaultWorkers(limit: Int = 4) -> Int {
        defaultWorkers(limit: limit, environment: ProcessInfo.processInfo.environment)
    }

    public static func defaultWorkers(limit: Int, environment: [String: String]) -> Int {
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        if let text = environment["ZIZHU_WORKERS"], let asked = Int(text), asked > 0 { return min(asked, limit) }
        return min(limit, cores)
    }

    public static func run<State, Output: Sendable>(
        count: Int, workers requested: Int, depth: Int = 2, name: String = "zizhu-worker",
        state makeState: @escaping @Sendable () -> State,
        work: @escaping @Sendable (_ item: Int, _ state: inout State) throws -> Output,
        consume: (_ item: Int, _ output: Output) throws -> Void
    ) throws {
        let workers = max(1, min(requested, count))
        guard workers > 1 else {
            var state = makeState()
            for item in 0..<count { try consume(item, try work(item, &state)) }
            return
        }
        let outputs = (0..<workers).map { _ in Channel<Output>(capacity: max(1, depth)) }
        let threads = (0..<workers).map { w in
            let output = outputs[w]
            return StageThread(name: "\(name)-\(w)") {
                var state = makeState()
                do {
                    for item in stride(from: w, to: count, by: workers) { try output.send(try work(item, &state)) }
                    output.close()
                } catch is CancellationError {
                    // The caller stopped taking results.
                } catch {
                    output.close(throwing: error)
                }
            }
        }
        func stopAll() {
            for output in outputs { output.cancel() }
            for thread in threads { try? thread.join() }
        }
        do {
            for item in 0..<count {
                guard let output = try outputs[item % workers].receive() else {
                    throw CancellationError()
                }
                try consume(item, output)
            }
        } catch {
            stopAll()
            throw error
        }
        stopAll()
    }
}
