import Foundation
import Testing
import ZizhuCore
@testable import ZizhuSchema

/// Validates rows given as strings, as one file (`f.csv`), and returns the outputs.
private func run(_ schemaName: String, _ rows: [[String]], overrides: [String: String] = [:],
                 trackers: Bool = false) throws -> (report: FileReport, batches: [ValidatedBatch], findings: [Discrepancy]) {
    let schema = try TableSchema.named(schemaName)
    let matcher = try HeaderMatcher(schema: schema, overrides: overrides)
    let table = TableValidator(schema: schema, matcher: matcher, input: InputPosition(file: "f.csv"), sourceIndex: 0)
    var batch = RecordBatch()
    for (i, row) in rows.enumerated() { batch.appendRecord(row, line: UInt32(i + 1)) }
    var batches: [ValidatedBatch] = []
    var unique = schema.fields.enumerated().compactMap { i, f in
        f.constraints?.unique == true ? UniqueTracker(field: i, finding: f.uniqueFinding ?? "DUP") : nil
    }
    if !trackers { unique = [] }
    for out in try table.consume(batch) {
        batches.append(out)
        if let validator = table.validator { for t in unique { t.add(out, validator: validator) } }
    }
    let report = try table.finish()
    var findings = batches.flatMap(\.findings)
    for t in unique { findings += t.findings(sourceNames: ["f.csv"], fieldTitle: "身份证号") }
    return (report, batches, findings)
}

private let rosterHeader = ["学籍号", "姓名", "身份证号码*", "性别", "出生日期", "学习形式", "学籍状态", "年级"]
// 11010519491231002X: a valid id (female, born 1949-12-31); 110105194912310029 fails the check.
private let goodRow = ["S1", "王 小明", "11010519491231002x", "女", "1949-12-31", "全日制", "在籍", "2023级"]

@Test func headerTitlesMatchIgnoringSpacesWidthStarAndUnit() throws {
    let schema = try TableSchema.named("applications")
    let matcher = try HeaderMatcher(schema: schema)
    let mapping = matcher.map(["身份证号码 *", "资助类型", "金额（元）", "审批状态", "备用列"], line: 3)
    #expect(mapping.fieldColumns[schema.index(of: "id_number") ?? -1] == 0)
    #expect(mapping.fieldColumns[schema.index(of: "amount") ?? -1] == 2)
    #expect(mapping.unknownColumns == [4])
    #expect(matcher.missingRequired(mapping).isEmpty)
}

@Test func columnOverridesMapABanksOwnTitles() throws {
    let schema = try TableSchema.named("ledger")
    let matcher = try HeaderMatcher(schema: schema, overrides: ["收款人账号": "account_number"])
    let mapping = matcher.map(["交易日期", "收款人账号", "金额", "状态"], line: 1)
    #expect(mapping.fieldColumns[schema.index(of: "account_number") ?? -1] == 1)
    #expect(throws: ZizhuError.self) { try HeaderMatcher(schema: schema, overrides: ["x": "no_such_field"]) }
}

@Test func titleLinesAboveTheHeaderAreSkippedAndReported() throws {
    let result = try run("roster", [["XX技工学校2023年秋季学期学籍名册", "", ""], rosterHeader, goodRow])
    #expect(result.report.titleLines.map(\.line) == [1])
    #expect(result.report.titleLines.first?.text == "XX技工学校2023年秋季学期学籍名册")
    #expect(result.report.headerLine == 2)
    #expect(result.report.rowsRead == 1)
    #expect(result.report.rowsAccepted == 1)
}

@Test func rowsReadEqualAcceptedPlusRejected() throws {
    var bad1 = goodRow; bad1[2] = "110105194912310029"       // check character fails
    var bad2 = goodRow; bad2[2] = "3.70102E+17"              // Excel damage
    var bad3 = goodRow; bad3[5] = ""                         // required 学习形式 empty
    var bad4 = goodRow; bad4[4] = "2023-02-30"               // no such date
    let result = try run("roster", [rosterHeader, goodRow, bad1, bad2, bad3, bad4, ["", "", ""]])
    let r = result.report
    #expect(r.rowsRead == 5)
    #expect(r.rowsAccepted == 1)
    #expect(r.rowsRejected == 4)
    #expect(r.rowsRead == r.rowsAccepted + r.rowsRejected)
    #expect(r.blankRows == 1)
    let rules = Set(result.batches.flatMap(\.rejects).map(\.rule))
    #expect(rules == ["ID_CHECKSUM", "ID_SCIENTIFIC_NOTATION", "REQUIRED_MISSING", "DATE_INVALID"])
}

