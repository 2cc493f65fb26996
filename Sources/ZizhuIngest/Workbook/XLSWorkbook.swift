import Foundation
import ZizhuCore
import ZizhuIO

/// An .xls (BIFF8) workbook, read through FreeXL in a child process (`XLSHelper`: a damaged or
/// crafted file that makes FreeXL read out of bounds ends the child, never this process), with the
/// cell rules of .xlsx: text as typed, numbers in their shortest form (an id that lost digits in
/// scientific notation), dates as `YYYY-MM-DD`. FreeXL reads the file whole (an .xls holds at most
/// 65,536 rows); the child hands the cells on as a byte stream.
enum XLSWorkbook {
    /// The most the child may write for one sheet (65,536 rows of 256 long cells is far less).
    static let maxStreamBytes = 1 << 30

    /// The name of the sheet `choice` names (name, else 1-based index), or of the first sheet
    /// with data, else the first sheet.
    static func chooseSheet(_ input: ByteInput, _ choice: String?) throws -> String {
        try input.withLocalFile { path in
            var stream = try XLSStreamReader(run: ["sheets", path], position: input.position)
            var sheets: [(name: String, hasData: Bool)] = []
            while let tag = try stream.next() {
                guard tag == .sheet else { throw stream.unexpected() }
                sheets.append((try stream.text(), try stream.byte() != 0))
            }
            let names = sheets.map(\.name)
            if let choice {
                if names.contains(choice) { return choice }
                if let index = Int(choice), index >= 1, index <= names.count { return names[index - 1] }
                throw ZizhuError(.usage, Message("error.workbook.noSuchSheet", ["sheet": choice]), at: input.position,
                                 hint: Message("error.workbook.noSuchSheet.hint",
                                               ["sheets": names.enumerated().map { "\($0.offset + 1) \($0.element)" }.joined(separator: ", ")]))
            }
            if let first = sheets.first(where: \.hasData) { return first.name }
            guard let first = names.first else {
                throw ZizhuError(.archive, Message("error.workbook.noSheets"), at: input.position,
                                 hint: Message("hint.workbook.saveAgain"))
            }
            return first
        }
    }

    /// Reads the chosen sheet (`input.sheet`) as records.
    static func read(_ input: ByteInput, sourceIndex: Int, options: CSVOptions,
                     _ emit: (RecordBatch) throws -> Void) throws -> IngestStats {
        try input.withLocalFile { path in
            let position = InputPosition(file: input.position.file, entry: input.position.entry)
            var stream = try XLSStreamReader(run: ["read", path, input.sheet ?? ""], position: position)
            var records = SheetRecords(sourceIndex: sourceIndex, options: options, maxColumns: 16_384)
            defer { records.release() }  // its row buffers are plain allocations (Slab)
            while let tag = try stream.next() {
                switch tag {
                case .cell:
                    let row = try stream.u32(), column = try stream.u16()
                    let text = try stream.text()
                    try records.setCell(Int(column), text, position: InputPosition(
                        file: position.file, entry: position.entry, line: Int(row) + 1,
                        column: XLSXSheet.columnName(Int(column)) + String(row + 1)))
                case .rowEnd:
                    let row = try stream.u32()
                    try records.endRow(Int(row) + 1, offset: Int64(row), emit)
                default:
                    throw stream.unexpected()
                }
            }
            try records.flush(emit)
            return IngestStats(encoding: .utf8, delimiter: ",", sourceBytes: 0, physicalLines: records.lastRow,
                               records: records.records)
        }
    }

    /// The `zizhu` executable that runs `XLSHelper`: `ZIZHU_XLS_HELPER`, else this program when it is
    /// `zizhu`, else a `zizhu` beside this program or up to three folders above it (the tests').
    static func helperExecutable() -> String? {
        if let path = ProcessInfo.processInfo.environment["ZIZHU_XLS_HELPER"], !path.isEmpty { return path }
        guard let me = Bundle.main.executableURL?.resolvingSymlinksInPath() else { return nil }
        if me.lastPathComponent == "zizhu" { return me.path }
        var folder = me.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("zizhu").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }
}

/// Runs the child and reads its stream (see `XLSHelper`): a failure it reports becomes the
/// `ZizhuError` FreeXL's status calls for; a child that died, or a stream cut short or malformed,
/// becomes `error.xls.crashed`.
struct XLSStreamReader {
    private let bytes: [UInt8]
    private var offset = 0
    private let position: InputPosition
    private let death: String?
    private let sheet: String

