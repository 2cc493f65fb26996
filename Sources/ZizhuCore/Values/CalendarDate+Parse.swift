extension CalendarDate {
    /// Days from 1970-01-01 back to 1899-12-30, the day before Excel serial 1.
    static let excelEpochOffset = 25_569
    /// Excel's largest serial day number: 9999-12-31.
    static let excelSerialRange = 1...2_958_465

    /// Parses a date cell. Allocates nothing on success.
    ///
    /// Forms: `2023-09-01`, `2023/9/1`, `2023.9.1`, `20230901`, `2023年9月1日` (also `…1号` or
    /// without the last unit), Excel serial day numbers (`45170` is 2023-09-01; serial 1 is
    /// 1899-12-31, counting from 1899-12-30 as Excel's 1900 system does for every date after
    /// 1900-02-28; a fraction is a time of day and dropped). With `allowMonthOnly`, also `2023-09`,
    /// `2023/9`, `2023.9`, `202309` and `2023年9月`, read as the first of the month with
    /// `precision == .month`. A trailing time of day (` 0:00`, ` 00:00:00`, `T08:30:00Z`) is
    /// dropped: Excel adds it when a date column is exported as date-time.
    ///
    /// Surprising on purpose: a bare four-digit number from 1900 to 2099 is rejected rather than
    /// read as an Excel serial — it is a year someone typed, not a day in 1905.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, allowMonthOnly: Bool = false)
        -> Result<ParsedDate, ValueError> {
        if let dashed = parseDashed(bytes, allowMonthOnly: allowMonthOnly) { return .success(dashed) }
        let bounds = bytes.trimmedBounds()
        let start = bounds.lowerBound
        let end = bounds.upperBound
        guard start < end else { return .failure(invalid(Message("value.date.empty"))) }

        let run = bytes.digitRun(from: start, end: end)
        guard run > 0 else { return .failure(unknownForm) }
        var cursor = start + run
        var year = 0, month = 0, day = 0
        var precision = ParsedDate.Precision.day

        if run == 4, cursor < end, isDateSeparator(bytes[cursor]) {
            // 2023-09-01, 2023/9/1, 2023.9.1, and the month forms 2023-09, 2023/9, 2023.9.
            let separator = bytes[cursor]
            year = bytes.digits(at: start, count: 4) ?? 0
            cursor += 1
            let monthRun = bytes.digitRun(from: cursor, end: end)
            guard (1...2).contains(monthRun) else { return .failure(unknownForm) }
            month = bytes.digits(at: cursor, count: monthRun) ?? 0
            cursor += monthRun
            if cursor < end, bytes[cursor] == separator {
                cursor += 1
                let dayRun = bytes.digitRun(from: cursor, end: end)
                guard (1...2).contains(dayRun) else { return .failure(unknownForm) }
                day = bytes.digits(at: cursor, count: dayRun) ?? 0
                cursor += dayRun
            } else {
                precision = .month
            }
        } else if run == 4, bytes.matches(.nian, at: cursor, end: end) {
            // 2023年9月1日, 2023年9月1号, 2023年9月1, 2023年9月.
            year = bytes.digits(at: start, count: 4) ?? 0
            cursor += 3
            let monthRun = bytes.digitRun(from: cursor, end: end)
            guard (1...2).contains(monthRun) else { return .failure(unknownForm) }
            month = bytes.digits(at: cursor, count: monthRun) ?? 0
            cursor += monthRun
            guard bytes.matches(.yue, at: cursor, end: end) else { return .failure(unknownForm) }
            cursor += 3
            let dayRun = bytes.digitRun(from: cursor, end: end)
            if dayRun == 0 {
                precision = .month
            } else {
                guard dayRun <= 2 else { return .failure(unknownForm) }
                day = bytes.digits(at: cursor, count: dayRun) ?? 0
                cursor += dayRun
                if bytes.matches(.ri, at: cursor, end: end) || bytes.matches(.hao, at: cursor, end: end) {
                    cursor += 3
                }
            }
        } else if run == 8, !followedByFraction(bytes, cursor, end) {
            // 20230901
            year = bytes.digits(at: start, count: 4) ?? 0
            month = bytes.digits(at: start + 4, count: 2) ?? 0
            day = bytes.digits(at: start + 6, count: 2) ?? 0
        } else if run == 6, allowMonthOnly, !followedByFraction(bytes, cursor, end) {
            // 202309
            year = bytes.digits(at: start, count: 4) ?? 0
            month = bytes.digits(at: start + 4, count: 2) ?? 0
            precision = .month
        } else if run <= 7 {
            // Excel serial day number, perhaps with a time-of-day fraction.
            let serial = bytes.digits(at: start, count: run) ?? 0
            if followedByFraction(bytes, cursor, end) {
                cursor += 1
                cursor += bytes.digitRun(from: cursor, end: end)
            }
            guard cursor == end || timeOfDayEnds(bytes, at: cursor, end: end) else {
                return .failure(unknownForm)
            }
            if run == 4, (1900...2099).contains(serial), cursor == start + 4 {
                return .failure(invalid(Message("value.date.yearOnly"), hint: Message("value.date.full.hint")))
            }
            if run == 6, !allowMonthOnly, cursor == start + 6 {
                return .failure(monthNotEnough)
            }
            guard excelSerialRange.contains(serial) else {
                return .failure(invalid(Message("value.date.serial")))
            }
            let date = CalendarDate(daysSinceEpoch: Int32(serial - excelEpochOffset))
            return .success(ParsedDate(date: date, precision: .day))
        } else {
            return .failure(unknownForm)
        }

        guard cursor == end || timeOfDayEnds(bytes, at: cursor, end: end) else {
            return .failure(unknownForm)
        }
        if precision == .month {
            guard allowMonthOnly else { return .failure(monthNotEnough) }
            day = 1
        }
        guard year >= 1000, let date = CalendarDate(year: year, month: month, day: day) else {
            return .failure(invalid(Message("value.date.notInCalendar"), hint: Message("value.date.notInCalendar.hint")))
        }
        return .success(ParsedDate(date: date, precision: precision))
    }

    /// The commonest forms, `2023-09-01` and (with `allowMonthOnly`) `2023-09`, read at fixed
    /// positions; nil for anything else — other forms, white space, impossible dates — which the
    /// general path then reads or reports.
    @inline(__always)
    private static func parseDashed(_ bytes: UnsafeBufferPointer<UInt8>, allowMonthOnly: Bool) -> ParsedDate? {
        let n = bytes.count
        guard n == 10 || (n == 7 && allowMonthOnly), bytes[4] == ASCII.minus else { return nil }
        @inline(__always) func digit(_ i: Int) -> Int? {
            let d = bytes[i] &- ASCII.zero
            return d < 10 ? Int(d) : nil
        }
        guard let y0 = digit(0), let y1 = digit(1), let y2 = digit(2), let y3 = digit(3),
              let m0 = digit(5), let m1 = digit(6) else { return nil }
        let year = y0 * 1000 + y1 * 100 + y2 * 10 + y3
        let month = m0 * 10 + m1
        if n == 7 {
            guard year >= 1000, let date = CalendarDate(year: year, month: month, day: 1) else { return nil }
            return ParsedDate(date: date, precision: .month)
        }
        guard bytes[7] == ASCII.minus, let d0 = digit(8), let d1 = digit(9), year >= 1000,
              let date = CalendarDate(year: year, month: month, day: d0 * 10 + d1) else { return nil }
        return ParsedDate(date: date, precision: .day)
    }

    /// Parses text (width-folded first, so `２０２３年９月１日` is read as well).
    public static func parse(_ text: String, allowMonthOnly: Bool = false) -> Result<ParsedDate, ValueError> {
        TextNormalizer.normalize(text, mode: .text).withUTF8Buffer {
            parse($0, allowMonthOnly: allowMonthOnly)
        }
    }

    private static func isDateSeparator(_ byte: UInt8) -> Bool {
        byte == ASCII.minus || byte == ASCII.slash || byte == ASCII.dot
    }

    /// A `.` followed by a digit at `index`: the fraction of an Excel serial.
    private static func followedByFraction(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int, _ end: Int) -> Bool {
        index + 1 < end && bytes[index] == ASCII.dot && ASCII.isDigit(bytes[index + 1])
    }

    /// True when `bytes[index..<end]` is a time of day that can be dropped: white space or `T`,
    /// then `H:MM`, `H:MM:SS` or `H:MM:SS.fff`, then optionally a zone (`Z`, `+08:00`).
    private static func timeOfDayEnds(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, end: Int) -> Bool {
        var cursor = index
        if cursor < end, bytes[cursor] == ASCII.upperT {
            cursor += 1
        } else {
            let before = cursor
            while cursor < end, bytes[cursor] == ASCII.space || bytes[cursor] == ASCII.tab { cursor += 1 }
            guard cursor > before else { return false }
        }
        let hourRun = bytes.digitRun(from: cursor, end: end)
        guard (1...2).contains(hourRun), let hour = bytes.digits(at: cursor, count: hourRun), hour < 24 else {
            return false
        }
        cursor += hourRun
        // Minutes (required), then optional seconds with an optional fraction.
        for part in 0..<2 {
            guard cursor < end, bytes[cursor] == ASCII.colon else {
                if part == 0 { return false }
                break
            }
            guard cursor + 3 <= end, let value = bytes.digits(at: cursor + 1, count: 2), value < 60 else {
                return false
            }
            cursor += 3
            if part == 1, cursor < end, bytes[cursor] == ASCII.dot {
                cursor += 1
                let fraction = bytes.digitRun(from: cursor, end: end)
                guard fraction > 0 else { return false }
                cursor += fraction
            }
        }
        if cursor < end, bytes[cursor] == 0x5A { cursor += 1 }       // Z
        else if cursor < end, bytes[cursor] == ASCII.plus || bytes[cursor] == ASCII.minus {
            guard cursor + 6 <= end, bytes.digits(at: cursor + 1, count: 2) != nil,
                  bytes[cursor + 3] == ASCII.colon, bytes.digits(at: cursor + 4, count: 2) != nil else {
                return false
            }
            cursor += 6
        }
        return cursor == end
    }

    private static func invalid(_ message: Message, hint: Message? = nil) -> ValueError {
        ValueError(rule: ValueError.Rule.dateInvalid, message, hint: hint)
    }

    private static var unknownForm: ValueError {
        invalid(Message("value.date.unknownForm"), hint: Message("value.date.unknownForm.hint"))
    }

    private static var monthNotEnough: ValueError {
        invalid(Message("value.date.monthOnly"), hint: Message("value.date.full.hint"))
    }
}
