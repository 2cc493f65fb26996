import ZizhuCore
import ZizhuIO

/// An .xlsx opened for reading: its zip (held to the input's archive limits: entry sizes,
/// ratios, `..` paths, overlapping entries), its sheets and date system. Sheets are streamed.
final class XLSXWorkbook {
    let archive: ZipArchive
    let sheets: [WorkbookSheet]
    let system: CellText.DateSystem
    private let position: InputPosition
    private let limits: WorkbookLimits
    /// What reads the sheets and the shared strings (the small parts are always read by expat).
    private let engine: XMLEngine

    init(input: ByteInput, limits: WorkbookLimits = WorkbookLimits(), engine: XMLEngine = .scanner) throws {
        position = InputPosition(file: input.position.file, entry: input.position.entry)
        self.limits = limits
        self.engine = engine
        archive = try input.workbookArchive()
        let workbook = WorkbookPart()
        try XLSXWorkbook.parse(archive, "xl/workbook.xml", workbook, limits: limits, required: true, position: position)
        let relationships = RelationshipsPart()
        try XLSXWorkbook.parse(archive, "xl/_rels/workbook.xml.rels", relationships, limits: limits, required: true, position: position)
        sheets = workbook.sheets.compactMap { sheet in
            relationships.targets[sheet.relation].map {
                WorkbookSheet(name: sheet.name, isHidden: sheet.hidden, part: RelationshipsPart.partPath($0))
            }
        }
        system = workbook.uses1904 ? .from1904 : .from1900
    }

    /// Parses a part whole (through expat unless `engine` says otherwise); a missing optional part is skipped.
    static func parse<Events: XMLEvents>(_ archive: ZipArchive, _ part: String, _ events: Events, limits: WorkbookLimits,
                                         required: Bool, position: InputPosition, engine: XMLEngine = .expat) throws {
        guard let entry = archive.entry(named: part) else {
            guard !required else {
                throw ZizhuError(.archive, Message("error.xlsx.missingPart", ["part": part]), at: position,
                                 hint: Message("error.xlsx.missingPart.hint"))
            }
            return
        }
        let partPosition = InputPosition(file: position.file, entry: (position.entry.map { $0 + "!" } ?? "") + part)
        if entry.uncompressedSize > limits.maxPartBytes && !part.hasPrefix("xl/sharedStrings") {
            throw ZizhuError(.limitExceeded, Message("error.xlsx.partTooLarge", ["part": part, "bytes": String(entry.uncompressedSize),
                                                                       "limit": String(limits.maxPartBytes)]),
                             at: partPosition, hint: Message("error.xlsx.partTooLarge.hint"))
        }
        let stream = try engine.parser(events, position: partPosition)
        try stream.parse(try archive.input(for: entry), chunkSize: 1 << 16)
    }

    /// The sheet `choice` names (its name, else its 1-based index), or the first visible sheet
    /// that holds a value, else the first visible sheet.
    func choose(_ choice: String?) throws -> WorkbookSheet {
        if let choice {
            if let sheet = sheets.first(where: { $0.name == choice }) { return sheet }
            if let index = Int(choice), index >= 1, index <= sheets.count { return sheets[index - 1] }
            throw ZizhuError(.usage, Message("error.workbook.noSuchSheet", ["sheet": choice]), at: position,
                             hint: Message("error.workbook.noSuchSheet.hint",
                                           ["sheets": sheets.enumerated().map { "\($0.offset + 1) \($0.element.name)" }.joined(separator: ", ")]))
        }
        let visible = sheets.filter { !$0.isHidden }
        for sheet in visible where try hasValue(sheet) { return sheet }
        guard let first = visible.first ?? sheets.first else {
            throw ZizhuError(.archive, Message("error.workbook.noSheets"), at: position, hint: Message("hint.workbook.saveAgain"))
        }
        return first
    }

    /// Whether the sheet holds any cell with a value (parsing stops at the first one).
    private func hasValue(_ sheet: WorkbookSheet) throws -> Bool {
        let probe = ValueProbe()
        do {
            try XLSXWorkbook.parse(archive, sheet.part, probe, limits: WorkbookLimits(maxPartBytes: limits.maxPartBytes * 64),
                                   required: false, position: position, engine: engine)
        } catch is ValueProbe.Found {
            return true
        }
        return false
    }

    /// Streams `sheet` as records. Shared strings and styles are read first (bounded by `limits`).
    func read(_ sheet: WorkbookSheet, input: ByteInput, sourceIndex: Int, options: CSVOptions,
              _ emit: @escaping (RecordBatch) throws -> Void) throws -> IngestStats {
        let strings = SharedStringsPart(limits: limits, position: position)
        try XLSXWorkbook.parse(archive, "xl/sharedStrings.xml", strings, limits: limits, required: false, position: position,
                               engine: engine)
        let styles = StylesPart()
        try XLSXWorkbook.parse(archive, "xl/styles.xml", styles, limits: limits, required: false, position: position)
        guard let entry = archive.entry(named: sheet.part) else {
            throw ZizhuError(.archive, Message("error.xlsx.missingSheet", ["sheet": sheet.name, "part": sheet.part]),
                             at: position, hint: Message("hint.workbook.damaged"))
        }
        let sheetPosition = InputPosition(file: input.position.file, entry: input.position.entry)
        let events = XLSXSheet(strings: strings, dateStyles: styles.dateStyles(), system: system, position: sheetPosition,
                               records: SheetRecords(sourceIndex: sourceIndex, options: options, maxColumns: limits.maxColumns),
                               emit: emit)
        let stream = try engine.parser(events, position: sheetPosition)
        events.byteIndex = { [unowned stream] in stream.byteIndex }
        try stream.parse(try archive.input(for: entry), chunkSize: options.chunkSize)
        try events.records.flush(emit)
        return IngestStats(encoding: .utf8, delimiter: ",", sourceBytes: stream.bytesFed,
                           physicalLines: events.records.lastRow, records: events.records.records)
    }
}

/// Stops at the first `<v>` or inline `<t>` with text inside a cell.
private final class ValueProbe: XMLEvents {
    struct Found: Error {}
    private var capturing = false

    func start(_ name: XMLName, _ attributes: XMLAttributes) throws {
        if name == "v" || name == "t" { capturing = true }
    }
    func end(_ name: XMLName) throws { capturing = false }
    func text(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        if capturing, bytes.contains(where: { $0 > 0x20 }) { throw Found() }
    }
}
