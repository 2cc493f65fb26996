import Foundation
import ZizhuCore
import ZizhuHistory
import ZizhuPipeline

/// The bounded job queue: `workers` (1–2; the machine has 2 cores) take queued jobs from the store
/// oldest first and run each on a thread of its own, so a slow job never holds up page loads.
///
/// The queue lives in the store, not in memory: an accepted upload's job is a row before the page
/// answers, and after a restart the jobs left running are queued again.
public actor JobQueue {
    let store: ServeStore
    let runner: JobRunner
    let workers: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []
    private var pendingSignal = false
    private var busy = 0
    private var tasks: [Task<Void, Never>] = []

    init(store: ServeStore, runner: JobRunner, workers: Int) {
        self.store = store
        self.runner = runner
        self.workers = max(1, min(2, workers))
    }

    /// Re-queues interrupted jobs and starts the workers.
    func start() throws -> Int {
        let requeued = try store.requeueInterruptedJobs()
        guard tasks.isEmpty else { return requeued }
        for _ in 0..<workers {
            tasks.append(Task { await self.work() })
        }
        return requeued
    }

    func stop() {
        for task in tasks { task.cancel() }
        tasks = []
        let sleeping = waiters
        waiters = []
        for waiter in sleeping { waiter.resume() }
    }

    /// A job was queued: wake a worker.
    func wake() {
        if let waiter = waiters.first {
            waiters.removeFirst()
            waiter.resume()
        } else {
            pendingSignal = true
        }
    }

    /// Returns once no job is queued or running (tests and `make serve`'s first runs).
    public func waitUntilIdle() async {
        while (try? store.hasPendingJobs()) == true || busy > 0 {
            await withCheckedContinuation { idleWaiters.append($0) }
        }
    }

    private func work() async {
        while !Task.isCancelled {
            let job: JobRecord?
            do { job = try store.claimNextJob() } catch { job = nil }
            guard let job else {
                notifyIdle()
                if pendingSignal {
                    pendingSignal = false
                    continue
                }
                await withCheckedContinuation { waiters.append($0) }
                continue
            }
            busy += 1
            let runner = self.runner
            let outcome = await Self.onThread { runner.run(job) }
            busy -= 1
            try? store.finishJob(id: job.id, state: outcome.state, exitStatus: outcome.exitStatus, message: outcome.message)
            notifyIdle()
        }
    }

    private func notifyIdle() {
        let waiting = idleWaiters
        idleWaiters = []
        for waiter in waiting { waiter.resume() }
    }

    /// `onThread` for work that throws.
    static func onThreadThrowing<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await onThread { Result { try body() } }.get()
    }

    /// Runs blocking work on a thread of its own (the jobs read and write files and use the CPU).
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.stackSize = 16 << 20
            thread.start()
        }
    }
}

/// What a finished job left: its state, the job's exit status, a message when it failed.
struct JobOutcome: Sendable {
    var state: JobState
    var exitStatus: Int?
    var message: String?
}

/// Runs one school's submit job on its stored uploads: `DIR/jobs/<id>/in` holds the uploads under
/// their own names (hard links to the blobs), `DIR/jobs/<id>/out` the job's ordinary output.
struct JobRunner: Sendable {
    let store: ServeStore
    let blobs: BlobStore
    let dataFolder: String
    /// The server's trust folder: merges verify every package's signature against it (M06).
    let trustFolder: String?

    func folder(of jobId: Int64) -> String { "\(dataFolder)/jobs/\(jobId)" }
    func outFolder(of jobId: Int64) -> String { "\(folder(of: jobId))/out" }

    /// Where the principal's submission puts the package the server made, signed with the school's key.
    func signedPackagePath(of jobId: Int64, name: String) -> String { "\(folder(of: jobId))/signed/\(name)" }

    /// A submit job's package: the one signed at the principal's submission when there is one, else the
    /// job's own (unsigned until submitted, or the CLI-signed package uploaded).
    func package(of jobId: Int64) -> String? {
        ServeServer.packagePath(in: "\(folder(of: jobId))/signed") ?? ServeServer.packagePath(in: outFolder(of: jobId))
    }

    /// The server's run history (reconcile and merge runs record into it): `history:` of serve.yaml —
    /// by default ZizhuHistory's own SQLite file beside serve.sqlite, with its secret beside it; or a
    /// `postgres://` URL (`History.open` reads both).
    let historyPath: String

