import Testing
import ZizhuCore
import ZizhuJobs

// R12 and R14, the settlement and the totals.

@Test func aTierAndAmountThatDisagreeAreR12() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明", tier: "二档", amount: "1250.00")
    c.approve(2, name: "李华", tier: "", amount: "1500.00")
    c.pay(1, name: "王小明")
    c.pay(2, name: "李华", amount: "1500.00")
    let result = try c.run()
    let r12 = result.codes("R12")
    #expect(r12.map(\.studentNo) == ["S1", "S2"])
    #expect(r12.first?.expected == "1000.00")
    #expect(r12.first?.actual == "二档 1250.00")
    #expect(r12.last?.expected == "一档 1250.00 / 二档 1000.00 / 三档 750.00")
    #expect(r12.count == result.findings.count)
}

@Test func tiersAgreeingWithTheirAmountsOrAnAmountThatIsATierAreNoR12() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明", tier: "1", amount: "1250.00")
    c.approve(2, name: "李华", tier: "", amount: "750.00")
    c.approve(3, name: "赵六", tier: "第二档", amount: "1000")
    c.pay(1, name: "王小明")
    c.pay(2, name: "李华", amount: "750.00")
    c.pay(3, name: "赵六", amount: "1000.00")
    let result = try c.run()
    #expect(result.findings.isEmpty)
    #expect(result.row("S3")?.tier == "二档")
}

@Test func tiersAreASetting() throws {
    var c = ReconcileCase()
    c.settings.tiers = ["一档": Fen(150_000), "二档": Fen(100_000)]
    c.approve(1, name: "王小明", tier: "一档", amount: "1500.00")
    c.approve(2, name: "李华", tier: "三档", amount: "750.00")
    c.pay(1, name: "王小明", amount: "1500.00")
    c.pay(2, name: "李华", amount: "750.00")
    let result = try c.run()
    #expect(result.codes("R12").map(\.studentNo) == ["S2"])
    #expect(result.codes("R12").first?.detail.contains("not a configured tier") == true)
}

@Test func aSchoolPayingMoreThanItsAllocationIsR14() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明", school: "A01")
    c.approve(2, name: "李华", school: "A01")
    c.approve(3, name: "赵六", school: "B02")
    c.pay(1, name: "王小明")
    c.pay(2, name: "李华")
    c.pay(3, name: "赵六")
    c.allocate("A01", "2000.00")
    c.allocate("B02", "1250.00")
    let result = try c.run()
    let r14 = result.codes("R14")
    #expect(r14.count == 1)
    let finding = try #require(r14.first)
    #expect(finding.schoolCode == "A01")
    #expect(finding.studentNo.isEmpty && finding.idNumber.isEmpty)
    #expect(finding.expected == "2000.00")
    #expect(finding.actual == "2500.00")
    #expect(finding.sources == ["allocations.csv:2"])
    let a01 = try #require(result.settlement.schools.first { $0.schoolCode == "A01" })
    #expect(a01.allocated == Fen(200_000))
    #expect(a01.paid == Fen(250_000))
    #expect(a01.surplus == Fen(-50_000))
    let b02 = try #require(result.settlement.schools.first { $0.schoolCode == "B02" })
    #expect(b02.surplus == .zero)
    #expect(result.settlement.schools.map(\.schoolCode) == ["A01", "B02"])
}

@Test func withoutAllocationsThereIsNoR14AndNoAllocatedFigure() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明", school: "A01")
    c.pay(1, name: "王小明", amount: "1250.00")
    c.pay(1, name: "王小明", amount: "1250.00")
    let result = try c.run()
    #expect(result.codes("R14").isEmpty)
    #expect(result.settlement.schools == [SchoolSettlement(schoolCode: "A01", allocated: nil, paid: Fen(250_000), surplus: nil)])
}