@Test func aRejectNamesFileLineColumnAndMasksTheId() throws {
    var bad = goodRow; bad[2] = "110105194912310029"
    let result = try run("roster", [rosterHeader, bad])
    let reject = try #require(result.batches.first?.rejects.first)
    #expect(reject.file == "f.csv")
    #expect(reject.line == 2)
    #expect(reject.column == "身份证号码*")
    #expect(reject.value == "110105********0029")
    #expect(!reject.message.isEmpty)
}

@Test func normalizedValuesComeOutTyped() throws {
    let result = try run("roster", [rosterHeader, goodRow])
    let batch = try #require(result.batches.first)
    let schema = try TableSchema.named("roster")
    guard case .residentID(let id) = batch.value(0, schema.index(of: "id_number") ?? -1) else {
        Issue.record("id not parsed"); return
    }
    #expect(id.string == "11010519491231002X")
    guard case .text(let name) = batch.value(0, schema.index(of: "name") ?? -1) else { Issue.record("name"); return }
    #expect(batch.string(name) == "王小明")
    #expect(batch.value(0, schema.index(of: "grade") ?? -1) == .integer(2023))
}

@Test func genderThatDisagreesWithTheIdIsAnS09FindingNotAReject() throws {
    var wrong = goodRow; wrong[3] = "男"
    let fires = try run("roster", [rosterHeader, wrong])
    #expect(fires.report.rowsAccepted == 1)
    #expect(fires.findings.map(\.code) == ["S09"])
    #expect(fires.findings.first?.sources == ["f.csv:2"])
    let nearMiss = try run("roster", [rosterHeader, goodRow])
    #expect(nearMiss.findings.isEmpty)
}

@Test func aDuplicateIdIsS01WithEveryRowAsSource() throws {
    var second = goodRow; second[0] = "S2"
    var other = goodRow; other[2] = "110105194912310011"; other[3] = "男"
    let result = try run("roster", [rosterHeader, goodRow, other, second], trackers: true)
    let s01 = result.findings.filter { $0.code == "S01" }
    #expect(s01.count == 1)
    #expect(s01.first?.sources == ["f.csv:2", "f.csv:4"])
    #expect(s01.first?.severity == .error)
    let single = try run("roster", [rosterHeader, goodRow, other], trackers: true)
    #expect(single.findings.filter { $0.code == "S01" }.isEmpty)
}

private let appsHeader = ["学期", "身份证号", "资助类型", "资助档次", "金额(元)", "审批状态"]

@Test func aTrailingTotalRowIsCheckedAgainstTheColumnSumAndNotCounted() throws {
    let rows = [appsHeader,
                ["2023秋", "11010519491231002X", "国家助学金", "1", "1,250.00", "已审批"],
                ["2023秋", "110105194912310011", "国家助学金", "二档", "¥1000", "通过"]]
    let ok = try run("applications", rows + [["合计", "", "", "", "2250.00", ""]])
    #expect(ok.report.rowsRead == 2)
    #expect(ok.report.totalRow?.line == 4)
    #expect(ok.report.totalRow?.matches == true)
    #expect(ok.report.notes.isEmpty)
    let wrong = try run("applications", rows + [["合 计", "", "", "", "2300", ""]])
    #expect(wrong.report.totalRow?.matches == false)
    #expect(wrong.report.warningsByRule["TOTAL_MISMATCH"] == 1)
    #expect(wrong.report.notes.first?.contains("2300.00") == true)
    let empty = try run("applications", rows + [["总计", "", "", "", "", ""]])
    #expect(empty.report.totalRow?.checks.isEmpty == true)
}

