import Foundation

/// The cells FreeXL 1.0.6 does not give: it skips FORMULA records (a formula's cell comes out empty)
/// and turns a BOOLERR record into 0 or 1 whether it holds a boolean or an error (`#N/A` became 1).
/// This reads the workbook stream out of the compound file and walks one sheet's BIFF8 records for
/// those two, giving each formula's cached result (a number in its shortest form, a string, TRUE or
/// FALSE as 1 or 0 like FreeXL's booleans) and each error as its literal (`#N/A`), which the
/// validator rejects as EXCEL_ERROR as it does in .xlsx. It runs in the child (`XLSHelper`) beside
/// FreeXL; every read is bounds-checked, and a file it cannot follow gives no extra cells (FreeXL's
/// reading stands).
enum XLSFormulaCells {
    struct Cell: Hashable {
        let row: UInt32
        let column: UInt16
    }

    /// The error literals of BIFF8 error codes.
    static let errorLiterals: [UInt8: String] = [
        0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!", 0x2A: "#N/A",
    ]

    /// The formula results and error cells of sheet `sheetIndex` (0-based, in BOUNDSHEET order).
    static func cells(path: String, sheetIndex: Int) -> [Cell: String] {
        guard let data = FileManager.default.contents(atPath: path),
              let stream = CompoundFile(bytes: [UInt8](data))?.workbookStream() else { return [:] }
        return sheetCells(stream, sheetIndex: sheetIndex) ?? [:]
    }

    /// The walk over a workbook stream; nil when it is not BIFF8 or cannot be followed.
    static func sheetCells(_ stream: [UInt8], sheetIndex: Int) -> [Cell: String]? {
        let bytes = Bytes(stream)
        // The globals: BOF (BIFF8 is version 0x0600), then BOUNDSHEET records until EOF.
        guard bytes.u16(0) == 0x0809, bytes.u16(4) == 0x0600 else { return nil }
        var offset = 0
        var sheetOffsets: [Int] = []
        while let type = bytes.u16(offset), let length = bytes.u16(offset + 2) {
            if type == 0x0085, let start = bytes.u32(offset + 4) { sheetOffsets.append(Int(start)) }
            if type == 0x000A { break }
            offset += 4 + Int(length)
        }
        guard sheetIndex < sheetOffsets.count, bytes.u16(sheetOffsets[sheetIndex]) == 0x0809 else { return nil }
        var cells: [Cell: String] = [:]
        var pendingString: Cell?
        offset = sheetOffsets[sheetIndex]
        var first = true
        while let type = bytes.u16(offset), let length = bytes.u16(offset + 2) {
            let body = offset + 4
            if type == 0x000A && !first { break }
            first = false
            switch type {
            case 0x0006:  // FORMULA: row, column, xf, the cached result (8 bytes), …
                guard length >= 14, let row = bytes.u16(body), let column = bytes.u16(body + 2),
                      let marker = bytes.u16(body + 12), let kind = bytes.byte(body + 6), let value = bytes.byte(body + 8),
                      let bits = bytes.u64(body + 6) else { return nil }
                let cell = Cell(row: UInt32(row), column: column)
                pendingString = nil
                if marker != 0xFFFF {
                    cells[cell] = CellText.number(Double(bitPattern: bits))
                } else {
                    switch kind {
                    case 0: pendingString = cell  // the text follows in a STRING record
                    case 1: cells[cell] = value == 0 ? "0" : "1"
                    case 2: cells[cell] = errorLiterals[value] ?? "#N/A"
                    default: break  // 3: an empty string
                    }
                }
            case 0x0207:  // STRING: a string formula's result
                if let cell = pendingString, let text = bytes.unicodeString(body, limit: body + Int(length)) { cells[cell] = text }
                pendingString = nil
            case 0x0205:  // BOOLERR: row, column, xf, value, is-error
                guard length >= 8, let row = bytes.u16(body), let column = bytes.u16(body + 2),
                      let value = bytes.byte(body + 6), let isError = bytes.byte(body + 7) else { return nil }
                if isError == 1 { cells[Cell(row: UInt32(row), column: column)] = errorLiterals[value] ?? "#N/A" }
            default:
                break
            }
            offset = body + Int(length)
        }
        return cells
    }

    /// Little-endian reads that give nil past the end.
    struct Bytes {
        let bytes: [UInt8]
        init(_ bytes: [UInt8]) { self.bytes = bytes }

        func byte(_ at: Int) -> UInt8? { at >= 0 && at < bytes.count ? bytes[at] : nil }
        func u16(_ at: Int) -> UInt16? {
            guard at >= 0, at + 2 <= bytes.count else { return nil }
            return UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
        }
        func u32(_ at: Int) -> UInt32? {
            guard let low = u16(at), let high = u16(at + 2) else { return nil }
            return UInt32(low) | UInt32(high) << 16
        }
        func u64(_ at: Int) -> UInt64? {
            guard let low = u32(at), let high = u32(at + 4) else { return nil }
            return UInt64(low) | UInt64(high) << 32
        }

