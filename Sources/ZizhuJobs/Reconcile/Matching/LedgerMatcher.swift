import ZizhuCore

extension Reconciler.Run {
    /// Ties every bank row to a student, in (file, line) order, recording how:
    ///
    /// 1. a row with a readable id belongs to that person — an approved student, or someone
    ///    who is not approved (an "extra" student, R02 when paid);
    /// 2. else its full account number against the approved card numbers;
    /// 3. else its masked account (`621285******1234`) against the approved cards by prefix,
    ///    suffix and length, with the account name and the amount equal to the approved row's.
    ///
    /// Where two or more approved students fit (a card on two approved rows, two masked
    /// candidates) the row stays unmatched and a note names the candidates: a tie is never
    /// resolved by picking one.
    mutating func matchLedger() {
        inputs.ledger.sort { $0.ref < $1.ref }
        let count = inputs.ledger.count
        rowStudent = [Int32](repeating: -1, count: count)
        rowMethod = [R.MatchMethod](repeating: .none, count: count)
        rowState = [R.RowState](repeating: .normal, count: count)
        if !inputs.maskedAccounts.isEmpty { prepareMaskedIndex() }
        for i in 0..<count {
            let row = inputs.ledger[i]
            if row.id != 0 {
                rowMethod[i] = .id
                if let a = approvedByID.find(row.id) {
                    rowStudent[i] = a
                } else {
                    rowStudent[i] = extraStudent(row.id)
                    if row.account != 0 { prepareCardIndex() }
                    if row.account != 0, let card = cardIndex.find(row.account), card >= 0 {
                        let a = inputs.approved[Int(card)]
                        if notes.admit("id and card disagree") { notes.keep(say("note.reconcile.idCardDisagree", ["source": source(row.ref), "id": maskedID(row.id), "account": R.AccountKey.masked(row.account),
                                                                                          "name": text(a.name), "studentNo": text(a.studentNo)])) }
                    }
                }
            } else if row.account != 0 {
                matchByAccount(i, row)
            } else if row.masked >= 0 {
                matchByMaskedAccount(i, row)
            } else {
                unmatchedRows.append(Int32(i))
            }
        }
    }

    private mutating func extraStudent(_ id: UInt64) -> Int32 {
        let next = Int32(approvedCount + extras.count)
        if let existing = extraByID.insert(id, next) { return existing }
        extras.append(id)
        return next
    }

    private mutating func matchByAccount(_ i: Int, _ row: R.LedgerRecord) {
        prepareCardIndex()
        guard let card = cardIndex.find(row.account) else {
            unmatchedRows.append(Int32(i))
            return
        }
        if card >= 0 {
            rowStudent[i] = card
            rowMethod[i] = .account
            return
        }
        let candidates = sharedCards[row.account] ?? []
        if notes.admit("ambiguous match") {
            notes.keep(tieNote(row, candidates, why: say("note.reconcile.tie.account", ["account": R.AccountKey.masked(row.account), "count": "\(candidates.count)"])))
        }
        tie(i)
    }

    private mutating func matchByMaskedAccount(_ i: Int, _ row: R.LedgerRecord) {
        let masked = inputs.maskedAccounts[Int(row.masked)]
        guard let bucket = masked.bucket else {
            if notes.admit("masked account too short") { notes.keep(say("note.reconcile.maskedShort", ["source": source(row.ref), "account": masked.maskedText])) }
            unmatchedRows.append(Int32(i))
            return
        }
        var candidates: [Int32] = []
        if !row.name.isEmpty {
            var lo = 0, hi = maskedIndex.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if maskedIndex[mid].bucket < bucket { lo = mid + 1 } else { hi = mid }
            }
            let amount = row.magnitude
            // The usual mask keeps six leading and four trailing digits: the bucket already
            // holds the length and the last four, a stored BIN the first six, so no division.
            let usual = masked.prefixCount == 6 && masked.suffixCount == 4
            let prefix = UInt32(truncatingIfNeeded: masked.prefix)
            let nameHash = inputs.arena.hash(row.name)
            maskedIndex.withUnsafeBufferPointer { index in
                while lo < index.count, index[lo].bucket == bucket {
                    let c = index[lo]
                    lo += 1
                    guard c.amount == amount, c.nameHash == nameHash else { continue }
                    if usual {
                        guard c.prefix6 == prefix else { continue }
                    } else {
                        guard masked.matches(c.card) else { continue }
                    }
                    candidates.append(c.student)
                }
            }
            candidates.removeAll { !inputs.arena.equal(inputs.approved[Int($0)].name, row.name) }
        }
        switch candidates.count {
        case 0:
            unmatchedRows.append(Int32(i))
        case 1:
            rowStudent[i] = candidates[0]
            rowMethod[i] = .masked
        default:
            if notes.admit("ambiguous match") {
                notes.keep(tieNote(row, candidates, why: say("note.reconcile.tie.masked", ["account": masked.maskedText, "name": text(row.name),
                                                                                       "amount": yuan(row.magnitude), "count": "\(candidates.count)"])))
            }
            tie(i)
        }
    }

    private func tieNote(_ row: R.LedgerRecord, _ candidates: [Int32], why: String) -> String {
        let names = candidates.map { s -> String in
            let a = inputs.approved[Int(s)]
            return "\(text(a.name)) (\(text(a.studentNo)), \(source(a.ref)))"
        }.joined(separator: "; ")
        return say("note.reconcile.tie", ["source": source(row.ref), "why": why, "names": names])
    }

    private mutating func tie(_ i: Int) {
        tiedRows.insert(Int32(i))
        unmatchedRows.append(Int32(i))
    }
}
