import Testing
import ZizhuCore
import ZizhuJobs

// R02 and R13, and what counts as "approved".

@Test func aPaymentToAStudentWhoseApplicationIsPendingIsR02NamedFromTheApplication() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明", status: "待审批")
    c.pay(1, name: "王小明")
    let result = try c.run()
    let r02 = try #require(result.codes("R02").first)
    #expect(r02.studentNo == "S1")
    #expect(r02.name == "王小明")
    #expect(r02.idNumber == residentID(1))
    #expect(r02.actual == "1250.00")
    #expect(r02.detail.contains("待审批"))
    #expect(r02.sources == ["approved.csv:2", "ledger1.csv:2"])
    // Not approved: no ledger row, no R01.
    #expect(result.ledger.isEmpty)
    #expect(result.codes("R01").isEmpty)
}

@Test func aTuitionWaiverRowIsNeverApproved() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明", tier: "", amount: "2000.00", aid: "免学费")
    c.pay(1, name: "王小明", amount: "2000.00")
    let result = try c.run()
    #expect(result.ledger.isEmpty)
    #expect(result.totals.approvedStudents == 0)
    let r02 = try #require(result.codes("R02").first)
    #expect(r02.detail.contains("免学费"))
    #expect(result.codes("R12").isEmpty)
}

@Test func aTuitionWaiverRowBesideAnApprovedGrantChangesNothing() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明", tier: "", amount: "2000.00", aid: "免学费")
    c.approve(1, name: "王小明")
    c.pay(1, name: "王小明")
    let result = try c.run()
    #expect(result.findings.isEmpty)
    #expect(result.ledger.count == 1)
    #expect(result.row("S1")?.sources == ["approved.csv:3", "ledger1.csv:2"])
}

@Test func aGrantApprovedForAnotherTermIsNotApprovedForThisOne() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明", term: "2023-spring")
    c.pay(1, name: "王小明")
    let result = try c.run()
    #expect(result.ledger.isEmpty)
    #expect(result.codes("R02").first?.detail.contains("2023-spring") == true)
}

@Test func anEmptyTermCellCountsAsTheRunsTerm() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明", term: "")
    c.pay(1, name: "王小明")
    let result = try c.run()
    #expect(result.findings.isEmpty)
    #expect(result.ledger.count == 1)
}

@Test func aReturnedApplicationIsNotApproved() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明", status: "不通过")
    c.pay(1, name: "王小明")
    let result = try c.run()
    #expect(result.codes("R02").first?.detail.contains("退回") == true)
}

@Test func aPaymentToSomeoneInNoApplicationIsR02NamedFromTheRoster() throws {
    var c = ReconcileCase()
    c.approve(2, name: "李华")
    c.pay(2, name: "李华")
    c.pay(1, name: "王建国")
    c.enrol(1, name: "王小明")
    c.enrol(2, name: "李华")
    let result = try c.run()
    let r02 = try #require(result.codes("R02").first)
    #expect(r02.name == "王小明")
    #expect(r02.studentNo == "S1")
    #expect(r02.detail.contains("no 国家助学金 application"))
    // The roster name differs from the account holder's: R05 on the unapproved payment too.
    #expect(result.codes("R05").map(\.studentNo) == ["S1"])
    #expect(result.codes("R13").isEmpty)
}

@Test func aFailedRowForSomeoneNotApprovedIsNoR02() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明", status: "待审批")
    c.pay(1, name: "王小明", status: "失败")
    let result = try c.run()
    #expect(result.findings.isEmpty)
}

@Test func anUnmatchedPaidRowIsR02PerRowWithTheAccountNameAndNoId() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.payWithoutID(account: card(1), name: "王小明")
    c.payWithoutID(account: card(77), name: "刘建军", amount: "1000.00")
    c.payWithoutID(account: card(78), name: "刘建军", amount: "1000.00")
    c.payWithoutID(account: card(79), name: "张三", status: "失败")
    let result = try c.run()
    let r02 = result.codes("R02")
    #expect(r02.count == 2)
    #expect(r02.allSatisfy { $0.idNumber.isEmpty && $0.studentNo.isEmpty && $0.name == "刘建军" && $0.actual == "1000.00" })
    #expect(r02.map(\.sources) == [["ledger1.csv:3"], ["ledger1.csv:4"]])
    #expect(r02.first?.detail.contains("***************0077") == true)
    #expect(r02.first?.detail.contains(card(77)) == false)
    #expect(result.totals.unmatchedPaidRows == 2)
    #expect(result.totals.unmatchedPaidAmount == Fen(200_000))
    #expect(result.settlement.unattributedPaid == Fen(200_000))
    #expect(result.settlement.unattributedRows == 2)
}

@Test func anApprovedStudentAbsentFromTheRosterIsR13() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.approve(2, name: "李华")
    c.pay(1, name: "王小明")
    c.pay(3, name: "赵六", amount: "1000.00")
    c.enrol(2, name: "李华")
    let result = try c.run()
    let r13 = result.codes("R13")
    #expect(r13.count == 2)
    #expect(Set(r13.map(\.idNumber)) == [residentID(1), residentID(3)])
    let approvedOne = try #require(r13.first { $0.idNumber == residentID(1) })
    #expect(approvedOne.sources == ["approved.csv:2", "ledger1.csv:2"])
    let paidOne = try #require(r13.first { $0.idNumber == residentID(3) })
    #expect(paidOne.name == "赵六")
    #expect(paidOne.sources == ["ledger1.csv:3"])
}

@Test func withoutARosterThereIsNoR13() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.pay(1, name: "王小明")
    let result = try c.run()
    #expect(result.findings.isEmpty)
}

@Test func anUnpaidStudentNotApprovedIsNotR13() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.approve(2, name: "李华", status: "待审批")
    c.pay(1, name: "王小明")
    c.enrol(1, name: "王小明")
    let result = try c.run()
    #expect(result.findings.isEmpty)
}

@Test func aGivenRosterWithNoAcceptedRowsStillMakesR13() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.pay(1, name: "王小明")
    let reconciler = Reconciler(settings: c.settings)
    let a = try c.validate("applications", header: ReconcileCase.approvedHeader, rows: c.approved, source: 0)
    for b in a.batches { reconciler.addApproved(b, validator: a.validator) }
    #expect(!reconciler.hasRoster)
    reconciler.markRosterGiven()
    #expect(reconciler.hasRoster)
    let result = reconciler.finish(sourceNames: c.sourceNames)
    #expect(result.codes("R13").count == 1)
}
