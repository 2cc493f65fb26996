import Dispatch
import ZizhuCore

extension Reconciler.Run {
    /// The payout ledger (发放台账): one row per approved student, sorted by school code,
    /// student number and id (byte order: the texts are NFC, so it is the string order).
    ///
    /// The last step of a run: it first lets go of everything the rows do not need (roster,
    /// indexes, bank records), because a million rows of `String`s cost more than all of it.
    mutating func payoutLedger() -> [PayoutLedgerRow] {
        var schoolOf = [UInt32](repeating: 0, count: approvedCount)
        var numberOf = [Reconciler.TextSpan](repeating: .empty, count: approvedCount)
        for s in 0..<approvedCount {
            let a = inputs.approved[s]
            schoolOf[s] = a.school
            numberOf[s] = a.studentNo
            if a.school == 0 || a.studentNo.isEmpty {
                for r in rosterRows(a.id) {
                    if schoolOf[s] == 0 { schoolOf[s] = r.school }
                    if numberOf[s].isEmpty { numberOf[s] = r.studentNo }
                }
            }
        }
        let refs = inputs.ledger.map(\.ref)
        releaseMatchingState()

        let names = inputs.schools.names
        let rankOrder = names.indices.sorted { names[$0] < names[$1] }
        var rank = [Int32](repeating: 0, count: names.count)
        for (position, school) in rankOrder.enumerated() { rank[school] = Int32(position) }
        let approved = inputs.approved
        let order: [Int32] = inputs.arena.bytes.withUnsafeBufferPointer { bytes in
            func compare(_ a: Reconciler.TextSpan, _ b: Reconciler.TextSpan) -> Int {
                let n = Int(min(a.length, b.length))
                for k in 0..<n {
                    let x = bytes[Int(a.offset) + k], y = bytes[Int(b.offset) + k]
                    if x != y { return x < y ? -1 : 1 }
                }
                return a.length == b.length ? 0 : (a.length < b.length ? -1 : 1)
            }
            return (0..<Int32(approvedCount)).sorted { x, y in
                let rx = rank[Int(schoolOf[Int(x)])], ry = rank[Int(schoolOf[Int(y)])]
                if rx != ry { return rx < ry }
                let c = compare(numberOf[Int(x)], numberOf[Int(y)])
                if c != 0 { return c < 0 }
                return approved[Int(x)].id < approved[Int(y)].id
            }
        }
        let builder = LedgerRowBuilder(
            approved: approved, summaries: summaries, rowStart: rowStart, rowList: rowList, refs: refs,
            duplicates: approvedDuplicates, schoolOf: schoolOf, numberOf: numberOf, schoolNames: names,
            tierNames: inputs.tierNames, arena: inputs.arena, maskedAccounts: inputs.maskedAccounts,
            otherIDs: inputs.otherIDs, sourcePrefixes: sourcePrefixes)
        return builder.build(order)
    }

    /// Drops what only matching and the findings needed.
    private mutating func releaseMatchingState() {
        inputs.roster = []
        rosterLinks = []
        inputs.others = []
        inputs.ledger = []
        inputs.allocations = []
        approvedByID = Reconciler.PackedIndex()
        cardIndex = Reconciler.PackedIndex()
        rosterByID = Reconciler.PackedIndex()
        othersByID = Reconciler.PackedIndex()
        extraByID = Reconciler.PackedIndex()
        sharedCards = [:]
        maskedIndex = []
        rowStudent = []
        rowMethod = []
        rowState = []
        studentSchool = []
        unmatchedRows = []
        tiedRows = []
    }
}

/// Builds the payout ledger's rows from what a run leaves, on every core: each row is a
/// handful of `String`s, and a million of them are the most expensive part of a run.
private struct LedgerRowBuilder: Sendable {
    typealias R = Reconciler
    let approved: [R.ApplicationRecord]
    let summaries: [R.StudentSummary]
    let rowStart: [Int32]
    let rowList: [Int32]
    let refs: [R.RowRef]
    let duplicates: [Int32: [R.RowRef]]
    let schoolOf: [UInt32]
    let numberOf: [R.TextSpan]
    let schoolNames: [String]
    let tierNames: [String]
    let arena: R.TextArena
    let maskedAccounts: [R.MaskedAccount]
    let otherIDs: OtherIDTable
    let sourcePrefixes: [[UInt8]]

