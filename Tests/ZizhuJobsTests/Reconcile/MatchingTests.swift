import Testing
import ZizhuCore
@testable import ZizhuJobs

// How bank rows find their student: id, full account, masked account + name + amount.

@Test func aRowWithoutIdIsMatchedByItsAccountAgainstTheApprovedCard() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.approve(2, name: "李华")
    c.payWithoutID(account: card(1), name: "王小明")
    c.payWithoutID(account: card(2), name: "李华", amount: "1000.00")
    let result = try c.run()
    #expect(result.row("S1")?.matchedBy == "account")
    #expect(result.row("S1")?.status == "已发放")
    #expect(result.codes("R03").map(\.studentNo) == ["S2"])
    #expect(result.codes("R02").isEmpty)
    #expect(result.totals.matchedByAccount == 2)
    #expect(result.totals.matchedById == 0)
}

@Test func aPassportHolderIsMatchedByCardAndFoundInTheRosterByTheirPassportNumber() throws {
    // 证件类型 护照: no bank file carries the number, so the payment is found by the card; the
    // roster row with the same number is the same student (R07 fires for a payment after
    // leaving, R13 does not). Another passport holder approved and never paid is R01, named by
    // the number as written.
    var c = ReconcileCase()
    c.approve(1, name: "JOHN SMITH", id: "e12345678", idType: "护照")
    c.payWithoutID(account: card(1), name: "JOHN SMITH", date: "2023-10-15")
    c.enrol(1, name: "JOHN SMITH", status: "退学", changed: "2023-10-01", id: "E12345678", idType: "护照")
    c.approve(2, name: "ANNA LEE", id: "K7654321", idType: "护照")
    c.enrol(2, name: "ANNA LEE", id: "K7654321", idType: "护照")
    let result = try c.run()
    #expect(result.row("S1")?.matchedBy == "account")
    #expect(result.row("S1")?.idNumber == "E12345678")
    #expect(result.codes("R07").map(\.studentNo) == ["S1"])
    #expect(result.codes("R07").first?.sources == ["approved.csv:2", "ledger1.csv:2", "roster.csv:2"])
    #expect(result.codes("R13").isEmpty)
    let r01 = try #require(result.codes("R01").first)
    #expect(result.codes("R01").count == 1)
    #expect(r01.studentNo == "S2")
    #expect(r01.idNumber == "K7654321")
    #expect(result.notes.contains { $0.contains("2 approved rows carry an id of another 证件类型") })
}

@Test func passportHoldersComeOutTheSameWhateverOrderTheirRowsArriveIn() throws {
    // Keys of non-resident ids are handed out as rows arrive and renumbered in text order, so
    // where the id breaks a tie (two students under one 学籍号 in the 发放台账) the order is the
    // ids' and not the arrival's.
    var c = ReconcileCase()
    c.approve(5, name: "STUDENT Z", id: "Z1000001", idType: "护照")
    c.approve(5, name: "STUDENT A", id: "A2000002", idType: "护照")
    c.approve(6, name: "STUDENT M", id: "M3000003", idType: "护照")
    c.enrol(6, name: "STUDENT M", id: "M3000003", idType: "护照")
    c.approve(4, name: "王小明")
    let reference = try c.run()
    #expect(reference.ledger.map(\.idNumber) == [residentID(4), "A2000002", "Z1000001", "M3000003"])
    for reverseBatches in [false, true] {
        var other = c
        other.approved.reverse()
        other.batchSize = 1
        other.reverseBatches = reverseBatches
        let result = try other.run()
        #expect(result.ledger.map(\.idNumber) == reference.ledger.map(\.idNumber), "batches reversed: \(reverseBatches)")
        #expect(result.codes("R13").map(\.idNumber) == [residentID(4), "A2000002", "Z1000001"], "M is on the roster under its number")
    }
}

@Test func anIdWinsOverTheAccount() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.approve(2, name: "李华")
    // Student 2's id, paid into student 1's card: the row is student 2's.
    c.pay(2, name: "李华", account: card(1))
    let result = try c.run()
    #expect(result.row("S2")?.status == "已发放")
    #expect(result.row("S2")?.matchedBy == "id")
    #expect(result.codes("R01").map(\.studentNo) == ["S1"])
}

@Test func aMaskedAccountIsMatchedByPrefixSuffixLengthNameAndAmountWhenUnique() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.approve(2, name: "李华")
    c.payWithoutID(account: masked(card(1)), name: "王小明")
    c.payWithoutID(account: masked(card(2)), name: "李华")
    let result = try c.run()
    #expect(result.findings.isEmpty)
    #expect(result.row("S1")?.matchedBy == "masked")
    #expect(result.row("S1")?.account == masked(card(1)))
    #expect(result.totals.matchedByMasked == 2)
}

@Test func aMaskedAccountWithAnotherNameOrAmountIsNotMatched() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.approve(2, name: "李华")
    c.payWithoutID(account: masked(card(1)), name: "王大明")
    c.payWithoutID(account: masked(card(2)), name: "李华", amount: "1000.00")
    let result = try c.run()
    #expect(result.totals.matchedByMasked == 0)
    #expect(result.codes("R02").count == 2)
    #expect(Set(result.codes("R01").map(\.studentNo)) == ["S1", "S2"])
}

