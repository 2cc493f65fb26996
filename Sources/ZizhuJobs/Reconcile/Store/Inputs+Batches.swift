import ZizhuCore
import ZizhuSchema

@inline(__always)
private func cell(_ batch: ValidatedBatch, _ row: Int, _ field: Int) -> Value {
    field >= 0 ? batch.value(row, field) : .empty
}

/// How the store takes in validated batches: each `add…` copies a batch's cells, read through
/// the field indexes of `InputFields.swift`, into the packed records of `InputRecords.swift`.
extension Reconciler.Inputs {
    typealias R = Reconciler

    private mutating func text(_ batch: ValidatedBatch, _ value: Value) -> R.TextSpan {
        guard case .text(let ref) = value else { return .empty }
        return batch.withBytes(ref) { arena.append($0) }
    }

    /// The key of an id cell: a packed resident id, or a key of `otherIDs` for an id of another
    /// 证件类型; nil when the cell holds no id.
    private mutating func idKey(_ batch: ValidatedBatch, _ value: Value) -> UInt64? {
        switch value {
        case .residentID(let id): return id.packed
        case .otherID(let ref): return otherIDs.key(batch.string(ref))
        default: return nil
        }
    }

    private mutating func school(_ batch: ValidatedBatch, _ value: Value) -> UInt32 {
        guard case .text(let ref) = value else { return 0 }
        return batch.withBytes(ref) { schools.intern($0) }
    }

    /// Slot + 1 of each name in `table`, adding the names not met yet.
    private static func slots(_ names: [String], in table: inout [String]) -> [UInt8] {
        names.map { name in
            if let i = table.firstIndex(of: name) { return UInt8(truncatingIfNeeded: i + 1) }
            guard table.count < 254 else { return 0 }
            table.append(name)
            return UInt8(table.count)
        }
    }

    static func packed(_ term: Term) -> Int32 { Int32(truncatingIfNeeded: term.year * 2 + (term.season == .fall ? 1 : 0)) }

    mutating func addApplications(_ batch: ValidatedBatch, fields f: R.ApplicationFields, term: Term) {
        let tiers = Self.slots(f.tierNames, in: &tierNames)
        let runTerm = Self.packed(term)
        for row in 0..<batch.count {
            guard let id = idKey(batch, cell(batch, row, f.id)) else {
                applicationsWithoutID += 1
                continue
            }
            var rowTerm: Int32 = 0
            if case .term(let t) = cell(batch, row, f.term) { rowTerm = Self.packed(t) }
            let isGrant: Bool
            if case .code(let c) = cell(batch, row, f.aidType), c == f.grant { isGrant = true } else { isGrant = false }
            var approval: UInt8 = 255
            if case .code(let c) = cell(batch, row, f.approval), Int(c) < f.approvals.count { approval = f.approvals[Int(c)] }
            if isGrant && approval == 0 { grantRowsByTerm[rowTerm, default: 0] += 1 }
            let standing: R.Standing
            if !isGrant {
                standing = .otherAid
            } else if rowTerm != 0 && rowTerm != runTerm {
                standing = .otherTerm
            } else {
                standing = approval == 0 ? .approved : approval == 1 ? .pending : .returned
            }
            var amount: Int64 = 0
            if case .money(let fen) = cell(batch, row, f.amount) { amount = fen.value }
            var tier: UInt8 = 0
            if case .code(let c) = cell(batch, row, f.tier), Int(c) < tiers.count { tier = tiers[Int(c)] }
            var card: UInt64 = 0
            var maskedCard = false
            switch cell(batch, row, f.card) {
            case .account(let ref): card = batch.withBytes(ref) { R.AccountKey.make($0) }
            case .maskedAccount: maskedCard = true
            default: break
            }
            if standing == .approved && maskedCard { approvedMaskedCards += 1 }
            if standing == .approved && OtherIDTable.isOther(id) { approvedOtherIDs += 1 }
            let record = R.ApplicationRecord(
                id: id, ref: R.RowRef(source: batch.sourceIndex, line: batch.lines[row]), amount: amount, card: card,
                name: text(batch, cell(batch, row, f.name)), studentNo: text(batch, cell(batch, row, f.studentNo)),
                school: school(batch, cell(batch, row, f.school)), otherTerm: rowTerm == runTerm ? 0 : rowTerm,
                tier: tier, approval: approval, standing: standing, maskedCard: maskedCard)
            if standing == .approved { approved.append(record) } else { others.append(record) }
        }
    }