@Test func r14CountsPaymentsAttributedThroughTheRosterAndLeavesUnattributedMoneyApart() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明", school: "A01")
    c.pay(1, name: "王小明")
    // Not approved, in A01's roster: counts against A01.
    c.pay(2, name: "李华", amount: "1000.00")
    c.enrol(1, name: "王小明", school: "A01")
    c.enrol(2, name: "李华", school: "A01")
    // Not approved, in no roster, and a row matching no one: nobody's school.
    c.pay(3, name: "赵六", amount: "750.00")
    c.payWithoutID(account: card(99), name: "刘建军", amount: "500.00", file: 1)
    c.allocate("A01", "2000.00")
    c.allocate("A01", "200.00")
    c.allocate("B02", "1000.00", term: "2023-spring")
    let result = try c.run()
    let r14 = try #require(result.codes("R14").first)
    #expect(r14.expected == "2200.00")
    #expect(r14.actual == "2250.00")
    #expect(r14.sources == ["allocations.csv:2", "allocations.csv:3"])
    #expect(result.settlement.unattributedPaid == Fen(125_000))
    #expect(result.settlement.unattributedRows == 2)
    #expect(result.settlement.schools.map(\.schoolCode) == ["A01"])
    #expect(result.notes.contains { $0.contains("another term") })
}

@Test func anAllocationCoveringWhatWasPaidIsNoR14() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明", school: "A01")
    c.pay(1, name: "王小明")
    c.allocate("A01", "1250.00")
    let result = try c.run()
    #expect(result.findings.isEmpty)
    #expect(result.settlement.schools.first?.surplus == .zero)
}

@Test func aSchoolThatPaidWithNoAllocationRowIsR14WhenAllocationsAreGiven() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明", school: "A01")
    c.approve(2, name: "李华", school: "B02")
    c.pay(1, name: "王小明")
    c.pay(2, name: "李华")
    c.allocate("A01", "5000.00")
    let result = try c.run()
    #expect(result.codes("R14").map(\.schoolCode) == ["B02"])
    #expect(result.codes("R14").first?.expected == "0.00")
}

@Test func theLedgerHasOneRowPerApprovedStudentSortedBySchoolAndNumber() throws {
    var c = ReconcileCase()
    c.approve(12, name: "丙", school: "B02")
    c.approve(3, name: "甲", school: "A01")
    c.approve(11, name: "乙", school: "A01")
    c.approve(11, name: "乙", school: "A01")   // approved twice: one row, a note
    c.pay(11, name: "乙", date: "2023-10-15")
    c.pay(12, name: "丙", amount: "600.00")
    let result = try c.run()
    #expect(result.ledger.map(\.studentNo) == ["S11", "S3", "S12"])
    let s11 = try #require(result.row("S11"))
    #expect(s11.sources == ["approved.csv:4", "approved.csv:5", "ledger1.csv:2"])
    #expect(s11.account == card(11))
    #expect(s11.matchedBy == "id")
    #expect(s11.tier == "一档")
    #expect(s11.approved == Fen(125_000))
    let s3 = try #require(result.row("S3"))
    #expect(s3.account == card(3))     // unpaid: the approved card
    #expect(s3.payDate == nil)
    #expect(s3.matchedBy == "")
    #expect(result.notes.contains { $0.contains("2 approved 国家助学金 rows") && $0.contains("110105********") })
    #expect(result.totals.approvedStudents == 3)
    #expect(result.totals.approvedAmount == Fen(375_000))
    #expect(result.totals.paidRows == 2)
    #expect(result.totals.paidAmount == Fen(185_000))
}

@Test func anApprovedRowWithoutSchoolCodeTakesTheRostersForTheLedgerAndTheSettlement() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明", school: "")
    c.pay(1, name: "王小明")
    c.enrol(1, name: "王小明", school: "C03")
    c.allocate("C03", "1000.00")
    let result = try c.run()
    #expect(result.row("S1")?.schoolCode == "C03")
    #expect(result.codes("R14").map(\.schoolCode) == ["C03"])
    #expect(result.settlement.unattributedRows == 0)
}

@Test func givenAllocationsWithNoAcceptedRowsStillCheckR14() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明", school: "A01")
    c.pay(1, name: "王小明")
    let reconciler = Reconciler(settings: c.settings)
    let a = try c.validate("applications", header: ReconcileCase.approvedHeader, rows: c.approved, source: 0)
    for b in a.batches { reconciler.addApproved(b, validator: a.validator) }
    let l = try c.validate("ledger", header: ReconcileCase.ledgerHeader, rows: c.ledgers[0].rows, source: 1)
    for b in l.batches { reconciler.addLedger(b, validator: l.validator) }
    #expect(!reconciler.hasAllocations)
    reconciler.markAllocationsGiven()
    #expect(reconciler.hasAllocations)
    let result = reconciler.finish(sourceNames: c.sourceNames)
    #expect(result.codes("R14").map(\.actual) == ["1250.00"])
}
