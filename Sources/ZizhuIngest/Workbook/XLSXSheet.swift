import ZizhuCore

/// Streams one worksheet part (`<sheetData><row r=><c r= t= s=><v>…`) into records.
final class XLSXSheet: XMLEvents {
    /// The sheet's state: a struct behind a pointer, because a class's stored properties are
    /// checked for exclusive access at every use (several times a cell, each a call into the
    /// runtime); the events never re-enter the sheet, so one owner is all there is.
    private let state: UnsafeMutablePointer<SheetState>
    /// Set by the reader: where the parser is, for record offsets.
    var byteIndex: () -> Int64 = { 0 }

    init(strings: SharedStringsPart, dateStyles: [Bool], system: CellText.DateSystem, position: InputPosition,
         records: SheetRecords, emit: @escaping (RecordBatch) throws -> Void) {
        state = UnsafeMutablePointer<SheetState>.allocate(capacity: 1)
        state.initialize(to: SheetState(strings: strings, dateStyles: dateStyles, system: system, position: position,
                                        records: records, emit: emit))
    }

    deinit {
        state.pointee.release()
        state.deinitialize(count: 1)
        state.deallocate()
    }

    var records: SheetRecords {
        get { state.pointee.records }
        _modify { yield &state.pointee.records }
    }

    func start(_ name: XMLName, _ attributes: XMLAttributes) throws {
        try state.pointee.start(name, attributes)
    }

    func end(_ name: XMLName) throws {
        if name.bytes.count == 3, name == "row" {
            try state.pointee.endRow(offset: byteIndex())
        } else {
            try state.pointee.end(name)
        }
    }

    func text(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        try state.pointee.text(bytes)
    }

    static func at(_ position: InputPosition, _ row: Int, _ column: Int? = nil) -> InputPosition {
        InputPosition(file: position.file, entry: position.entry, line: row,
                      column: column.map { XLSXSheet.columnName($0) + String(row) })
    }
    /// The cell type of a `t=` value.
    static func cellType(_ t: UnsafeBufferPointer<UInt8>) -> SheetState.CellType {
        guard let first = t.first else { return .number }
        switch (first, t.count) {
        case (UInt8(ascii: "s"), 1): return .shared
        case (UInt8(ascii: "i"), 9): return .inline  // inlineStr
        case (UInt8(ascii: "s"), 3): return .formulaText  // str
        case (UInt8(ascii: "b"), 1): return .boolean
        case (UInt8(ascii: "e"), 1): return .error
        case (UInt8(ascii: "d"), 1): return .isoDate
        default: return .number
        }
    }

    /// Whether a number cell's text is already what `CellText.number` makes of it: 1 to 15 digits
    /// without a leading zero (or `0`), so the text is kept as it is, with no Double and no String.
    static func isPlainInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, bytes.count <= 15, first != UInt8(ascii: "0") || bytes.count == 1 else { return false }
        for byte in bytes where byte < UInt8(ascii: "0") || byte > UInt8(ascii: "9") { return false }
        return true
    }

    /// `B7` → 1 (the column, 0-based); nil when it is not letters then digits.
    static func parseReference(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var column = 0
        var letters = 0
        for byte in bytes {
            let upper = byte & ~0x20
            if upper >= UInt8(ascii: "A") && upper <= UInt8(ascii: "Z") && byte >= 0x41 {
                guard letters < 3 else { return nil }
                column = column * 26 + Int(upper - UInt8(ascii: "A") + 1)
                letters += 1
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                break
            } else {
                return nil
            }
        }
        return letters == 0 ? nil : column - 1
    }

    /// A non-negative decimal integer, or nil.
    static func parseInt(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 12 else { return nil }
        var result = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
            result = result * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return result
    }

    /// 0 → `A`, 27 → `AB`.
    static func columnName(_ column: Int) -> String {
        var number = column + 1
        var letters: [Character] = []
        while number > 0 {
            let remainder = (number - 1) % 26
            letters.append(Character(Unicode.Scalar(UInt8(65 + remainder))))
            number = (number - 1) / 26
        }
        return String(letters.reversed())
    }
}

/// What `XLSXSheet` keeps between events.
struct SheetState {
    enum CellType {
        case number, shared, inline, formulaText, boolean, error, isoDate
    }

    private let strings: SharedStringsPart
    private let dateStyles: [Bool]
    private let system: CellText.DateSystem
    private let position: InputPosition
    private let emit: (RecordBatch) throws -> Void
    var records: SheetRecords

    private var row = 0
    private var nextColumn = 0
    private var column = 0
    private var type = CellType.number
    private var style = 0
    /// The cell's text so far (`<v>` or inline `<t>`); freed by `release()`.
    private var value = Slab<UInt8>()
    private var capturing = false
    private var inInline = false
    private var phonetic = 0
    private var inCell = false

    init(strings: SharedStringsPart, dateStyles: [Bool], system: CellText.DateSystem, position: InputPosition,
         records: SheetRecords, emit: @escaping (RecordBatch) throws -> Void) {
        self.strings = strings
        self.dateStyles = dateStyles
        self.system = system
        self.position = position
        self.records = records
        self.emit = emit
    }

    /// Gives back the cell buffer (the sheet's `deinit`).
    func release() {
        value.release()
        records.release()
    }

    private func at(_ column: Int? = nil) -> InputPosition {
        XLSXSheet.at(position, row, column)
    }

