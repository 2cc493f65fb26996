import Testing
@testable import ZizhuIngest

/// The reader's fast path for number cells keeps the text as it is when `CellText.number` would
/// write the same: checked against that slow path.
@Suite struct XLSXFastPathTests {
    static func plain(_ text: String) -> Bool {
        Array(text.utf8).withUnsafeBufferPointer { XLSXSheet.isPlainInteger($0) }
    }

    @Test func whatTheFastPathTakesTheSlowPathWritesTheSame() {
        var generator = SystemRandomNumberGenerator()
        var texts = ["0", "7", "10", "45170", "999999999999999", "100000000000000", "2023000100001"]
        for digits in 1...17 {
            for _ in 0..<200 {
                var text = String(Int.random(in: 1...9, using: &generator))
                for _ in 1..<digits { text += String(Int.random(in: 0...9, using: &generator)) }
                texts.append(text)
            }
        }
        var taken = 0
        for text in texts where Self.plain(text) {
            taken += 1
            let number = Double(text)
            #expect(number.map(CellText.number) == text, "\(text)")
        }
        #expect(taken > 3000)
    }

    @Test func whatTheFastPathLeavesToTheSlowPath() {
        for text in ["", "00", "0123", "1234567890123456", "370102200703151234", "1.5", "1E3", "1e3", "-5", "+5", " 5", "5 ", "0.0"] {
            #expect(!Self.plain(text), "\(text)")
        }
    }
}
