import Testing
import ZizhuCore

@Suite struct RecordBatchTests {
    /// Three records: a full one, one with empty fields (first, middle, last), a short one.
    private static func appended() -> RecordBatch {
        var batch = RecordBatch(sourceIndex: 2, sequence: 5)
        batch.appendRecord(["学籍号", "姓名", "性别"], line: 1, offset: 0)
        batch.appendRecord(["", "王小明", ""], line: 2, offset: 30)
        batch.appendRecord(["S1"], line: 4, offset: 58)
        return batch
    }

    private static func fromArrays() -> RecordBatch {
        let text = "学籍号姓名性别王小明S1"
        // 学籍号 = 9 bytes, 姓名 = 6, 性别 = 6, 王小明 = 9, S1 = 2.
        return RecordBatch(sourceIndex: 2, sequence: 5, bytes: Array(text.utf8),
                           fieldOffsets: [0, 9, 15, 21, 21, 30, 30, 32],
                           recordFields: [0, 3, 6, 7], recordLines: [1, 2, 4], recordOffsets: [0, 30, 58])
    }

    private static func readAll(_ batch: RecordBatch) -> [[String]] {
        (0..<batch.count).map { batch.strings($0) }
    }

    @Test func batchFromArraysReadsLikeAppendedBatch() {
        let built = Self.fromArrays()
        let appended = Self.appended()
        #expect(built.count == 3 && appended.count == 3)
        #expect(Self.readAll(built) == Self.readAll(appended))
        #expect(Self.readAll(built) == [["学籍号", "姓名", "性别"], ["", "王小明", ""], ["S1"]])
        #expect(built.sourceIndex == 2 && built.sequence == 5)
        #expect(built.byteCount == appended.byteCount)
        #expect(built.bytes == appended.bytes)
        #expect(built.fieldOffsets == appended.fieldOffsets)
        #expect(built.recordFields == appended.recordFields)
        #expect(built.recordOffsets == appended.recordOffsets)
        for record in 0..<3 {
            #expect(built.line(record) == appended.line(record))
            #expect(built.fieldCount(record) == appended.fieldCount(record))
            for column in -1...4 {
                #expect(built.range(record, column) == appended.range(record, column))
                #expect(built.withField(record, column) { Array($0) } == appended.withField(record, column) { Array($0) })
            }
        }
    }

    @Test func shortRecordFromArraysReadsEmptyCellsPastItsEnd() {
        let built = Self.fromArrays()
        #expect(built.fieldCount(2) == 1)
        #expect(built.string(2, 0) == "S1")
        #expect(built.string(2, 1) == "")
        #expect(built.range(2, 2) == 0..<0)
        #expect(built.withField(2, 5) { $0.count } == 0)
    }

    @Test func emptyFieldsFromArraysAreEmptyNotMissing() {
        let built = Self.fromArrays()
        #expect(built.fieldCount(1) == 3)
        #expect(built.range(1, 0) == 21..<21)
        #expect(built.range(1, 2) == 30..<30)
        #expect(built.string(1, 1) == "王小明")
    }

    @Test func batchFromArraysKeepsGrowingWithAppendField() {
        var built = Self.fromArrays()
        var appended = Self.appended()
        built.appendRecord(["", "x"], line: 9, offset: 99)
        appended.appendRecord(["", "x"], line: 9, offset: 99)
        #expect(Self.readAll(built) == Self.readAll(appended))
        #expect(built.line(3) == 9)
        built.removeAll()
        #expect(built.isEmpty && built.byteCount == 0 && built.fieldOffsets == [0] && built.recordFields == [0])
    }

    @Test func emptyBatchFromArrays() {
        let built = RecordBatch(sourceIndex: 0, sequence: 0, bytes: [], fieldOffsets: [0],
                                recordFields: [0], recordLines: [], recordOffsets: [])
        #expect(built.isEmpty && built.count == 0 && built.byteCount == 0)
    }

    @Test func batchRebuiltFromItsOwnArraysReadsTheSame() {
        // Shapes that stress the offsets: no fields, one empty field, long and multibyte fields.
        let records: [[String]] = [[], [""], ["a", "", "", "b"], [String(repeating: "宽", count: 300)], ["", ""], ["z"]]
        var appended = RecordBatch(sourceIndex: 1, sequence: 3)
        for (i, fields) in records.enumerated() { appended.appendRecord(fields, line: UInt32(i * 2 + 1), offset: Int64(i * 100)) }
        let built = RecordBatch(sourceIndex: 1, sequence: 3, bytes: appended.bytes, fieldOffsets: appended.fieldOffsets,
                                recordFields: appended.recordFields, recordLines: appended.recordLines,
                                recordOffsets: appended.recordOffsets)
        #expect(Self.readAll(built) == records)
        #expect((0..<built.count).map { built.line($0) } == [1, 3, 5, 7, 9, 11])
        #expect((0..<built.count).map { built.fieldCount($0) } == records.map(\.count))
    }
}