    mutating func start(_ name: XMLName, _ attributes: XMLAttributes) throws {
        // By length first: this runs for every element of the sheet.
        switch name.bytes.count {
        case 1:
            switch name.bytes[0] {
            case UInt8(ascii: "c"): try startCell(attributes)
            case UInt8(ascii: "v"): if inCell { capturing = true }
            case UInt8(ascii: "t"): if inInline, phonetic == 0 { capturing = true }
            default: break
            }
        case 2:
            if name == "is", inCell { inInline = true }
        case 3:
            if name == "rPh" {
                phonetic += 1
            } else if name == "row" {
                try startRow(attributes)
            }
        default:
            break
        }
    }

    private mutating func startCell(_ attributes: XMLAttributes) throws {
        inCell = true
        column = nextColumn
        type = .number
        style = 0
        // One pass over the attributes (`r`, `t`, `s`), compared as bytes: this runs for every cell.
        try attributes.forEach { key, value in
            guard key.bytes.count == 1 else { return }
            switch key.bytes[0] {
            case UInt8(ascii: "r"):
                guard let parsed = XLSXSheet.parseReference(value) else {
                    throw ZizhuError(.archive, Message("error.xlsx.badReference", ["reference": String(decoding: value, as: UTF8.self)]),
                                     at: at(), hint: Message("hint.workbook.damaged"))
                }
                column = parsed
            case UInt8(ascii: "t"):
                type = XLSXSheet.cellType(value)
            case UInt8(ascii: "s"):
                style = XLSXSheet.parseInt(value) ?? 0
            default:
                break
            }
        }
        value.removeAll()
    }

    private mutating func startRow(_ attributes: XMLAttributes) throws {
        if let reference = attributes.value("r") {
            guard let number = XLSXSheet.parseInt(reference), number > row, number <= 1 << 24 else {
                throw ZizhuError(.archive, Message("error.xlsx.badRow", ["reference": String(decoding: reference, as: UTF8.self)]),
                                 at: at(), hint: Message("hint.workbook.damaged"))
            }
            row = number
        } else {
            row += 1
        }
        nextColumn = 0
    }

    mutating func end(_ name: XMLName) throws {
        switch name.bytes.count {
        case 1:
            switch name.bytes[0] {
            case UInt8(ascii: "v"), UInt8(ascii: "t"):
                capturing = false
            case UInt8(ascii: "c"):
                inCell = false
                try finishCell()
                nextColumn = column + 1
            default:
                break
            }
        case 2:
            if name == "is" { inInline = false }
        case 3:
            if name == "rPh" { phonetic -= 1 }
        default:
            break
        }
    }

    mutating func endRow(offset: Int64) throws {
        try records.endRow(row, offset: offset, emit)
    }

    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        guard capturing else { return }
        guard value.count + bytes.count <= 1 << 22 else {
            throw ZizhuError(.limitExceeded, Message("error.xlsx.textTooLong"), at: at(column),
                             hint: Message("hint.workbook.cellTooLong"))
        }
        value.append(contentsOf: bytes)
    }

    private mutating func finishCell() throws {
        switch type {
        case .shared:
            guard !value.isEmpty else { return }
            let index = XLSXSheet.parseInt(value.buffer)
            guard let index, index < strings.count else {
                throw ZizhuError(.archive, Message("error.xlsx.stringIndex", ["cell": "\(XLSXSheet.columnName(column))\(row)",
                                                                            "index": String(decoding: value.buffer, as: UTF8.self),
                                                                            "count": String(strings.count)]),
                                 at: at(column), hint: Message("hint.workbook.damaged"))
            }
            try strings.withString(index) { try records.setCell(column, $0, position: XLSXSheet.at(position, row, column)) }
        case .inline, .formulaText, .error:
            try records.setCell(column, value.buffer, position: XLSXSheet.at(position, row, column))
        case .boolean:
            guard !value.isEmpty else { return }
            try records.setCell(column, value.count == 1 && value.buffer[0] == UInt8(ascii: "1") ? "TRUE" : "FALSE", position: XLSXSheet.at(position, row, column))
        case .isoDate:
            let text = String(decoding: value.buffer, as: UTF8.self)
            let date = text.split(separator: "T", maxSplits: 1).first.map(String.init) ?? text
            try records.setCell(column, date, position: XLSXSheet.at(position, row, column))
        case .number:
            guard !value.isEmpty else { return }
            let isDate = style < dateStyles.count && dateStyles[style]
            if XLSXSheet.isPlainInteger(value.buffer) {
                if !isDate {
                    try records.setCell(column, value.buffer, position: XLSXSheet.at(position, row, column))
                    return
                }
                // A whole serial under a date format (how Excel stores a date): the same Double as
                // the text's, without parsing it as one.
                if let serial = XLSXSheet.parseInt(value.buffer), let date = CellText.date(serial: Double(serial), system: system) {
                    try records.setCell(column, date, position: XLSXSheet.at(position, row, column))
                    return
                }
            }
            let text = String(decoding: value.buffer, as: UTF8.self)
            guard let number = Double(text) else {
                try records.setCell(column, text, position: XLSXSheet.at(position, row, column))
                return
            }
            if style < dateStyles.count, dateStyles[style], let date = CellText.date(serial: number, system: system) {
                try records.setCell(column, date, position: XLSXSheet.at(position, row, column))
            } else {
                try records.setCell(column, CellText.number(number), position: XLSXSheet.at(position, row, column))
            }
        }
    }
}