@Test func aTotalRowFollowedByDataIsADataRow() throws {
    let rows = [appsHeader, ["合计", "", "", "", "100", ""],
                ["2023秋", "11010519491231002X", "国家助学金", "1", "1250", "已审批"]]
    let result = try run("applications", rows)
    #expect(result.report.totalRow == nil)
    #expect(result.report.rowsRead == 2)
    #expect(result.report.rowsRejected == 1)
}

@Test func amountIsRequiredOnlyOnGrantRows() throws {
    let rows = [appsHeader,
                ["2023秋", "11010519491231002X", "免学费", "", "", "已审批"],
                ["2023秋", "110105194912310011", "国家助学金", "1", "", "已审批"]]
    let result = try run("applications", rows)
    #expect(result.report.rowsAccepted == 1)
    #expect(result.report.rowsRejected == 1)
    #expect(result.batches.first?.rejects.first?.line == 3)
    #expect(result.batches.first?.rejects.first?.rule == "REQUIRED_MISSING")
}

@Test func aLedgerRowWithAnUnreadableIdIsMatchedByAccountWithAWarning() throws {
    let header = ["交易日期", "账号", "户名", "证件号码", "金额", "交易状态"]
    let rows = [header,
                ["2023-10-15", "6212 8502 0000 0000 013", "王小明", "110105194912310029", "1250", "失败-账户已销户"],
                ["2023-10-15", "", "王小明", "", "1250", "成功"]]
    let result = try run("ledger", rows)
    #expect(result.report.rowsAccepted == 1)
    #expect(result.report.warningsByRule["ID_CHECKSUM"] == 1)
    #expect(result.batches.first?.rejects.first?.rule == "REQUIRED_MISSING")   // neither id nor account
    let batch = try #require(result.batches.first)
    let schema = try TableSchema.named("ledger")
    guard case .code(let status) = batch.value(0, schema.index(of: "status") ?? -1) else { Issue.record("status"); return }
    #expect(CodeTable(schema.fields[schema.index(of: "status") ?? 0].codes ?? [:]).names[Int(status)] == "失败")
}

@Test func aFileWithoutAMatchingHeaderStopsWithOneClearError() throws {
    #expect {
        _ = try run("roster", [["学号", "姓名", "身份证号"], ["1", "张三", "11010519491231002X"]])
    } throws: { error in
        guard let error = error as? ZizhuError else { return false }
        return error.code == .noHeader && error.message.contains("学习形式") && error.message.contains("学籍状态")
    }
    #expect(throws: ZizhuError.self) { _ = try run("roster", []) }
}

@Test func unknownCodesAndCellsPastTheHeaderAreReported() throws {
    var bad = goodRow; bad[6] = "在读中"
    var extra = goodRow; extra.append("多出来的")
    let result = try run("roster", [rosterHeader, bad, extra])
    #expect(result.batches.first?.rejects.first?.rule == "CODE_UNKNOWN")
    #expect(result.batches.first?.warnings.first?.rule == "CELL_PAST_HEADER")
    #expect(result.report.rowsAccepted == 1)
}

@Test func schemaMistakesAreReportedAtLoad() throws {
    let bad = #"{"name": "x", "fields": [{"name": "a", "type": "code"}]}"#
    #expect(throws: ZizhuError.self) { try TableSchema.decode(Data(bad.utf8), file: "x.json") }
    let unknownType = #"{"name": "x", "fields": [{"name": "a", "type": "dat"}]}"#
    #expect(throws: ZizhuError.self) { try TableSchema.decode(Data(unknownType.utf8), file: "x.json") }
    for name in ["roster", "applications", "ledger", "allocations"] {
        #expect(try TableSchema.named(name).name == name)
    }
}

@Test func thePackedKeyTableAgreesWithADictionaryThroughGrowth() {
    var table = PackedKeyTable()
    var oracle: [UInt64: UInt64] = [:]
    var state: UInt64 = 0x1234_5678
    for i in 0..<200_000 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        let key = i % 7 == 0 ? UInt64(i / 7) : state >> 20   // some repeats, some colliding low bits
        let first = table.insert(key, value: UInt64(i))
        #expect(first == oracle[key])
        if oracle[key] == nil { oracle[key] = UInt64(i) }
    }
    #expect(table.insert(0, value: 99) == oracle[0])
}