        /// A BIFF8 unicode string (character count u16, flags, then Latin-1 or UTF-16LE characters)
        /// that must end by `limit`; rich-text runs and phonetic data are skipped.
        func unicodeString(_ at: Int, limit: Int) -> String? {
            guard let count = u16(at), let flags = byte(at + 2) else { return nil }
            var start = at + 3
            if flags & 0x08 != 0 { start += 2 }
            if flags & 0x04 != 0 { start += 4 }
            let wide = flags & 0x01 != 0
            let end = start + Int(count) * (wide ? 2 : 1)
            guard end <= min(limit, bytes.count) else { return nil }
            if !wide { return String(decoding: bytes[start..<end].map { UInt16($0) }, as: UTF16.self) }
            let units = stride(from: start, to: end, by: 2).map { UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8 }
            return String(decoding: units, as: UTF16.self)
        }
    }
}

/// A compound file (OLE2 / CFBF), read just far enough to get the workbook stream ("Workbook", or
/// "Book" in older files): the FAT through the header's and the chained DIFAT sectors, the directory,
/// and the mini stream for a small workbook. Every chain is bounded by the number of sectors.
struct CompoundFile {
    private let bytes: XLSFormulaCells.Bytes
    private let sectorSize: Int
    private let fat: [UInt32]
    private let sectorCount: Int

    init?(bytes: [UInt8]) {
        let reader = XLSFormulaCells.Bytes(bytes)
        guard bytes.count >= 512, bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]),
              let shift = reader.u16(0x1E), shift == 9 || shift == 12 else { return nil }
        self.bytes = reader
        sectorSize = 1 << Int(shift)
        sectorCount = max(0, bytes.count / sectorSize - 1)
        var fatSectors: [UInt32] = []
        for index in 0..<109 {
            guard let sector = reader.u32(0x4C + 4 * index) else { return nil }
            if sector < 0xFFFF_FFFA { fatSectors.append(sector) }
        }
        var difat = reader.u32(0x44) ?? 0xFFFF_FFFE
        var steps = 0
        while difat < 0xFFFF_FFFA, steps <= sectorCount {
            let base = (Int(difat) + 1) * sectorSize
            for index in 0..<(sectorSize / 4 - 1) {
                guard let sector = reader.u32(base + 4 * index) else { return nil }
                if sector < 0xFFFF_FFFA { fatSectors.append(sector) }
            }
            guard let next = reader.u32(base + sectorSize - 4) else { return nil }
            difat = next
            steps += 1
        }
        var fat: [UInt32] = []
        for sector in fatSectors.prefix(sectorCount) {
            let base = (Int(sector) + 1) * sectorSize
            for index in 0..<(sectorSize / 4) {
                guard let entry = reader.u32(base + 4 * index) else { return nil }
                fat.append(entry)
            }
        }
        self.fat = fat
    }

    /// The bytes of the chain that starts at `start` in `table`, in units of `unit` bytes read by `sector`.
    private func chain(_ start: UInt32, table: [UInt32], unit: Int, limit: Int,
                       sector: (Int) -> ArraySlice<UInt8>?) -> [UInt8]? {
        var out: [UInt8] = []
        var current = start
        var steps = 0
        while current < 0xFFFF_FFFA {
            guard Int(current) < table.count, steps <= table.count, out.count < limit,
                  let piece = sector(Int(current)), piece.count == unit else { return nil }
            out.append(contentsOf: piece)
            current = table[Int(current)]
            steps += 1
        }
        return out
    }

    private func bigChain(_ start: UInt32, limit: Int = Int.max) -> [UInt8]? {
        chain(start, table: fat, unit: sectorSize, limit: limit) { index in
            let base = (index + 1) * sectorSize
            return base + sectorSize <= bytes.bytes.count ? bytes.bytes[base..<base + sectorSize] : nil
        }
    }

    /// The workbook stream, cut to its declared size; nil when it cannot be found or followed.
    func workbookStream() -> [UInt8]? {
        guard let directoryStart = bytes.u32(0x30), let directory = bigChain(directoryStart) else { return nil }
        let entries = XLSFormulaCells.Bytes(directory)
        var rootStart: UInt32?
        var found: (start: UInt32, size: Int)?
        for index in 0..<(directory.count / 128) {
            let base = index * 128
            guard let nameLength = entries.u16(base + 64), nameLength <= 64, let type = entries.byte(base + 66),
                  let start = entries.u32(base + 116), let size = entries.u32(base + 120) else { continue }
            let units = stride(from: base, to: base + max(0, Int(nameLength) - 2), by: 2).compactMap { entries.u16($0) }
            let name = String(decoding: units, as: UTF16.self)
            if type == 5 { rootStart = start }
            if type == 2, name == "Workbook" || name == "Book", found == nil { found = (start, Int(size)) }
        }
        guard let (start, size) = found else { return nil }
        let cutoff = Int(bytes.u32(0x38) ?? 4096)
        let stream: [UInt8]?
        if size < cutoff {
            guard let rootStart, let miniStream = bigChain(rootStart),
                  let miniFATStart = bytes.u32(0x3C), let miniFATBytes = bigChain(miniFATStart) else { return nil }
            let miniFAT = stride(from: 0, to: miniFATBytes.count - 3, by: 4).compactMap { XLSFormulaCells.Bytes(miniFATBytes).u32($0) }
            stream = chain(start, table: miniFAT, unit: 64, limit: size) { index in
                index * 64 + 64 <= miniStream.count ? miniStream[index * 64..<index * 64 + 64] : nil
            }
        } else {
            stream = bigChain(start, limit: size)
        }
        guard let stream, stream.count >= size else { return nil }
        return Array(stream.prefix(size))
    }
}