    init(run arguments: [String], position: InputPosition) throws {
        guard let executable = XLSWorkbook.helperExecutable() else {
            throw ZizhuError(.ioFailure, Message("error.xls.helper"), at: position, hint: Message("error.xls.helper.hint"))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [XLSHelper.commandName] + arguments
        // A crash in the child is expected on hostile files: no Swift backtrace (it takes time and goes nowhere).
        process.environment = ProcessInfo.processInfo.environment.merging(["SWIFT_BACKTRACE": "enable=no"]) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let pipe = Pipe()
        process.standardOutput = pipe
        do {
            try process.run()
        } catch {
            throw ZizhuError(.ioFailure, Message("error.xls.helper"), at: position, hint: Message("error.xls.helper.hint"))
        }
        var collected: [UInt8] = []
        var tooLong = false
        let reading = pipe.fileHandleForReading
        while let chunk = try? reading.read(upToCount: 1 << 20), !chunk.isEmpty {
            guard collected.count + chunk.count <= XLSWorkbook.maxStreamBytes else {
                tooLong = true
                process.terminate()
                break
            }
            collected.append(contentsOf: chunk)
        }
        try? reading.close()
        process.waitUntilExit()
        if tooLong {
            throw ZizhuError(.limitExceeded, Message("error.xls.tooLarge", ["bytes": String(XLSWorkbook.maxStreamBytes)]),
                             at: position, hint: Message("error.xls.tooLarge.hint"))
        }
        bytes = collected
        self.position = position
        sheet = arguments.count > 2 ? arguments[2] : ""
        switch process.terminationReason {
        case .uncaughtSignal:
            death = "signal \(process.terminationStatus)"
        case .exit where process.terminationStatus != 0:
            death = "exit status \(process.terminationStatus)"
        default:
            death = nil
        }
    }

    /// The next tag, nil at the end; a failure the child reported is thrown here.
    mutating func next() throws -> XLSStream.Tag? {
        guard offset < bytes.count, let tag = XLSStream.Tag(rawValue: bytes[offset]) else { throw crashed() }
        offset += 1
        switch tag {
        case .end:
            guard offset == bytes.count, death == nil else { throw crashed() }
            return nil
        case .failure:
            throw try failure()
        default:
            return tag
        }
    }

    mutating func byte() throws -> UInt8 {
        guard offset < bytes.count else { throw crashed() }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u16() throws -> UInt16 {
        UInt16(try byte()) | UInt16(try byte()) << 8
    }

    mutating func u32() throws -> UInt32 {
        var value: UInt32 = 0
        for shift in stride(from: 0, to: 32, by: 8) { value |= UInt32(try byte()) << UInt32(shift) }
        return value
    }

    mutating func text() throws -> String {
        let count = Int(try u32())
        guard count <= bytes.count - offset else { throw crashed() }
        defer { offset += count }
        return String(decoding: bytes[offset..<offset + count], as: UTF8.self)
    }

    /// A tag where another was due: the stream is not what the child writes.
    func unexpected() -> ZizhuError { crashed() }

    private func crashed() -> ZizhuError {
        ZizhuError(.archive, Message("error.xls.crashed", ["how": death ?? "a broken stream"]), at: position,
                   hint: Message("error.xls.crashed.hint"))
    }

    private mutating func failure() throws -> ZizhuError {
        let stage = XLSStream.Stage(rawValue: try byte())
        let status = Int32(bitPattern: try u32())
        let row = try u32(), column = try u16()
        let damaged = Message("hint.workbook.damaged")
        switch stage {
        case .open:
            return ZizhuError(.archive, Message("error.xls.open", ["status": String(status)]), at: position,
                              hint: Message("error.xls.open.hint"))
        case .list:
            return ZizhuError(.archive, Message("error.xls.list"), at: position, hint: damaged)
        case .noSheets:
            return ZizhuError(.archive, Message("error.xls.noSheets"), at: position, hint: Message("hint.workbook.saveAgain"))
        case .select:
            return ZizhuError(.archive, Message("error.xls.select", ["sheet": sheet]), at: position, hint: damaged)
        case .dimensions:
            return ZizhuError(.archive, Message("error.xls.dimensions", ["sheet": sheet]), at: position, hint: damaged)
        case .cell:
            return ZizhuError(.archive, Message("error.xls.cell"), at: InputPosition(
                file: position.file, entry: position.entry, line: Int(row) + 1,
                column: XLSXSheet.columnName(Int(column)) + String(row + 1)), hint: damaged)
        case nil:
            return crashed()
        }
    }
}