@Test(arguments: [1, 7, 4096])
func insertingAWholeBatchAgreesWithInsertingOneByOne(batchSize: Int) {
    // Repeats inside one batch and across batches, through several growths of the table.
    var batched = PackedKeyTable()
    var single = PackedKeyTable()
    var state: UInt64 = 0x9876_5432
    var i = 0
    while i < 150_000 {
        var keys: [UInt64] = []
        var values: [UInt64] = []
        for j in i..<min(i + batchSize, 150_000) {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            keys.append(j % 5 == 0 ? UInt64(j % 997) : state >> 24)
            values.append(UInt64(j))
        }
        var expected: [Int: UInt64] = [:]
        for (k, key) in keys.enumerated() { if let first = single.insert(key, value: values[k]) { expected[k] = first } }
        var got: [Int: UInt64] = [:]
        batched.insertAll(keys, values: values) { k, first in got[k] = first }
        #expect(got == expected)
        i += batchSize
    }
    #expect(batched.insert(0, value: 1) == 0)
}

@Test func aStudentNumberOverItsMaxLengthIsRejectedAndOneAtItIsNot() throws {
    // student_no has maxLength 64 (characters, not bytes: 64 Chinese characters still fit).
    var atLimit = goodRow; atLimit[0] = String(repeating: "学", count: 64)
    var overLimit = goodRow; overLimit[0] = String(repeating: "7", count: 65)
    let result = try run("roster", [rosterHeader, atLimit, overLimit])
    #expect(result.report.rowsAccepted == 1)
    #expect(result.report.rowsRejected == 1)
    let reject = try #require(result.batches.flatMap(\.rejects).first)
    #expect(reject.rule == "LENGTH")
    #expect(reject.line == 3)
    #expect(reject.column == "学籍号")
    #expect(reject.message.contains("longer than 64"))
}

@Test func aPassportNumberSkipsTheIdCheckAndAResidentIdDoesNot() throws {
    // 证件类型 护照: the number is kept upper-cased, not checked as GB 11643; 居民身份证 is checked.
    let header = rosterHeader + ["证件类型"]
    let passport = goodRow.enumerated().map { $0.offset == 2 ? "e12345678" : $0.element } + ["护照"]
    var resident = goodRow + ["居民身份证"]; resident[2] = "110105194912310029"
    let result = try run("roster", [header, passport, resident])
    #expect(result.report.rowsAccepted == 1)
    #expect(result.batches.flatMap(\.rejects).map(\.rule) == ["ID_CHECKSUM"])
    let batch = try #require(result.batches.first)
    let schema = try TableSchema.named("roster")
    guard case .otherID(let ref) = batch.value(0, schema.index(of: "id_number") ?? -1) else {
        Issue.record("passport number not kept as text"); return
    }
    #expect(batch.string(ref) == "E12345678")
}

@Test func anApplicationCarriesItsIdTypeAndAPassportNumberWithoutOneIsRejected() throws {
    // The applications schema has 证件类型 too: 护照 numbers pass as written (upper-cased); without
    // the column the default is 居民身份证, so the same number fails the GB 11643 check.
    let header = appsHeader + ["证件类型"]
    let passport = ["2023秋", "e12345678", "国家助学金", "1", "1250", "已审批", "护照"]
    let badResident = ["2023秋", "110105194912310029", "国家助学金", "1", "1250", "已审批", "居民身份证"]
    let withType = try run("applications", [header, passport, badResident])
    #expect(withType.report.rowsAccepted == 1)
    #expect(withType.batches.flatMap(\.rejects).map(\.line) == [3])
    let schema = try TableSchema.named("applications")
    let batch = try #require(withType.batches.first)
    guard case .otherID(let ref) = batch.value(0, schema.index(of: "id_number") ?? -1) else {
        Issue.record("passport number not kept as text"); return
    }
    #expect(batch.string(ref) == "E12345678")
    let withoutType = try run("applications", [appsHeader, Array(passport.dropLast())])
    #expect(withoutType.report.rowsRejected == 1)
    #expect(withoutType.batches.flatMap(\.rejects).first?.column == "身份证号")
}

