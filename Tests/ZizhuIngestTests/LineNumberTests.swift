import Testing
import ZizhuCore
import ZizhuIngest
import ZizhuIO

/// Physical lines, quoted line breaks, blank lines, title lines and separators.
@Suite struct LineNumberTests {
    @Test func quotedNewlineKeepsTheRecordOnItsFirstLine() throws {
        let result = try readAll("学号,备注\n1,\"第一行\n第二行\"\n2,ok\n")
        #expect(result.records == [["学号", "备注"], ["1", "第一行\n第二行"], ["2", "ok"]])
        #expect(result.lines == [1, 2, 4])
        #expect(result.stats?.physicalLines == 4)
    }

    @Test func crlfFileCountsBlankLinesAndKeepsQuotedCRLF() throws {
        let text = "h1,h2\r\n\r\n1,\"a\r\nb\"\r\n\r\n   \r\n2,c\r\n"
        let result = try readAll(text)
        #expect(result.records == [["h1", "h2"], ["1", "a\r\nb"], ["2", "c"]])
        #expect(result.lines == [1, 3, 7])
        #expect(result.offsets == [0, 9, 26])
        #expect(result.stats?.physicalLines == 7)
        #expect(result.stats?.records == 3)
    }

    @Test func loneCarriageReturnEndsALine() throws {
        let result = try readAll("a,b\rc,d\r\re,f")
        #expect(result.records == [["a", "b"], ["c", "d"], ["e", "f"]])
        #expect(result.lines == [1, 2, 4])
        #expect(result.stats?.physicalLines == 4)
    }

    @Test func lastLineWithoutLineBreakIsARecordAndALine() throws {
        let result = try readAll("a,b\n1,2")
        #expect(result.records == [["a", "b"], ["1", "2"]])
        #expect(result.stats?.physicalLines == 2)
    }

    @Test func emptyInputHasNoRecordsAndNoLines() throws {
        let result = try readAll("")
        #expect(result.records.isEmpty)
        #expect(result.batchSizes.isEmpty)
        #expect(result.stats?.physicalLines == 0)
        #expect(result.stats?.encoding == .utf8)
    }

    @Test func titleLinesAreReturnedAsRecords() throws {
        let text = "XX技工学校2023年秋季学期国家助学金发放名单,,,\n制表日期：2023-10-01,,,\n学号,姓名,金额（元）,备注\n001,张三,1000.00,\n"
        let result = try readAll(text)
        #expect(result.records.first == ["XX技工学校2023年秋季学期国家助学金发放名单", "", "", ""])
        #expect(result.records.count == 4)
        #expect(result.lines == [1, 2, 3, 4])
        #expect(result.records[3] == ["001", "张三", "1000.00", ""])
    }

    @Test func tabSeparatedFileIsDetected() throws {
        let text = "学号\t姓名\t地址\n001\t张三\t北京市,海淀区\n002\t李四\t上海市,浦东新区\n"
        let result = try readAll(text)
        #expect(result.stats?.delimiter == "\t")
        #expect(result.records[1] == ["001", "张三", "北京市,海淀区"])
    }

    @Test func tabFileWithACommaTitleLineIsStillTab() throws {
        var text = "XX技工学校名单,,,,\n学号\t姓名\t性别\t金额\n"
        for i in 0..<5 { text += "00\(i)\t学生\(i)\t男\t1,000\n" }
        let result = try readAll(text)
        #expect(result.stats?.delimiter == "\t")
        #expect(result.records[0] == ["XX技工学校名单,,,,"])
        #expect(result.records[2] == ["000", "学生0", "男", "1,000"])
    }

    @Test func commaFileWithTitleAndQuotedTabsIsComma() throws {
        var text = "XX技工学校名单,,,,\n学号,姓名,性别,金额,备注\n"
        for i in 0..<5 { text += "00\(i),学生\(i),女,1000,\"a\tb\tc\td\te\"\n" }
        let result = try readAll(text)
        #expect(result.stats?.delimiter == ",")
        #expect(result.records[2] == ["000", "学生0", "女", "1000", "a\tb\tc\td\te"])
    }

    @Test func forcedDelimiterIsUsed() throws {
        var options = CSVOptions()
        options.delimiter = 0x09
        let result = try readAll("a,b\tc\n", options: options)
        #expect(result.records == [["a,b", "c"]])
        #expect(result.stats?.delimiter == "\t")
    }

    @Test func singleColumnFileDefaultsToComma() throws {
        let result = try readAll("姓名\n张三\n")
        #expect(result.stats?.delimiter == ",")
        #expect(result.records == [["姓名"], ["张三"]])
    }

    @Test func strayQuoteInsideAnUnquotedFieldIsKept() throws {
        let result = try readAll("尺寸,备注\n5\"3,x\n")
        #expect(result.records[1] == ["5\"3", "x"])
    }

    @Test func spacesAroundUnquotedFieldsAreTrimmedButQuotedOnesKept() throws {
        let result = try readAll(" a , \" b \" ,c\n")
        #expect(result.records == [["a", " b ", "c"]])
    }

    @Test func batchesCloseAtRecordBoundariesWithSequenceNumbers() throws {
        var options = CSVOptions()
        options.batchRecords = 2
        let text = "h\n1\n\"2\n2\"\n3\n4\n"
        let result = try readAll(ByteInput.memory(Array(text.utf8), name: "b.csv"), options: options, sourceIndex: 7)
        #expect(result.batchSizes == [2, 2, 1])
        #expect(result.sequences == [0, 1, 2])
        #expect(result.sourceIndexes == [7])
        #expect(result.records.map { $0[0] } == ["h", "1", "2\n2", "3", "4"])
        #expect(result.lines == [1, 2, 3, 5, 6])
    }

    @Test func batchesCloseOnFieldBytesToo() throws {
        var options = CSVOptions()
        options.batchBytes = 10
        let result = try readAll("aaaaaaaaaa\nbbbbb\nccccc\nd\n", options: options)
        #expect(result.batchSizes == [1, 2, 1])
    }
}