@Test func anAmbiguousMaskedMatchIsReportedNotResolved() throws {
    var c = ReconcileCase()
    // Two students of the same name whose cards share BIN and last four digits.
    let first = "6212850000000011234", second = "6212851111111111234"
    c.approve(1, name: "张伟", card: first)
    c.approve(2, name: "张伟", card: second)
    c.payWithoutID(account: masked(first), name: "张伟")
    let result = try c.run()
    #expect(result.totals.ambiguousRows == 1)
    #expect(result.totals.matchedByMasked == 0)
    let r02 = try #require(result.codes("R02").first)
    #expect(r02.detail.contains("several approved students"))
    #expect(Set(result.codes("R01").map(\.studentNo)) == ["S1", "S2"])
    let note = try #require(result.notes.first { $0.contains("ledger1.csv:2") })
    #expect(note.contains("S1") && note.contains("S2"))
    #expect(!note.contains(first) && !note.contains(second))
}

@Test func aCardOnTwoApprovedRowsLeavesAnIdlessRowUnmatched() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明", card: card(9))
    c.approve(2, name: "李华", card: card(9))
    c.payWithoutID(account: card(9), name: "王小明")
    let result = try c.run()
    #expect(result.totals.ambiguousRows == 1)
    #expect(result.codes("R02").count == 1)
    #expect(result.notes.contains { $0.contains("approved card of 2 students") })
}

@Test func packedAccountKeysRoundTripAndKeepLengthApart() {
    for digits in ["000000000001", "100000000000", "6212850000000011234", "9999999999999999999", "0012345678901"] {
        let key = digits.utf8.withContiguousStorageIfAvailable { Reconciler.AccountKey.make($0) } ?? 0
        #expect(key != 0)
        #expect(Reconciler.AccountKey.digits(key) == digits)
    }
    let short = Array("123456789012".utf8).withUnsafeBufferPointer { Reconciler.AccountKey.make($0) }
    let long = Array("0123456789012".utf8).withUnsafeBufferPointer { Reconciler.AccountKey.make($0) }
    #expect(short != long)
    #expect(Array("12345678901".utf8).withUnsafeBufferPointer { Reconciler.AccountKey.make($0) } == 0)
    #expect(Array("12345678901x".utf8).withUnsafeBufferPointer { Reconciler.AccountKey.make($0) } == 0)
}

@Test func maskedMatchingAgreesWithBankAccountMatches() {
    let fulls = ["6212850000000011234", "6212851111111111234", "621285000001234", "6222020000000011234", "6212850000000011235"]
    let masks = ["621285******1234", "621285*********1234", "6212***1234", "62128500000****1234", "*************1234",
                 "621285xxxxxxxxx1235", "62*****************4", "621285-*********-1234", "6212**34**5678901",
                 "6212851234567890123"]
    for mask in masks {
        let parsed = Array(mask.utf8).withUnsafeBufferPointer { Reconciler.MaskedAccount($0) }
        guard case .success(let reference) = BankAccount.parse(mask) else {
            #expect(parsed == nil, "\(mask)")
            continue
        }
        if case .full = reference {
            #expect(parsed == nil, "a full number is not a masked one: \(mask)")
            continue
        }
        guard let ours = parsed else {
            Issue.record("\(mask) is read by BankAccount.parse but not by MaskedAccount")
            continue
        }
        for full in fulls {
            guard case .success(let account) = BankAccount.parse(full) else { continue }
            let key = Array(full.utf8).withUnsafeBufferPointer { Reconciler.AccountKey.make($0) }
            #expect(ours.matches(key) == reference.matches(account), "\(mask) vs \(full)")
        }
    }
}

@Test func aMaskKeepingOtherDigitCountsIsCheckedDigitByDigit() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明", card: "6212850000000011234")
    c.approve(2, name: "王小明", card: "6222850000000011234")   // same name, same last four, other BIN
    // Four leading digits kept: only student 1's card starts 6212.
    c.payWithoutID(account: "6212" + String(repeating: "*", count: 11) + "1234", name: "王小明")
    let result = try c.run()
    #expect(result.row("S1")?.matchedBy == "masked")
    #expect(result.codes("R01").map(\.studentNo) == ["S2"])
    #expect(result.totals.ambiguousRows == 0)
}

@Test func aMaskedAccountWithFewerThanFourTrailingDigitsIsANoteAndUnmatched() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明", card: "6212850000000011234")
    c.payWithoutID(account: "621285**********234", name: "王小明")
    let result = try c.run()
    #expect(result.codes("R02").count == 1)
    #expect(result.notes.contains { $0.contains("fewer than 4 trailing digits") })
}

@Test func anUnapprovedIdPaidIntoAnApprovedCardIsTheIdsAndANote() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.pay(2, name: "李华", account: card(1))
    let result = try c.run()
    #expect(result.codes("R02").first?.idNumber == residentID(2))
    #expect(result.codes("R01").map(\.studentNo) == ["S1"])
    let note = try #require(result.notes.first { $0.contains("approved card of") })
    #expect(note.contains("ledger1.csv:2") && note.contains("S1"))
    #expect(!note.contains(residentID(2)))
}

@Test func anUnmatchedPaymentAndItsReversalOnTheSameAccountLeaveNoR02() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.pay(1, name: "王小明")
    c.payWithoutID(account: card(55), name: "刘建军", date: "2023-10-15", file: 1)
    c.payWithoutID(account: card(55), name: "刘建军", amount: "-1250.00", date: "2023-10-18", file: 1)
    let result = try c.run()
    #expect(result.findings.isEmpty)
    #expect(result.totals.cancelledPayments == 1)
    #expect(result.settlement.unattributedPaid == .zero)
}
