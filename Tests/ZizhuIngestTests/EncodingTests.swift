import Testing
import ZizhuCore
import ZizhuIngest
import ZizhuIO

/// The encoding decision and the errors after it.
@Suite struct EncodingTests {
    static func gb18030(_ text: String) throws -> [UInt8] {
        try IconvConverter.convert(Array(text.utf8), from: "UTF-8", to: "GB18030")
    }

    /// `count` bytes of ASCII rows, each `"123456,abcdef\n"`-shaped.
    static func asciiRows(_ count: Int) -> [UInt8] {
        let row = Array("123456,abcdefghij\n".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + row.count)
        while bytes.count + row.count <= count { bytes += row }
        return bytes
    }

    @Test func gb18030AfterTwoMebibytesOfASCIIIsDecoded() throws {
        let ascii = Array("id,name\n".utf8) + Self.asciiRows(2 << 20)
        let asciiLines = ascii.filter { $0 == 0x0A }.count
        let bytes = ascii + (try Self.gb18030("999,张三丰\n1000,¥😀\n"))
        let result = try readAll(bytes)
        #expect(result.stats?.encoding == .gb18030)
        #expect(result.records.suffix(2) == [["999", "张三丰"], ["1000", "¥😀"]])
        #expect(result.lines.suffix(2) == [asciiLines + 1, asciiLines + 2])
        #expect(result.offsets.last == Int64(ascii.count + (try Self.gb18030("999,张三丰\n")).count))
    }

    @Test func utf8AfterTwoMebibytesOfASCIIIsDecoded() throws {
        let ascii = Self.asciiRows(2 << 20)
        let result = try readAll(ascii + Array("1,张三\n".utf8))
        #expect(result.stats?.encoding == .utf8)
        #expect(result.records.last == ["1", "张三"])
    }

    @Test func utf8WithAnInvalidByteLaterIsAnErrorNamingItsOffsetAndLine() throws {
        // Valid UTF-8 decides the encoding; the bad byte comes 1.5 MiB later, past the look-ahead.
        var bytes = Array("学号,姓名\n1,张三\n".utf8)
        bytes += Self.asciiRows(3 << 19)
        let lineOfBadByte = bytes.filter { $0 == 0x0A }.count + 1
        bytes += Array("2,李".utf8)
        let badOffset = bytes.count
        bytes += [0xFF] + Array("四\n".utf8)
        let error = #expect(throws: ZizhuError.self) { _ = try readAll(bytes) }
        #expect(error?.code == .invalidEncoding)
        #expect(error?.position?.byteOffset == Int64(badOffset))
        #expect(error?.position?.line == lineOfBadByte)
        #expect(error?.position?.file == "test.csv")
        #expect(error?.message.contains("\(badOffset)") == true)
    }

    @Test func invalidUTF8ErrorIsTheSameAtEveryChunkSize() throws {
        let bytes = Array("a,中\nb,".utf8) + [0xE4, 0xB8] + Array(",c\n".utf8)  // 中 cut short
        for size in 1...(bytes.count + 1) {
            var options = CSVOptions()
            options.chunkSize = size
            let error = #expect(throws: ZizhuError.self) { _ = try readAll(bytes, options: options) }
            // Not UTF-8 (E4 B8 2C), not GB18030 either (the AD of 中 followed by a line break):
            // the error lies in the look-ahead window, on line 2, before anything was parsed.
            #expect(error?.code == .invalidEncoding, "chunk size \(size)")
            #expect(error?.position?.byteOffset != nil)
            #expect(error?.position?.line == 2, "chunk size \(size)")
        }
    }

    @Test func bytesValidInNeitherEncodingAreAnError() throws {
        // 0x80 is a stray continuation byte in UTF-8 and undefined as a GB18030 lead byte.
        let bytes = Array("id,name\n1,".utf8) + [0x80, 0x41, 0x0A]
        let error = #expect(throws: ZizhuError.self) { _ = try readAll(bytes) }
        #expect(error?.code == .invalidEncoding)
        #expect(error?.position?.byteOffset == Int64(bytes.count - 3))
        #expect(error?.position?.line == 2)
        #expect(error?.message.contains("neither UTF-8") == true)
    }