    mutating func addLedger(_ batch: ValidatedBatch, fields f: R.LedgerFields) {
        let channels = Self.slots(f.channelNames, in: &channelNames)
        for row in 0..<batch.count {
            var id: UInt64 = 0
            if case .residentID(let rid) = cell(batch, row, f.id) { id = rid.packed }
            var account: UInt64 = 0
            var masked: Int32 = -1
            switch cell(batch, row, f.account) {
            case .account(let ref):
                account = batch.withBytes(ref) { R.AccountKey.make($0) }
                if account == 0 { ledgerUnreadableAccounts += 1 }
            case .maskedAccount(let ref):
                if let m = batch.withBytes(ref, { R.MaskedAccount($0) }) {
                    masked = Int32(truncatingIfNeeded: maskedAccounts.count)
                    maskedAccounts.append(m)
                } else {
                    ledgerUnreadableAccounts += 1
                }
            default: break
            }
            var amount: Int64 = 0
            if case .money(let fen) = cell(batch, row, f.amount) { amount = fen.value }
            var date: Int32 = Int32.min
            if case .date(let d) = cell(batch, row, f.payDate) { date = d.daysSinceEpoch }
            var kind = R.LedgerKind.failed
            if case .code(let c) = cell(batch, row, f.status), Int(c) < f.kinds.count { kind = f.kinds[Int(c)] }
            if kind == .paid && amount < 0 { kind = .reversal }
            var channel: UInt8 = 0
            if case .code(let c) = cell(batch, row, f.channel), Int(c) < channels.count { channel = channels[Int(c)] }
            let reason = kind == .paid ? R.TextSpan.empty : text(batch, cell(batch, row, f.failReason))
            ledger.append(R.LedgerRecord(
                ref: R.RowRef(source: batch.sourceIndex, line: batch.lines[row]), id: id, account: account, amount: amount,
                date: date, masked: masked, name: text(batch, cell(batch, row, f.accountName)), reason: reason,
                kind: kind, channel: channel))
        }
    }

    mutating func addRoster(_ batch: ValidatedBatch, fields f: R.RosterFields) {
        rosterGiven = true
        for row in 0..<batch.count {
            guard let id = idKey(batch, cell(batch, row, f.id)) else { continue }
            var status: UInt8 = 255
            if case .code(let c) = cell(batch, row, f.status), Int(c) < f.statuses.count { status = f.statuses[Int(c)] }
            var partTime = false
            if case .code(let c) = cell(batch, row, f.studyMode), c == f.partTime { partTime = true }
            var change = Int32.min
            if case .date(let d) = cell(batch, row, f.changeDate) { change = d.daysSinceEpoch }
            roster.append(R.RosterRecord(
                id: id, ref: R.RowRef(source: batch.sourceIndex, line: batch.lines[row]), changeDate: change,
                school: school(batch, cell(batch, row, f.school)), name: text(batch, cell(batch, row, f.name)),
                studentNo: text(batch, cell(batch, row, f.studentNo)), status: status, partTime: partTime))
        }
    }

    mutating func addAllocations(_ batch: ValidatedBatch, fields f: R.AllocationFields, term: Term) {
        allocationsGiven = true
        for row in 0..<batch.count {
            if case .term(let t) = cell(batch, row, f.term), t != term {
                allocationsOtherTerm += 1
                continue
            }
            guard case .money(let fen) = cell(batch, row, f.allocated) else { continue }
            allocations.append(R.AllocationRecord(
                ref: R.RowRef(source: batch.sourceIndex, line: batch.lines[row]),
                school: school(batch, cell(batch, row, f.school)), allocated: fen.value))
        }
    }
}
