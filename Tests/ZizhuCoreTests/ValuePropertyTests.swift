import PropertyBased
import Testing
import ZizhuCore

/// A generator picking one of `choices`.
private func oneOf(_ choices: [String]) -> Generator<String, Shrink.Integer<Int>> {
    Gen.int(in: 0...(choices.count - 1)).map { choices[$0] }
}

/// Properties over generated values: what parsing and printing must preserve for any input.
@Suite struct ValuePropertyTests {
    @Test func idNormalizationIsIdempotent() async {
        let bodies = Gen.int(in: 0...9).array(of: 17)
        let births = Gen.int(in: 0...(365 * 120))   // days after 1900-01-01
        await propertyCheck(input: bodies, births) { digits, birthOffset in
            // Region + sequence from the generator, a real birth date in the middle.
            let birth = CalendarDate(year: 1900, month: 1, day: 1)?.adding(days: birthOffset)
            guard let birth else { return }
            let birthDigits = birth.iso.filter(\.isNumber)
            let body = digits.prefix(6).map(String.init).joined() + birthDigits
                + digits.suffix(3).map(String.init).joined()
            guard let check = ResidentID.checkCharacter(Array(body.utf8)) else {
                Issue.record("no check character for \(body)")
                return
            }
            let text = body + String(decoding: [check], as: UTF8.self)
            guard case .success(let id) = ResidentID.parse(text.lowercased()) else {
                Issue.record("valid id rejected: \(text)")
                return
            }
            #expect(id.string == text)
            #expect(ResidentID.parse(id.string).value == id)
            #expect(ResidentID(packed: id.packed) == id)
            #expect(id.birthDate == birth)
        }
    }

    @Test func oneWrongDigitFailsTheChecksum() async {
        await propertyCheck(input: Gen.int(in: 0...16), Gen.int(in: 1...9)) { position, delta in
            var bytes = Array("11010519491231002X".utf8)
            bytes[position] = UInt8(ascii: "0") + (bytes[position] - UInt8(ascii: "0") + UInt8(delta)) % 10
            let result = bytes.withUnsafeBufferPointer { ResidentID.parse($0) }
            // A changed digit breaks either the birth date or the check: never a valid id.
            #expect(result.value == nil)
        }
    }

    @Test func fenRoundTripsThroughYuan() async {
        await propertyCheck(input: Gen.int64(in: -Fen.maximumMagnitude...Fen.maximumMagnitude)) { value in
            let fen = Fen(value)
            #expect(Fen.parse(fen.yuan).value == fen)
            #expect(withBytes(fen.yuan) { Fen.parse($0) }.value == fen)
        }
    }

    @Test func fenParsesGroupedThousands() async {
        await propertyCheck(input: Gen.int64(in: 0...99_999_999_999)) { yuan in
            var grouped = ""
            for (offset, character) in String(yuan).reversed().enumerated() {
                if offset > 0, offset % 3 == 0 { grouped.append(",") }
                grouped.append(character)
            }
            let text = "¥" + String(grouped.reversed()) + ".50元"
            #expect(Fen.parse(text).value == Fen(yuan * 100 + 50))
        }
    }

    @Test func calendarDateRoundTripsDaysSinceEpoch() async {
        // 0001-01-01 … 9999-12-31
        await propertyCheck(input: Gen.int32(in: -719_162...2_932_896)) { days in
            let date = CalendarDate(daysSinceEpoch: days)
            #expect(CalendarDate(year: date.year, month: date.month, day: date.day) == date)
            #expect(CalendarDate.parse(date.iso).value?.date == date || date.year < 1000)
            #expect(date.adding(days: 1).daysSinceEpoch == days + 1)
            #expect((1...7).contains(date.weekday))
            #expect(date.adding(days: 7).weekday == date.weekday)
        }
    }

    @Test func excelSerialsAgreeWithISODates() async {
        await propertyCheck(input: Gen.int(in: 61...80_000)) { serial in
            let fromSerial = CalendarDate.parse(String(serial)).value?.date
            guard let fromSerial else {
                // Four-digit year-like numbers are refused on purpose.
                #expect((1900...2099).contains(serial))
                return
            }
            #expect(CalendarDate.parse(fromSerial.iso).value?.date == fromSerial)
            #expect(Int(fromSerial.daysSinceEpoch) == serial - 25_569)
        }
    }