    func run(_ job: JobRecord) -> JobOutcome {
        do {
            let input = "\(folder(of: job.id))/in"
            try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
            var options = RunOptions()
            options.quiet = true
            options.command = ["zizhu", "serve", "job \(job.id)"]
            let result: RunResult
            switch job.kind {
            case .submit:
                guard let rosterUpload = job.rosterUpload, let applicationsUpload = job.applicationsUpload else {
                    throw ZizhuError(.ioFailure, Message("serveError.job.noUploads", ["id": "\(job.id)"]))
                }
                let roster = try place(upload: rosterUpload, in: input, fallbackName: "roster")
                let applications = try place(upload: applicationsUpload, in: input, fallbackName: "applications")
                let school = try store.school(code: job.school)
                result = try Jobs.submit(term: job.term, schoolCode: job.school, schoolCity: school?.cityCode,
                                         schoolName: school?.name, roster: [roster], applications: [applications],
                                         config: nil, out: outFolder(of: job.id), options: options)
            case .reconcile:
                var files: [String: [String]] = [:]
                for item in try store.jobInputs(of: job.id) {
                    guard let upload = item.upload else { continue }
                    files[item.role, default: []].append(try place(upload: upload, in: input, fallbackName: item.role))
                }
                // The machine files (discrepancies.csv, ledger.csv) keep whole ids for an unmask; the
                // pages and the people's files (report.html, the workbooks) are masked as always.
                options.unmask = true
                options.history = historyPath
                result = try Jobs.reconcile(term: job.term, approved: files["approved"] ?? [], ledger: files["ledger"] ?? [],
                                            roster: files["roster"] ?? [], allocations: files["allocations"] ?? [],
                                            config: nil, out: outFolder(of: job.id), options: options)
            case .merge:
                let packages = try store.jobInputs(of: job.id).filter { $0.role == "package" }.map(\.path)
                let expected = "\(input)/expected.csv"
                try RegionScope.expectedList(try store.schools().filter { RegionScope.contains(job.scope, cityCode: $0.cityCode) })
                    .write(toFile: expected, atomically: true, encoding: .utf8)
                options.history = historyPath
                result = try Jobs.merge(term: job.term, inputs: packages, expected: expected, trust: try mergeTrust(in: input), config: nil,
                                        out: outFolder(of: job.id), options: options)
            }
            if job.kind != .submit { try store.setHistoryRun(job: job.id, run: recordedRun(of: job.id)) }
            return JobOutcome(state: .finished, exitStatus: Int(result.exitStatus), message: nil)
        } catch let error as ZizhuError {
            var text = error.message
            if let position = error.position { text = "\(position.displayName): \(text)" }
            if let hint = error.hint { text += "（\(hint)）" }
            return JobOutcome(state: .failed, exitStatus: Int(error.code.exitStatus), message: Masking.text(text))
        } catch {
            return JobOutcome(state: .failed, exitStatus: 3, message: Masking.text("\(error)"))
        }
    }

    /// A merge's trust folder: with `--trust`, its keys and — for a school it has none for — the key the
    /// server signs that school's submissions with (DATA/keys), so the server's own packages are not M06
    /// in its own merges; without `--trust`, none (signatures are checked on their own only).
    func mergeTrust(in input: String) throws -> String? {
        guard let trustFolder else { return nil }
        let folder = "\(input)/trust"
        let fm = FileManager.default
        try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for name in (try? fm.contentsOfDirectory(atPath: trustFolder)) ?? [] where name.hasSuffix(".pub") {
            try? fm.removeItem(atPath: "\(folder)/\(name)")
            try fm.copyItem(atPath: "\(trustFolder)/\(name)", toPath: "\(folder)/\(name)")
        }
        let keys = SchoolKeys(dataFolder: dataFolder)
        for code in keys.schools() where !fm.fileExists(atPath: "\(folder)/\(code).pub") {
            try fm.copyItem(atPath: "\(keys.folder)/\(code).pub", toPath: "\(folder)/\(code).pub")
        }
        return folder
    }

    /// The history run a job recorded: the last one whose command names the job.
    func recordedRun(of jobId: Int64) throws -> Int64? {
        let history = try History.open(historyPath)
        return try history.backend.runs().filter { $0.command == "zizhu serve job \(jobId)" }.map(\.id).max()
    }

    /// The upload under its own (sanitized) name, so positions in the findings read `roster.xlsx:12`.
    private func place(upload id: Int64, in folder: String, fallbackName: String) throws -> String {
        guard let upload = try store.upload(id: id) else {
            throw ZizhuError(.ioFailure, Message("serveError.upload.missing", ["id": "\(id)"]))
        }
        let name = UploadNames.safe(upload.fileName, fallback: fallbackName)
        let target = "\(folder)/\(upload.kind)-\(name)"
        let fm = FileManager.default
        if !fm.fileExists(atPath: target) {
            if link(blobs.path(of: upload.sha256), target) != 0 {
                try fm.copyItem(atPath: blobs.path(of: upload.sha256), toPath: target)
            }
        }
        return target
    }
}

/// File names as sent by a browser, made safe to use as the last part of a path.
enum UploadNames {
    static func safe(_ name: String, fallback: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = String(last.filter { !$0.isNewline && $0 != "\0" && $0 != ":" }.prefix(100))
        if cleaned.isEmpty || cleaned.hasPrefix(".") { return fallback }
        return cleaned
    }
}
