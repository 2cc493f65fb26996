import ZizhuCore

extension Reconciler.Run {
    typealias R = Reconciler

    /// Puts the approved rows in (file, line) order — the order they arrived in, usually, so
    /// the sort is one pass — and keeps the first row of each id; a second approved row of the
    /// same student is a note, not a second grant. Builds the id, card and masked-card indexes.
    mutating func prepareApproved() {
        inputs.approved.sort { $0.ref < $1.ref }
        var kept: [R.ApplicationRecord] = []
        kept.reserveCapacity(inputs.approved.count)
        approvedByID = R.PackedIndex(expected: inputs.approved.count)
        for record in inputs.approved {
            if let first = approvedByID.insert(record.id, Int32(kept.count)) {
                approvedDuplicates[first, default: []].append(record.ref)
                continue
            }
            kept.append(record)
        }
        inputs.approved = kept
        for (index, refs) in approvedDuplicates.sorted(by: { $0.key < $1.key }) {
            let first = inputs.approved[Int(index)]
            let all = ([first.ref] + refs).map(source).joined(separator: ", ")
            notes.add("approved twice", say("note.reconcile.approvedTwice", ["id": maskedID(first.id), "rows": "\(refs.count + 1)", "term": termName, "sources": all]))
        }

    }

    /// Builds the index of approved card numbers, the first time a bank row needs it (files
    /// that carry ids never do). A card on the rows of two or more students is marked -1 and
    /// its students are listed in `sharedCards`.
    mutating func prepareCardIndex() {
        guard !cardIndexBuilt else { return }
        cardIndexBuilt = true
        cardIndex = R.PackedIndex(expected: inputs.approved.count)
        for (i, record) in inputs.approved.enumerated() where record.card != 0 {
            if let other = cardIndex.insert(record.card, Int32(i)) {
                if other >= 0 {
                    sharedCards[record.card] = [other]
                    cardIndex.update(record.card, -1)
                }
                sharedCards[record.card, default: []].append(Int32(i))
            }
        }
    }

    /// Builds the masked-account index over the approved cards, only when a bank row needs it.
    mutating func prepareMaskedIndex() {
        guard maskedIndex.isEmpty else { return }
        for (i, record) in inputs.approved.enumerated() {
            if let bucket = R.MaskedAccount.bucket(of: record.card) {
                let (length, value) = R.AccountKey.split(record.card) ?? (0, 0)
                maskedIndex.append(R.MaskedCandidate(bucket: bucket, student: Int32(i), card: record.card, amount: record.amount,
                                                     prefix6: UInt32(truncatingIfNeeded: value / R.AccountKey.powers[max(0, length - 6)]),
                                                     nameHash: inputs.arena.hash(record.name)))
            }
        }
        maskedIndex.sort { ($0.bucket, $0.student) < ($1.bucket, $1.student) }
    }

    /// Roster rows in (file, line) order, indexed by id; a second row of the same id (a
    /// duplicate registration) is chained behind the first, so no sort by id is needed.
    mutating func prepareRoster() {
        inputs.roster.sort { $0.ref < $1.ref }
        rosterByID = R.PackedIndex(expected: inputs.roster.count)
        rosterLinks = [Int32](repeating: -1, count: inputs.roster.count)
        var lastOfDuplicated: [UInt64: Int32] = [:]
        for (i, record) in inputs.roster.enumerated() {
            guard let first = rosterByID.insert(record.id, Int32(i)) else { continue }
            let last = lastOfDuplicated[record.id] ?? first
            rosterLinks[Int(last)] = Int32(i)
            lastOfDuplicated[record.id] = Int32(i)
        }
    }

    /// Non-approved application rows by id, pointing at the most telling one: this term's
    /// grant (待审批, 退回), then another term's grant, then 免学费; the first in (file, line)
    /// order among equals.
    mutating func prepareOthers() {
        inputs.others.sort { $0.ref < $1.ref }
        othersByID = R.PackedIndex(expected: inputs.others.count)
        for (i, record) in inputs.others.enumerated() {
            if let best = othersByID.insert(record.id, Int32(i)),
               record.standing.rawValue < inputs.others[Int(best)].standing.rawValue {
                othersByID.update(record.id, Int32(i))
            }
        }
    }
}