    @Test func textNormalizationIsIdempotent() async {
        let pieces = oneOf([
            "a", "Z", "1", " ", "\t", "\r\n", "\u{3000}", "\u{00A0}", "Ａ", "１", "，", "．", "张", "三", "·", "•",
            "・", ".", "e\u{0301}", "é", "金额", "（", "）", "'", "\"", "=", "*", "\u{200B}", "가", "\u{1100}\u{1161}",
        ])
        await propertyCheck(input: pieces.array(of: 0...12)) { parts in
            let input = parts.joined()
            for mode in [TextNormalizer.Mode.text, .name, .compact] {
                let once = TextNormalizer.normalize(input, mode: mode)
                // Excel's prefixes are stripped once by design; drop inputs that still carry one.
                if once.hasPrefix("'") || once.hasPrefix("=\"") { continue }
                #expect(TextNormalizer.normalize(once, mode: mode) == once, "\(mode): \(input.debugDescription)")
            }
        }
    }

    @Test func anUnchangedRangeIsExactlyWhatNormalizationWrites() async {
        // The validator parses a cell in place when `unchangedRange` says normalization would
        // only trim it: that must never differ from normalizing it.
        let pieces = oneOf([
            "a", "z", "Z", "1", ".", "-", " ", "\t", "\u{3000}", "\u{00A0}", "Ａ", "张", "·", "é", "e\u{0301}",
            "'", "\"", "=", "=\"", "\u{200B}", "가", "\u{FEFF}", "\u{7F}", "~", "!", "12345678", "ABCDEFGH",
        ])
        await propertyCheck(input: pieces.array(of: 0...10)) { parts in
            let bytes = Array(parts.joined().utf8)
            for mode in [TextNormalizer.Mode.text, .name, .compact] {
                var written: [UInt8] = []
                bytes.withUnsafeBufferPointer { TextNormalizer.normalize($0, mode: mode, into: &written) }
                guard let range = bytes.withUnsafeBufferPointer({ TextNormalizer.unchangedRange($0, mode: mode) }) else { continue }
                #expect(Array(bytes[range]) == written, "\(mode): \(parts.joined().debugDescription)")
            }
        }
    }

    @Test func theDashedDateFastPathAgreesWithTheGeneralForms() async {
        // 2023-09-01 is read at fixed positions; 2023/09/01 by the general path. Same answers,
        // also for impossible days and months.
        let digits = oneOf(Array("0123456789").map(String.init))
        await propertyCheck(input: digits.array(of: 8...8)) { d in
            let y = d[0...3].joined(), m = d[4...5].joined(), day = d[6...7].joined()
            for allowMonth in [false, true] {
                let dashed = CalendarDate.parse("\(y)-\(m)-\(day)", allowMonthOnly: allowMonth)
                let slashed = CalendarDate.parse("\(y)/\(m)/\(day)", allowMonthOnly: allowMonth)
                #expect(dashed.value == slashed.value)
                #expect(dashed.error?.rule == slashed.error?.rule)
                let month = CalendarDate.parse("\(y)-\(m)", allowMonthOnly: allowMonth)
                let monthSlashed = CalendarDate.parse("\(y)/\(m)", allowMonthOnly: allowMonth)
                #expect(month.value == monthSlashed.value)
                #expect(month.error?.rule == monthSlashed.error?.rule)
            }
        }
    }

    @Test func textModeNeverLeavesDoubleOrEdgeSpaces() async {
        let pieces = oneOf(["x", " ", "\t", "\u{3000}", "\u{00A0}", "\n", "张", "Ｙ"])
        await propertyCheck(input: pieces.array(of: 0...20)) { parts in
            let result = TextNormalizer.normalize(parts.joined(), mode: .text)
            #expect(!result.contains("  "))
            #expect(!result.hasPrefix(" ") && !result.hasSuffix(" "))
            #expect(!result.contains("\t") && !result.contains("\u{3000}") && !result.contains("\n"))
        }
    }
}
