import ZizhuCore

/// Excel's error values — what a cell shows when its formula failed (`#N/A`, `#VALUE!` …). In an
/// .xlsx they are error cells (`t="e"`); saved as CSV they are the same text. Either way the cell
/// holds no data: a field that reads one is rejected with `EXCEL_ERROR` (a warning where the field
/// warns instead of rejecting, as a ledger's id does), whatever the field's type.
enum ExcelErrorValue {
    /// The error values of Excel 2007 and later (the last three: dynamic arrays and data types).
    static let literals: [[UInt8]] = ["#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!",
                                      "#GETTING_DATA", "#SPILL!", "#CALC!"].map { Array($0.utf8) }

    /// Whether a normalized cell is exactly one of Excel's error values (upper case, as Excel
    /// writes them). Costs one byte comparison for any other cell.
    @inline(__always)
    static func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 4, bytes.count <= 13, bytes[0] == UInt8(ascii: "#") else { return false }
        return literals.contains { $0.elementsEqual(bytes) }
    }

    /// The reject: the cell named the way Excel names it (`C7`), so the clerk finds it.
    static func error(title: String, column: Int, line: Int, literal: String) -> ValueError {
        ValueError(rule: ValueError.Rule.excelError,
                   Message("EXCEL_ERROR", ["field": title, "literal": literal], parts: ["cell": cellWords(column: column, line: line)]),
                   hint: Message("EXCEL_ERROR.hint"))
    }

    /// The cell as the message names it: Excel's `B7`, or "in row 7" (catalogue words) when the
    /// column is unknown.
    static func cellWords(column: Int, line: Int) -> Message {
        column >= 0 ? Message(verbatim: cellName(column: column, line: line))
            : Message("EXCEL_ERROR.cellInRow", ["line": String(line)])
    }

    /// 0-based `column` and 1-based `line` as Excel's `B7`; just the line's number when the
    /// column is unknown.
    static func cellName(column: Int, line: Int) -> String {
        guard column >= 0 else { return Message("EXCEL_ERROR.cellInRow", ["line": String(line)]).text(.en) }
        var number = column + 1
        var letters: [UInt8] = []
        while number > 0 {
            letters.append(UInt8(65 + (number - 1) % 26))
            number = (number - 1) / 26
        }
        return String(decoding: letters.reversed(), as: UTF8.self) + String(line)
    }
}