@Test func theRegionCacheAnswersLikeTheTableWhateverTheOrderOfLookups() {
    // Repeats (the last-spelling shortcut), alternations and unknown names, each compared with
    // the region table itself.
    var cache = RegionCache()
    let spellings = ["济南市", "济南市", "青岛市", "济南市", "370100", "不存在市", "不存在市", "青岛市", "370200", "370200"]
    for spelling in spellings {
        let expected = RegionTable.shared.resolve(spelling).map { Int32($0.code) }
        let got = Array(spelling.utf8).withUnsafeBufferPointer { cache.resolve($0) }
        #expect(got == expected, "\(spelling)")
    }
    #expect(Array("济南市".utf8).withUnsafeBufferPointer { cache.resolve($0) } == 370100)
    #expect(Array("不存在市".utf8).withUnsafeBufferPointer { cache.resolve($0) } == nil)
}

@Test func theTermCacheAnswersLikeTermParseForRepeatsAndBadSpellings() {
    var cache = TermCache()
    for spelling in ["2023-fall", "2023年秋季学期", "2023-fall", "2023-winter", "2023-winter", "2024-spring"] {
        let expected = Term.parse(spelling)
        let got = Array(spelling.utf8).withUnsafeBufferPointer { cache.term($0) }
        switch (got, expected) {
        case (.success(let a), .success(let b)): #expect(a == b, "\(spelling)")
        case (.failure(let a), .failure(let b)): #expect(a.rule == b.rule, "\(spelling)")
        default: Issue.record("\(spelling): \(got) ≠ \(expected)")
        }
    }
}

// MARK: trailers (contract §3)

private let grantRow = ["2023秋", "11010519491231002X", "国家助学金", "1", "1250", "已审批"]

@Test func trailerLinesAfterTheTotalRowAreSkippedAndReported() throws {
    let rows = [appsHeader, grantRow, ["合计", "", "", "", "1250", ""],
                ["制表人：张三", "", "审核人：李四", "", "", ""], ["", "复核人：王五"], ["负责人", "赵六"],
                ["填报日期：2023-10-08"], ["填表日期 2023年10月8日"], ["备注：以上名单已公示"], ["说明", "无"],
                ["单位(盖章)"], ["单位（盖章）：XX技工学校"]]
    let result = try run("applications", rows)
    #expect(result.report.rowsRead == 1)
    #expect(result.report.rowsRejected == 0)
    #expect(result.report.totalRow?.line == 3)
    #expect(result.report.totalRow?.matches == true)
    #expect((result.report.trailerLines ?? []).map(\.line) == Array(4...12))
    #expect(result.report.trailerLines?.first?.text == "制表人：张三 审核人：李四")
}

@Test func aRemarkLineWithoutATotalRowBeforeItIsData() throws {
    let result = try run("applications", [appsHeader, grantRow, ["备注：以上名单已公示", "", "", "", "", ""]])
    #expect(result.report.rowsRead == 2)
    #expect(result.report.rowsRejected == 1)
    #expect(result.report.trailerLines == nil)
}

@Test func aTrailerWordFollowedByDataMakesTheTotalAndTrailerData() throws {
    let rows = [appsHeader, ["合计", "", "", "", "100", ""], ["制表人：张三"], grantRow]
    let result = try run("applications", rows)
    #expect(result.report.totalRow == nil)
    #expect(result.report.trailerLines == nil)
    #expect(result.report.rowsRead == 3)
    #expect(result.report.rowsAccepted == 1)
}

