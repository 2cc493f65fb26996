import Foundation
import ZizhuCore
import ZizhuSchema

/// The reconcile matching engine (财务对账): approved grant list against bank payout and return
/// files, roster and allocations optional — every R-code of the contract §6, the payout ledger
/// (发放台账) and the settlement (结算).
///
/// Feed it validated batches in any order, from any thread (`add…` take a lock), then call
/// `finish` once. Rows are kept as packed ids, fen, small codes and row references; only the
/// display text a report needs (names, student numbers) is copied, into one byte arena. Every
/// decision is taken in (file, line) order, so batches arriving in another order give the same
/// result. `finish` hands everything over and leaves the reconciler empty.
public final class Reconciler: @unchecked Sendable {
    /// What this run checks against (term, tiers, window, channels).
    public let settings: ReconcileSettings
    private let lock = NSLock()
    /// Guarded by `lock`.
    var inputs = Inputs()

    /// What the `add…` calls have gathered.
    struct Inputs: Sendable {
        var arena = TextArena()
        var schools = NameTable()
        /// Canonical tier and channel names met so far (records hold slot + 1).
        var tierNames: [String] = []
        var channelNames: [String] = []
        var approved: [ApplicationRecord] = []
        var others: [ApplicationRecord] = []
        var ledger: [LedgerRecord] = []
        var maskedAccounts: [MaskedAccount] = []
        var roster: [RosterRecord] = []
        var allocations: [AllocationRecord] = []
        /// Ids of 证件类型 护照 / 其他 met in the approved list and the roster.
        var otherIDs = OtherIDTable()
        var rosterGiven = false
        var allocationsGiven = false
        /// Rows read but left out of matching, counted for the notes (nothing is dropped unsaid).
        var applicationsWithoutID = 0
        var approvedMaskedCards = 0
        /// Approved rows whose id is not a resident id (matched by card number only).
        var approvedOtherIDs = 0
        var allocationsOtherTerm = 0
        var ledgerUnreadableAccounts = 0
        /// Approved 国家助学金 rows of the approved list by packed term (0: no term written), for the
        /// warning when the run's term matches none of them.
        var grantRowsByTerm: [Int32: Int] = [:]
    }

    /// A reconciler for `settings`.
    public init(settings: ReconcileSettings) {
        self.settings = settings
    }

    /// True once a roster batch was added (or `markRosterGiven` called): R13 is checked only then.
    public var hasRoster: Bool { lock.withLock { inputs.rosterGiven } }
    /// True once an allocations batch was added (or `markAllocationsGiven` called): R14 only then.
    public var hasAllocations: Bool { lock.withLock { inputs.allocationsGiven } }

    /// Declares that a roster was given even if none of its rows was accepted (every approved
    /// student is then absent from it: R13).
    public func markRosterGiven() { lock.withLock { inputs.rosterGiven = true } }

    /// Declares that allocations were given even if none of their rows was accepted.
    public func markAllocationsGiven() { lock.withLock { inputs.allocationsGiven = true } }

    // MARK: adding

    /// Adds rows of the approved list export (schema `applications`): approved 国家助学金 rows of
    /// the term are kept for matching; the others (免学费, 待审批, 退回, other terms) only to
    /// name and explain a student paid without approval (R02).
    public func addApproved(_ batch: ValidatedBatch, validator: RowValidator) {
        let fields = ApplicationFields(validator)
        let term = settings.term
        lock.withLock { inputs.addApplications(batch, fields: fields, term: term) }
    }

    /// Adds rows of a bank payout or return file (schema `ledger`).
    public func addLedger(_ batch: ValidatedBatch, validator: RowValidator) {
        let fields = LedgerFields(validator)
        lock.withLock { inputs.addLedger(batch, fields: fields) }
    }

    /// Adds roster rows (schema `roster`, optional input).
    public func addRoster(_ batch: ValidatedBatch, validator: RowValidator) {
        let fields = RosterFields(validator)
        lock.withLock { inputs.addRoster(batch, fields: fields) }
    }

    /// Adds allocation rows (schema `allocations`, optional input); rows of another term are left
    /// out (and counted in the notes).
    public func addAllocations(_ batch: ValidatedBatch, validator: RowValidator) {
        let fields = AllocationFields(validator)
        let term = settings.term
        lock.withLock { inputs.addAllocations(batch, fields: fields, term: term) }
    }

    // MARK: finishing

    /// Matches, decides every R-code and builds the ledger and the settlement.
    ///
    /// `sourceNames[batch.sourceIndex]` names each input in `sources` (`file:line`); an index
    /// past the end is written `#index`.
    public func finish(sourceNames: [String]) -> ReconcileResult {
        // The inputs move into the run without a second reference: the run sorts them in place,
        // and a copy still held here would make every sort copy its array first.
        var run = Run(inputs: takeInputs(), settings: settings, sourceNames: sourceNames)
        return run.execute()
    }

    private func takeInputs() -> Inputs {
        lock.withLock {
            var taken = Inputs()
            swap(&taken, &inputs)
            taken.renumberOtherIDs()
            return taken
        }
    }
}