    static let methodNames: [String] = (0..<16).map { mask in
        [R.MatchMethod.id, .account, .masked].filter { mask & (1 << Int($0.rawValue)) != 0 }.map(\.name).joined(separator: "+")
    }
    static let statusNames = [R.LedgerStatus.paid, .unpaid, .failed, .amountMismatch, .duplicate].map(\.name)

    /// A pointer the chunks write disjoint ranges of.
    private struct Slots: @unchecked Sendable {
        let base: UnsafeMutablePointer<PayoutLedgerRow>
    }

    func build(_ order: [Int32]) -> [PayoutLedgerRow] {
        let count = order.count
        let chunks = max(1, min(16, count / 20_000))
        return [PayoutLedgerRow](unsafeUninitializedCapacity: count) { buffer, initialized in
            guard let base = buffer.baseAddress else {
                initialized = 0
                return
            }
            let slots = Slots(base: base)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                var scratch: [UInt8] = []
                for k in count * chunk / chunks ..< count * (chunk + 1) / chunks {
                    (slots.base + k).initialize(to: row(Int(order[k]), scratch: &scratch))
                }
            }
            initialized = count
        }
    }

    private func source(_ ref: R.RowRef, _ scratch: inout [UInt8]) -> String {
        scratch.removeAll(keepingCapacity: true)
        R.appendSource(ref, prefixes: sourcePrefixes, to: &scratch)
        return String(decoding: scratch, as: UTF8.self)
    }

    private func row(_ s: Int, scratch: inout [UInt8]) -> PayoutLedgerRow {
        let a = approved[s]
        let summary = summaries[s]
        var account = ""
        if summary.account != 0 {
            account = R.AccountKey.digits(summary.account)
        } else if summary.masked >= 0 {
            account = maskedDigits(maskedAccounts[Int(summary.masked)])
        } else if a.card != 0 {
            account = R.AccountKey.digits(a.card)
        }
        let rows = rowList[Int(rowStart[s])..<Int(rowStart[s + 1])]
        var sources: [String] = []
        sources.reserveCapacity(1 + rows.count)
        sources.append(source(a.ref, &scratch))
        if let more = duplicates[Int32(s)] {
            for ref in more { sources.append(source(ref, &scratch)) }
        }
        for i in rows { sources.append(source(refs[Int(i)], &scratch)) }
        return PayoutLedgerRow(
            schoolCode: schoolNames[Int(schoolOf[s])], studentNo: arena.string(numberOf[s]), name: arena.string(a.name),
            idNumber: R.idString(a.id, otherIDs: otherIDs, scratch: &scratch), tier: a.tier == 0 ? "" : tierNames[Int(a.tier) - 1],
            approved: Fen(a.amount), paid: Fen(summary.paid),
            payDate: summary.payDate == Int32.min ? nil : CalendarDate(daysSinceEpoch: summary.payDate),
            account: account, status: Self.statusNames[Int(summary.status.rawValue)],
            matchedBy: Self.methodNames[Int(summary.methods & 0xF)], sources: sources)
    }

    /// A masked account as the bank wrote it (`621285******1234`).
    private func maskedDigits(_ m: R.MaskedAccount) -> String {
        func padded(_ value: UInt64, _ count: Int) -> String {
            guard count > 0 else { return "" }
            let digits = String(value)
            return String(repeating: "0", count: max(0, count - digits.utf8.count)) + digits
        }
        let stars = Int(m.length) - Int(m.prefixCount) - Int(m.suffixCount)
        return padded(m.prefix, Int(m.prefixCount)) + String(repeating: "*", count: max(0, stars)) + padded(m.suffix, Int(m.suffixCount))
    }
}