@Test func trailerLinesInALaterBatchAreStillTheTrailer() throws {
    let schema = try TableSchema.named("applications")
    let table = TableValidator(schema: schema, matcher: try HeaderMatcher(schema: schema), input: InputPosition(file: "f.csv"), sourceIndex: 0)
    var first = RecordBatch()
    for (i, row) in [appsHeader, grantRow, ["合计", "", "", "", "1250", ""]].enumerated() { first.appendRecord(row, line: UInt32(i + 1)) }
    var second = RecordBatch()
    second.appendRecord(["制表人：张三"], line: 4)
    var third = RecordBatch()
    third.appendRecord(["审核人：李四"], line: 5)
    _ = try table.consume(first)
    _ = try table.consume(second)
    _ = try table.consume(third)
    let report = try table.finish()
    #expect(report.rowsRead == 1)
    #expect(report.totalRow?.line == 3)
    #expect((report.trailerLines ?? []).map(\.line) == [4, 5])

    // The same, but data follows in a later batch: the total and the trailer line were data.
    let again = TableValidator(schema: schema, matcher: try HeaderMatcher(schema: schema), input: InputPosition(file: "f.csv"), sourceIndex: 0)
    var data = RecordBatch()
    data.appendRecord(grantRow, line: 5)
    _ = try again.consume(first)
    _ = try again.consume(second)
    _ = try again.consume(data)
    let mixed = try again.finish()
    #expect(mixed.totalRow == nil)
    #expect(mixed.trailerLines == nil)
    #expect(mixed.rowsRead == 4)
}

// MARK: short rows

@Test func aShortRowMissingARequiredCellIsAShortRowReject() throws {
    // Only 3 of the 8 header cells: 学籍状态 (required) is not there at all.
    let result = try run("roster", [rosterHeader, ["S1", "王 小明", "11010519491231002x"]])
    let reject = try #require(result.batches.first?.rejects.first)
    #expect(reject.rule == "SHORT_ROW")
    #expect(reject.message.contains("3") && reject.message.contains("8"))
    #expect(result.batches.first?.rejects.count == 1)
    #expect(result.report.rowsRejected == 1)
}

@Test func aShortRowMissingOnlyOptionalCellsIsAccepted() throws {
    // Excel trimmed the empty trailing 年级 cell: only an optional field is missing.
    let result = try run("roster", [rosterHeader, Array(goodRow.dropLast())])
    #expect(result.report.rowsAccepted == 1)
    #expect(result.report.rowsRejected == 0)
}

// MARK: diagnoses

@Test func aMissingFieldNamesItsAcceptedTitlesAndTheNearestTitlesInTheFile() throws {
    let schema = try TableSchema.named("ledger")
    let matcher = try HeaderMatcher(schema: schema)
    let missing = matcher.diagnose(matcher.map(["流水号", "交易时间", "收款账号", "付款金额", "交易状态"], line: 1))
    let payDate = try #require(missing.first { $0.field == "pay_date" })
    #expect(payDate.accepted.contains("交易日期"))
    #expect(payDate.nearest == ["交易时间"])
    let amount = try #require(missing.first { $0.field == "amount" })
    #expect(amount.nearest.first == "付款金额")
    // A title sharing one character only (流水号 / 学籍号) is no suggestion.
    let unrelated = matcher.diagnose(matcher.map(["交易日期", "收款账号", "备用", "交易状态"], line: 1))
    #expect(unrelated.first { $0.field == "amount" }?.nearest.isEmpty == true)
}

@Test func aHeaderSplitByAnotherSeparatorIsNamed() throws {
    let schema = try TableSchema.named("roster")
    let matcher = try HeaderMatcher(schema: schema)
    // The separator's name is a catalogue key: "semicolon ';'" in English, "分号 ';'" in Chinese.
    let semicolon = try #require(TableValidator.otherSeparator([rosterHeader.joined(separator: ";")], matcher: matcher))
    #expect(Language.en(semicolon) == "semicolon ';'")
    #expect(Language.zh(semicolon) == "分号 ';'")
    #expect(TableValidator.otherSeparator([rosterHeader.joined(separator: "\t")], matcher: matcher).map { Language.en($0) } == "tab")
    // A title line holding a semicolon is no header under any separator.
    #expect(TableValidator.otherSeparator(["XX技工学校;2023年秋季学期学籍名册"], matcher: matcher) == nil)
}
