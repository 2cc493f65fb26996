import Foundation
import ZizhuCore

extension History {
    /// Starts recording a run that ran to its end on a thread of its own, so the store's writing
    /// overlaps the writing of the run's outputs:
    ///
    /// 1. `planned()` waits until the run's findings are planned — each finding's status,
    ///    first_seen and note, the counts — inside the store's transaction, nothing committed yet;
    /// 2. the caller writes its outputs with them while the thread writes the run into the store;
    /// 3. `commit()` lets the transaction commit and waits for it, or `abort()` rolls it back (the
    ///    outputs failed: the caller then records a failed run instead).
    ///
    /// Exactly one of `commit()` and `abort()` must be called, even when `planned()` threw. Each
    /// finding's identity (a keyed hash) is worked out before this returns.
    ///
    /// With `deferWriting` the thread plans at once but writes the run's rows only after `write()`
    /// (or `commit()`): a caller whose outputs are written beside another long output thread on a
    /// machine of two cores lets the store write once its own outputs are done, on the core it
    /// then leaves idle, instead of a third thread slowing the output thread the run waits for.
    ///
    /// `masked`, when given, is `findings` as the reports show them (`FindingsWriter.masked`, same
    /// order): its masked cells are taken instead of masking each finding again.
    public func startRecording(_ facts: RunFacts, findings: [Discrepancy], masked: [Discrepancy]? = nil,
                               deferWriting: Bool = false) -> Recording {
        Recording(history: self, facts: facts, findings: findings, masked: masked, deferWriting: deferWriting)
    }

    /// A run being recorded (see `startRecording`).
    public final class Recording: @unchecked Sendable {
        private let condition = NSCondition()
        // Guarded by `condition`.
        private var observed: [ObservedFinding]?
        private var plan: Recorded?
        private var failure: (any Error)?
        private var decision: Bool?
        /// Whether the thread may write the run's rows (`write()`, `commit()`, `abort()`).
        private var writing: Bool
        private var thread: StageThread?
        private var joined = false

        /// `abort()` makes the recording thread throw this inside the transaction.
        struct Aborted: Error {}

        init(history: History, facts: RunFacts, findings: [Discrepancy], masked: [Discrepancy]?, deferWriting: Bool) {
            writing = !deferWriting
            var succeeded = facts
            succeeded.failure = nil
            let facts = succeeded
            thread = StageThread(name: "zizhu-history") { [self] in
                do {
                    // The run before this one is read first: inside the transaction the store
                    // serves no other query. (One committed in between is not named; it only
                    // changes the "since the last run" line, never what is recorded.)
                    let earlier = try history.backend.runs()
                    try history.backend.record(term: facts.scope.term, { runID, stored in
                        let observed = awaitObserved()
                        let write = HistoryLifecycle.plan(runID: runID, facts: facts, observed: observed, stored: stored)
                        let previous = earlier.first {
                            $0.id < runID && $0.job == facts.job && $0.term == facts.scope.term && $0.outcome != "failed"
                        }
                        publish(Recorded(run: write.run, annotations: write.annotations,
                                         previousRunID: previous?.id))
                        // Rolled back before a row is written when the caller aborts meanwhile.
                        guard awaitWriting() else { throw Aborted() }
                        return write
                    }, beforeCommit: { [self] in
                        guard awaitDecision() else { throw Aborted() }
                    })
                } catch {
                    fail(error)
                }
            }
            // Each finding's identity is worked out here, on the caller's thread (which would only
            // wait for the plan), while the recording thread opens the transaction and reads the
            // term's stored findings.
            let observed = HistoryLifecycle.observe(findings, masked: masked, term: facts.scope.term, identity: history.identity)
            condition.lock()
            self.observed = observed
            condition.broadcast()
            condition.unlock()
        }

        private func awaitObserved() -> [ObservedFinding] {
            condition.lock()
            defer { condition.unlock() }
            while observed == nil { condition.wait() }
            // Taken, not kept: the plan's rows share its cells, and are let go of once written.
            defer { observed = [] }
            return observed ?? []
        }

        /// Waits until the run is planned; throws what stopped the recording (the run is then not recorded).
        public func planned() throws -> Recorded {
            condition.lock()
            defer { condition.unlock() }
            while plan == nil && failure == nil { condition.wait() }
            if let failure { throw failure }
            guard let plan else { throw ZizhuError(.history, Message("historyError.notRecorded")) }
            return plan
        }

        /// Lets the thread write the run's rows (see `deferWriting`); nothing is committed before `commit()`.
        public func write() {
            condition.lock()
            writing = true
            condition.broadcast()
            condition.unlock()
        }

        /// Commits the run and waits for it; throws when it could not be recorded.
        @discardableResult
        public func commit() throws -> Recorded {
            decide(true)
            try join()
            return try planned()
        }

        /// Rolls the run back (nothing of it is written) and waits for the thread.
        public func abort() {
            decide(false)
            try? join()
        }

        private func publish(_ recorded: Recorded) {
            condition.lock()
            plan = recorded
            condition.broadcast()
            condition.unlock()
        }

        private func fail(_ error: any Error) {
            condition.lock()
            if !(error is Aborted) { failure = error }
            if failure == nil { failure = ZizhuError(.history, Message("historyError.notRecorded")) }
            condition.broadcast()
            condition.unlock()
        }

        private func decide(_ value: Bool) {
            condition.lock()
            if decision == nil { decision = value }
            writing = true
            condition.broadcast()
            condition.unlock()
        }

        /// Waits until the rows may be written; false when the run was aborted first.
        private func awaitWriting() -> Bool {
            condition.lock()
            defer { condition.unlock() }
            while !writing { condition.wait() }
            return decision != false
        }

        private func awaitDecision() -> Bool {
            condition.lock()
            defer { condition.unlock() }
            while decision == nil { condition.wait() }
            return decision ?? false
        }

        private func join() throws {
            condition.lock()
            let first = !joined
            joined = true
            let thread = thread
            condition.unlock()
            guard first, let thread else {
                condition.lock()
                defer { condition.unlock() }
                if let failure { throw failure }
                return
            }
            try thread.join()
            condition.lock()
            defer { condition.unlock() }
            if let failure { throw failure }
        }
    }
}
