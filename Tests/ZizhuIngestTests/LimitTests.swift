import Testing
import ZizhuCore
import ZizhuIngest
import ZizhuIO

/// Field and record caps and unterminated quotes: errors with file, line and offset, the same
/// at every chunk size.
@Suite struct LimitTests {
    static func options(field: Int = 1 << 20, record: Int = 2 << 20, chunk: Int = 1 << 20) -> CSVOptions {
        var options = CSVOptions()
        options.maxFieldBytes = field
        options.maxRecordBytes = record
        options.chunkSize = chunk
        return options
    }

    @Test func fieldOverTheLimitNamesItsLine() throws {
        let text = "a,b\n1,2\n3,\(String(repeating: "x", count: 11))\n"
        for chunk in [1, 2, 3, 5, 8, 64] {
            let error = #expect(throws: ZizhuError.self) { _ = try readAll(text, options: Self.options(field: 10, chunk: chunk)) }
            #expect(error?.code == .limitExceeded, "chunk \(chunk)")
            #expect(error?.position?.line == 3, "chunk \(chunk)")
            #expect(error?.position?.file == "test.csv")
            #expect(error?.position?.byteOffset == 8)
            #expect(error?.hint != nil)
        }
    }

    @Test func fieldExactlyAtTheLimitIsAccepted() throws {
        let quoted = "a,\"\(String(repeating: "y", count: 10))\"   \n"
        let plain = "a,\(String(repeating: "x", count: 10))      \n"
        for chunk in 1...quoted.utf8.count {
            #expect(try readAll(quoted, options: Self.options(field: 10, chunk: chunk)).records.count == 1)
            #expect(try readAll(plain, options: Self.options(field: 10, chunk: chunk)).records.count == 1)
        }
    }

    @Test func recordOverTheLimitNamesItsFirstLine() throws {
        let text = "h\nok\n\"ab\ncd\nef\",gh\n"
        for chunk in 1...text.utf8.count {
            let error = #expect(throws: ZizhuError.self) { _ = try readAll(text, options: Self.options(record: 12, chunk: chunk)) }
            #expect(error?.code == .limitExceeded, "chunk \(chunk)")
            #expect(error?.position?.line == 3, "chunk \(chunk)")
        }
        // 13 bytes of record content ("ab\ncd\nef" quoted + ",gh") fits a 13-byte limit.
        #expect(try readAll(text, options: Self.options(record: 15)).records.count == 3)
    }

    @Test func unterminatedQuoteNamesTheLineWhereItOpened() throws {
        let text = "学号,备注\n1,ok\n2,\"never closed\n3,x\n4,y\n"
        for chunk in [1, 4, 7, 1 << 20] {
            let error = #expect(throws: ZizhuError.self) { _ = try readAll(text, options: Self.options(chunk: chunk)) }
            #expect(error?.code == .csvSyntax, "chunk \(chunk)")
            #expect(error?.position?.line == 3, "chunk \(chunk)")
            #expect(error?.message.contains("line 3") == true)
        }
    }

    @Test func quoteClosedOnTheLastLineIsFine() throws {
        let result = try readAll("a,\"b\nc\"")
        #expect(result.records == [["a", "b\nc"]])
    }

    @Test func runawayQuoteHitsTheRecordLimitBeforeMemoryDoes() throws {
        var text = "a,b\n1,\"open\n"
        for _ in 0..<2000 { text += "more lines inside the quote\n" }
        let error = #expect(throws: ZizhuError.self) { _ = try readAll(text, options: Self.options(field: 1 << 20, record: 4096)) }
        #expect(error?.code == .limitExceeded)
        #expect(error?.position?.line == 2)
    }

    @Test func errorsInsideAZipEntryNameTheEntry() throws {
        let input = ByteInput.memory(Array("a\n\"x".utf8), name: "pack.zip")
        let error = #expect(throws: ZizhuError.self) { _ = try readAll(input) }
        #expect(error?.position?.file == "pack.zip")
        #expect(error?.code == .csvSyntax)
    }
}
