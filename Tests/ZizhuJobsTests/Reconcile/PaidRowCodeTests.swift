import Testing
import ZizhuCore
import ZizhuJobs

// R05, R06, R07, R08, R09, R11: checks on the payments that stand.

@Test func anotherAccountHolderNameIsR05() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.pay(1, name: "王建国")
    let result = try c.run()
    let r05 = try #require(result.codes("R05").first)
    #expect(r05.expected == "王小明")
    #expect(r05.actual == "王建国")
    #expect(r05.sources == ["approved.csv:2", "ledger1.csv:2"])
}

@Test func theSameNameWithAnotherSeparatorDotOrSpacesIsNoR05() throws {
    var c = ReconcileCase()
    c.approve(1, name: "阿依古丽·买买提")
    c.pay(1, name: "阿依古丽•买买提")
    c.approve(2, name: "王小明")
    c.pay(2, name: "王 小明")
    let result = try c.run()
    #expect(result.findings.isEmpty)
}

@Test func aReversedPaymentToAnotherHolderIsNoR05() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.pay(1, name: "王建国", date: "2023-10-10")
    c.pay(1, name: "王建国", date: "2023-10-12", status: "冲正")
    c.pay(1, name: "王小明", date: "2023-10-20")
    let result = try c.run()
    #expect(result.findings.isEmpty)
}

@Test func oneAccountPaidForTwoStudentsIsR06ForEach() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.approve(2, name: "王小红")
    c.approve(3, name: "李华")
    c.pay(1, name: "王小明")
    c.pay(2, name: "王小明", account: card(1))
    c.pay(3, name: "李华")
    let result = try c.run()
    let r06 = result.codes("R06")
    #expect(r06.map(\.studentNo) == ["S1", "S2"])
    #expect(r06.first?.actual == "2")
    #expect(r06.first?.detail.contains("王小红") == true)
    #expect(r06.first?.sources == ["approved.csv:2", "ledger1.csv:2", "ledger1.csv:3"])
    #expect(r06.first?.detail.contains(card(1)) == false)
}

@Test func oneStudentPaidTwiceIntoOneAccountIsNoR06() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.pay(1, name: "王小明", amount: "625.00")
    c.pay(1, name: "王小明", amount: "625.00")
    let result = try c.run()
    #expect(result.findings.isEmpty)
}

@Test func aSharedAccountWhoseSecondPaymentFailedIsNoR06() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.approve(2, name: "王小红")
    c.pay(1, name: "王小明")
    c.pay(2, name: "王小明", status: "失败", account: card(1))
    let result = try c.run()
    #expect(result.codes("R06").isEmpty)
    #expect(result.codes("R10").map(\.studentNo) == ["S2"])
}

@Test func paidOnOrAfterLeavingIsR07() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.pay(1, name: "王小明", date: "2023-10-15")
    c.enrol(1, name: "王小明", status: "退学", changed: "2023-10-10")
    c.approve(2, name: "李华")
    c.pay(2, name: "李华", date: "2023-10-15")
    c.enrol(2, name: "李华", status: "转学", changed: "2023-10-15")
    let result = try c.run()
    let r07 = result.codes("R07")
    #expect(r07.map(\.studentNo) == ["S1", "S2"])
    #expect(r07.first?.actual == "退学 2023-10-10")
    #expect(r07.first?.sources == ["approved.csv:2", "ledger1.csv:2", "roster.csv:2"])
}

@Test func aSuspensionDatedAfterThePaymentIsNoR07() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.pay(1, name: "王小明", date: "2023-10-15")
    c.enrol(1, name: "王小明", status: "休学", changed: "2023-10-16")
    c.approve(2, name: "李华")
    c.pay(2, name: "李华", date: "2023-10-15")
    c.enrol(2, name: "李华", status: "复学", changed: "2023-09-01")
    c.approve(3, name: "赵六")
    c.pay(3, name: "赵六", date: "2023-10-15")
    c.enrol(3, name: "赵六", status: "退学")   // no change date: the rule is silent
    let result = try c.run()
    #expect(result.findings.isEmpty)
}

@Test func aLeftStudentWhoseOnlyPaymentFailedIsNoR07() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.pay(1, name: "王小明", date: "2023-10-15", status: "失败")
    c.enrol(1, name: "王小明", status: "退学", changed: "2023-10-10")
    let result = try c.run()
    #expect(result.codes("R07").isEmpty)
    #expect(result.codeSet == ["R10"])
}

@Test func paidToAPartTimeStudentIsR08() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.pay(1, name: "王小明")
    c.enrol(1, name: "王小明", mode: "非全日制")
    c.approve(2, name: "李华")
    c.enrol(2, name: "李华", mode: "非全日制")
    let result = try c.run()
    let r08 = result.codes("R08")
    #expect(r08.map(\.studentNo) == ["S1"])   // S2 was not paid: R01, not R08
    #expect(r08.first?.actual == "非全日制")
    #expect(result.codes("R01").map(\.studentNo) == ["S2"])
}

@Test func aChannelOtherThanFundCardOrSocialSecurityCardIsR09() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.pay(1, name: "王小明", channel: "现金")
    c.approve(2, name: "李华")
    c.pay(2, name: "李华", channel: "借记卡")
    c.approve(3, name: "赵六")
    c.pay(3, name: "赵六", channel: "社会保障卡")
    c.approve(4, name: "钱七")
    c.pay(4, name: "钱七", channel: "")
    let result = try c.run()
    let r09 = result.codes("R09")
    #expect(r09.map(\.studentNo) == ["S1", "S2"])
    #expect(r09.map(\.actual) == ["现金", "其他银行卡"])
}

@Test func allowedChannelsAreASetting() throws {
    var c = ReconcileCase()
    c.settings.allowedChannels.insert("现金")
    c.approve(1, name: "王小明")
    c.pay(1, name: "王小明", channel: "现金")
    #expect(try c.run().findings.isEmpty)
}

@Test func aPaymentOutsideTheTermWindowIsAnR11Warning() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.pay(1, name: "王小明", date: "2024-03-01")
    c.approve(2, name: "李华")
    c.pay(2, name: "李华", date: "2023-08-31")
    let result = try c.run()
    let r11 = result.codes("R11")
    #expect(r11.map(\.studentNo) == ["S1", "S2"])
    #expect(r11.allSatisfy { $0.severity == .warning })
    #expect(r11.first?.expected == "2023-09-01..2024-02-29")
}

@Test func paymentsOnTheFirstAndLastDayOfTheWindowAreNoR11() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.pay(1, name: "王小明", date: "2023-09-01")
    c.approve(2, name: "李华")
    c.pay(2, name: "李华", date: "2024-02-29")
    #expect(try c.run().findings.isEmpty)
}

@Test func everyRosterRowOfADuplicatedIdIsRead() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.pay(1, name: "王小明", date: "2023-10-15")
    c.enrol(2, name: "李华")
    c.enrol(1, name: "王小明")
    c.enrol(3, name: "赵六")
    c.enrol(1, name: "王小明", mode: "非全日制", status: "退学", changed: "2023-10-01")
    let result = try c.run()
    #expect(result.codes("R07").first?.sources == ["approved.csv:2", "ledger1.csv:2", "roster.csv:5"])
    #expect(result.codes("R08").first?.sources == ["approved.csv:2", "ledger1.csv:2", "roster.csv:5"])
    #expect(result.codes("R13").isEmpty)
}
