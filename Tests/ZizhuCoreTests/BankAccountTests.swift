import Foundation
import Testing
import ZizhuCore

@Suite struct BankAccountTests {
    @Test(arguments: [
        ("6212261000001234565", "6212261000001234565"), ("6212 2610 0000 1234 565", "6212261000001234565"),
        ("6212-2610-0000-1234-565", "6212261000001234565"), (" 6212261000001234565\u{3000}", "6212261000001234565"),
        ("621226100000", "621226100000"), ("6212261000001234\u{00A0}565", "6212261000001234565"),
    ])
    func acceptsDigitsIgnoringSpacesAndDashes(text: String, digits: String) {
        #expect(withBytes(text) { BankAccount.parse($0) }.value == .full(digits: digits))
    }

    @Test func boundsAreTwelveToNineteenDigits() {
        #expect(BankAccount.parse("62122610000").error?.rule == "ACCOUNT_INVALID")          // 11
        #expect(BankAccount.parse("621226100000").value != nil)                             // 12
        #expect(BankAccount.parse("6212261000001234565").value != nil)                      // 19
        #expect(BankAccount.parse("62122610000012345650").error?.rule == "ACCOUNT_INVALID") // 20
        #expect(BankAccount.parse("").error?.rule == "ACCOUNT_INVALID")
    }

    @Test(arguments: ["6212a61000001234565", "6.21226E+18", "6212261000001234565.0", "621226/1000001234565", "卡号6212261000001234"])
    func rejectsForeignCharacters(text: String) {
        #expect(withBytes(text) { BankAccount.parse($0) }.error?.rule == "ACCOUNT_INVALID")
    }

    @Test func scientificNotationGetsAReExportHint() {
        #expect(BankAccount.parse("6.21226E+18").error?.hint?.contains("text") == true)
    }

    @Test func luhnIsReportedNotEnforced() throws {
        #expect(try #require(BankAccount.parse("6212261000001234565").value).passesLuhn == true)
        #expect(try #require(BankAccount.parse("6228480012345678903").value).passesLuhn == true)
        let failing = try #require(BankAccount.parse("6212261000001234566").value)
        #expect(failing.passesLuhn == false)
        #expect(try #require(BankAccount.parse("621285******1234").value).passesLuhn == nil)
    }

    @Test func theLuhnCheckOverBytesAgreesAndRefusesNonDigits() {
        #expect(withBytes("6212261000001234565") { BankAccount.passesLuhn($0) })
        #expect(!withBytes("6212261000001234566") { BankAccount.passesLuhn($0) })
        #expect(withBytes("79927398713") { BankAccount.passesLuhn($0) }, "the textbook example")
        #expect(!withBytes("7992739871x") { BankAccount.passesLuhn($0) })
        #expect(!withBytes("621226100000123456*") { BankAccount.passesLuhn($0) })
    }

    @Test(arguments: [
        ("621285******1234", "621285", "1234", 16), ("621285xxxxxx1234", "621285", "1234", 16),
        ("621285XXXXXXXXX1234", "621285", "1234", 19), ("***************1234", "", "1234", 19),
        ("6212 85** **** 1234", "621285", "1234", 16), ("６２１２８５＊＊＊＊＊＊１２３４", "621285", "1234", 16),
    ] as [(String, String, String, Int)])
    func readsMaskedNumbers(text: String, prefix: String, suffix: String, length: Int) {
        #expect(BankAccount.parse(text).value == .masked(prefix: prefix, suffix: suffix, length: length))
    }

    @Test(arguments: ["621285******", "6212**85**1234", "****", "62*1234"])
    func rejectsMalformedMasks(text: String) {
        #expect(BankAccount.parse(text).error?.rule == "ACCOUNT_INVALID")
    }

    @Test func matchesFullAgainstMasked() throws {
        let full = try #require(BankAccount.parse("6212850012341234").value)
        let masked = try #require(BankAccount.parse("621285******1234").value)
        #expect(full.matches(masked))
        #expect(masked.matches(full))
        #expect(full.matches(full))
        #expect(!full.matches(try #require(BankAccount.parse("621286******1234").value)))   // prefix differs
        #expect(!full.matches(try #require(BankAccount.parse("621285******1235").value)))   // suffix differs
        #expect(!full.matches(try #require(BankAccount.parse("621285*******1234").value)))  // length differs
        #expect(!full.matches(try #require(BankAccount.parse("6212850012341235").value)))
        #expect(masked.matches(try #require(BankAccount.parse("6212*********234").value)))
        #expect(!masked.matches(try #require(BankAccount.parse("6213*********234").value)))
    }

    @Test func masksAllButTheLastFour() throws {
        #expect(try #require(BankAccount.parse("6212261000001234565").value).masked == "***************4565")
        #expect(try #require(BankAccount.parse("621285******1234").value).masked == "************1234")
        #expect(try #require(BankAccount.parse("621285*********34").value).masked == "***************34")
        let account = try #require(BankAccount.parse("6212261000001234565").value)
        #expect("\(account)" == "***************4565")
    }

    @Test func codableAsCanonicalString() throws {
        let accounts = [try #require(BankAccount.parse("6212261000001234565").value),
                        try #require(BankAccount.parse("621285xxxxxx1234").value)]
        let data = try JSONEncoder().encode(accounts)
        #expect(String(decoding: data, as: UTF8.self) == #"["6212261000001234565","621285******1234"]"#)
        #expect(try JSONDecoder().decode([BankAccount].self, from: data) == accounts)
    }
}
