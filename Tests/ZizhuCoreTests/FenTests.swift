import Foundation
import Testing
import ZizhuCore

@Suite struct FenTests {
    @Test(arguments: [
        ("1250", 125_000), ("1250.00", 125_000), ("1,000.00", 100_000), ("1,234,567.89", 123_456_789),
        ("¥1000", 100_000), ("￥1000", 100_000), ("1000元", 100_000), ("¥1,000.50元", 100_050),
        ("1000.5", 100_050), ("0.05", 5), (".5", 50), ("1000.", 100_000), ("-50", -5_000),
        ("+50", 5_000), ("-¥50", -5_000), ("¥-50", -5_000), ("(50.00)", -5_000), ("  750.00 ", 75_000),
        ("\u{3000}750\u{00A0}", 75_000), ("1250.000", 125_000), ("0", 0), ("-0", 0), ("¥ 1,000.00", 100_000),
        ("1000 元", 100_000),
    ] as [(String, Int64)])
    func parsesAcceptedForms(text: String, fen: Int64) {
        #expect(withBytes(text) { Fen.parse($0) }.value == Fen(fen))
    }

    @Test func stringParseFoldsFullWidthDigits() {
        #expect(Fen.parse("１，０００．５０").value == Fen(100_050))
        #expect(Fen.parse("＋２０").value == Fen(2_000))
    }

    @Test(arguments: ["12.345", "0.001", "1000.505", "1.2301"])
    func rejectsMoreThanTwoDecimals(text: String) {
        #expect(Fen.parse(text).error?.rule == "MONEY_PRECISION")
    }

    @Test(arguments: ["", "   ", "abc", "12a", "1.2E+03", "1,00", "1,0000", "1234,567.00", ",100", "--5",
                      "¥", "元", ".", "1.2.3", "(50", "50)", "1 000", "one hundred", "5%", "(-50)", "1,000,00"])
    func rejectsNonNumbers(text: String) {
        #expect(Fen.parse(text).error?.rule == "MONEY_INVALID")
    }

    @Test func rejectsAmountsBeyondTheCapInsteadOfOverflowing() {
        #expect(Fen.parse("999999999999.99").value == Fen(99_999_999_999_999))
        #expect(Fen.parse("-999999999999.99").value == Fen(-99_999_999_999_999))
        #expect(Fen.parse("1000000000000").error?.rule == "MONEY_INVALID")
        #expect(Fen.parse("99999999999999999999999999").error?.rule == "MONEY_INVALID")
        #expect(Fen.parse("9223372036854775808").error?.rule == "MONEY_INVALID")
    }

    @Test func formatsYuanWithTwoDecimals() {
        #expect(Fen(125_000).yuan == "1250.00")
        #expect(Fen(-350).yuan == "-3.50")
        #expect(Fen(5).yuan == "0.05")
        #expect(Fen(-5).yuan == "-0.05")
        #expect(Fen(0).yuan == "0.00")
        #expect(Fen(.min).yuan == "-92233720368547758.08")
        #expect(Fen(.max).description == "92233720368547758.07")
    }

    @Test func arithmeticSaturatesInsteadOfTrapping() {
        #expect(Fen(100) + Fen(250) == Fen(350))
        #expect(Fen(100) - Fen(250) == Fen(-150))
        #expect(Fen(.max) + Fen(1) == Fen(.max))
        #expect(Fen(.min) - Fen(1) == Fen(.min))
        #expect(Fen(.min) + Fen(-1) == Fen(.min))
        #expect(Fen.zero + Fen(7) == Fen(7))
        #expect([Fen(1), Fen(2), Fen(3)].reduce(.zero, +) == Fen(6))
    }

    @Test func encodesAsPlainFen() throws {
        let data = try JSONEncoder().encode([Fen(125_000)])
        #expect(String(decoding: data, as: UTF8.self) == "[125000]")
        #expect(try JSONDecoder().decode([Fen].self, from: data) == [Fen(125_000)])
        // Configuration may write yuan as a string; a bare number is always fen.
        #expect(try JSONDecoder().decode([Fen].self, from: Data(#"["1250.00", 750]"#.utf8)) == [Fen(125_000), Fen(750)])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Fen].self, from: Data(#"["1.234"]"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Fen].self, from: Data("[12.5]".utf8)) }
    }

    @Test func ordersByAmount() {
        #expect(Fen(-1) < Fen(0))
        #expect([Fen(3), Fen(-2), Fen(1)].sorted() == [Fen(-2), Fen(1), Fen(3)])
    }

    @Test func precisionErrorExplainsTheRule() {
        let error = Fen.parse("1.234").error
        #expect(error?.message.contains("two decimals") == true)
        #expect(error?.hint != nil)
    }
}