    @Test func gb18030WithAnInvalidSequenceLaterIsAnError() throws {
        var bytes = try Self.gb18030("学号,姓名\n1,张三\n")
        bytes += Self.asciiRows(3 << 19)
        let badOffset = bytes.count + 2
        bytes += Array("2,".utf8) + [0x81, 0x20] + Array("\n".utf8)  // lead byte then a space
        let error = #expect(throws: ZizhuError.self) { _ = try readAll(bytes) }
        #expect(error?.code == .invalidEncoding)
        #expect(error?.position?.byteOffset == Int64(badOffset))
        #expect(error?.message.contains("GB18030") == true)
    }

    @Test func gb18030CutInsideACharacterAtTheEndIsAnError() throws {
        let bytes = try Self.gb18030("a,中文\n") + [0xD6]
        let error = #expect(throws: ZizhuError.self) { _ = try readAll(bytes) }
        #expect(error?.code == .invalidEncoding)
        #expect(error?.position?.byteOffset == Int64(bytes.count - 1))
    }

    @Test func utf8ByteOrderMarkIsStrippedAndCounted() throws {
        let result = try readAll([0xEF, 0xBB, 0xBF] + Array("学号,姓名\n1,张三\n".utf8))
        #expect(result.stats?.encoding == .utf8BOM)
        #expect(result.records.first == ["学号", "姓名"])
        #expect(result.offsets == [3, 3 + Int64("学号,姓名\n".utf8.count)])
        #expect(result.stats?.sourceBytes == Int64(3 + "学号,姓名\n1,张三\n".utf8.count))
    }

    @Test func excelUnicodeTextIsUTF16LittleEndianWithTabs() throws {
        let text = "学号\t姓名\r\n001\t张三\r\n"
        let bytes: [UInt8] = [0xFF, 0xFE] + (try IconvConverter.convert(Array(text.utf8), from: "UTF-8", to: "UTF-16LE"))
        let result = try readAll(bytes)
        #expect(result.stats?.encoding == .utf16LE)
        #expect(result.stats?.delimiter == "\t")
        #expect(result.records == [["学号", "姓名"], ["001", "张三"]])
        #expect(result.offsets == [2, 2 + 2 * 7])
    }

    @Test func utf16WithoutByteOrderMarkIsRecognised() throws {
        let text = "id,name\n1,张三\n"
        let le = try IconvConverter.convert(Array(text.utf8), from: "UTF-8", to: "UTF-16LE")
        let be = try IconvConverter.convert(Array(text.utf8), from: "UTF-8", to: "UTF-16BE")
        #expect(try readAll(le).records == [["id", "name"], ["1", "张三"]])
        #expect(try readAll(le).stats?.encoding == .utf16LE)
        #expect(try readAll(be).stats?.encoding == .utf16BE)
    }

    @Test func unpairedSurrogateInUTF16IsAnError() throws {
        let bytes: [UInt8] = [0xFF, 0xFE, 0x61, 0x00, 0x00, 0xDC, 0x0A, 0x00]
        let error = #expect(throws: ZizhuError.self) { _ = try readAll(bytes) }
        #expect(error?.code == .invalidEncoding)
        #expect(error?.position?.byteOffset == 4)
    }

    @Test func forcedGB18030ReadsWithoutDetection() throws {
        var options = CSVOptions()
        options.encoding = .gb18030
        let result = try readAll(try Self.gb18030("姓名\n张三\n"), options: options)
        #expect(result.records == [["姓名"], ["张三"]])
        #expect(result.stats?.encoding == .gb18030)
    }

    @Test func forcedUTF8RejectsGB18030Bytes() throws {
        var options = CSVOptions()
        options.encoding = .utf8
        let error = #expect(throws: ZizhuError.self) { _ = try readAll(try Self.gb18030("姓名\n张三\n"), options: options) }
        #expect(error?.code == .invalidEncoding)
        #expect(error?.position?.byteOffset == 0)
    }

    @Test func pureASCIIReportsUTF8() throws {
        let result = try readAll("a,b\n1,2\n")
        #expect(result.stats?.encoding == .utf8)
    }
}
