import Testing
import ZizhuCore
import ZizhuIngest
import ZizhuIO

/// A field over the size limit is named for what it is: an unquoted field is too long (the limit
/// and the line said); only a quoted field that runs on is blamed on a quote.
@Suite struct FieldLimitMessageTests {
    static func options(field: Int, chunk: Int) -> CSVOptions {
        var options = CSVOptions()
        options.maxFieldBytes = field
        options.chunkSize = chunk
        return options
    }

    @Test func anUnquotedFieldOverTheLimitDoesNotBlameAQuote() throws {
        let text = "a,b\n1,2\n3,\(String(repeating: "x", count: 40))\n4,5\n"
        for chunk in [1, 3, 8, 64, 1 << 20] {
            let error = #expect(throws: ZizhuError.self) { _ = try readAll(text, options: Self.options(field: 10, chunk: chunk)) }
            #expect(error?.code == .limitExceeded, "chunk \(chunk)")
            #expect(error?.position?.line == 3)
            let words = "\(error?.message ?? "") \(error?.hint ?? "")"
            #expect(!words.contains("quote"), "chunk \(chunk): \(words)")
            #expect(words.contains("10 bytes"), "the limit is said: \(words)")
            #expect(words.contains("line 3"), "the line is said: \(words)")
        }
    }

    @Test func aQuotedFieldThatRunsOnIsBlamedOnItsQuote() throws {
        let text = "a,b\n1,\"open\n\(String(repeating: "x", count: 40))\n4,5\n"
        for chunk in [1, 3, 64, 1 << 20] {
            let error = #expect(throws: ZizhuError.self) { _ = try readAll(text, options: Self.options(field: 10, chunk: chunk)) }
            #expect(error?.code == .limitExceeded, "chunk \(chunk)")
            #expect(error?.hint?.contains("quote") == true, "chunk \(chunk)")
        }
    }
}
