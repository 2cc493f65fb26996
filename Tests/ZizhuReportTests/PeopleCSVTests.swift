import Testing
import ZizhuReport
import ZizhuTestSupport

/// CSV written for people (contract §8): a cell starting with = + - @ or a tab is guarded with `'`.
@Suite struct PeopleCSVTests {
    @Test func cellsAreGuardedAndQuoted() {
        func cell(_ text: String) -> String {
            var buffer: [UInt8] = []
            CSVWriter.appendCell(text, to: &buffer)
            return String(decoding: buffer, as: UTF8.self)
        }
        #expect(cell("王小明") == "王小明")
        #expect(cell("=SUM(A1)") == "'=SUM(A1)")
        #expect(cell("-12") == "'-12")
        #expect(cell("@x") == "'@x")
        #expect(cell("a,b") == "\"a,b\"")
        #expect(cell("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(cell("+1,2") == "\"'+1,2\"")
        #expect(cell("line\nbreak") == "\"line\nbreak\"")
        #expect(cell("") == "")
    }

    /// What the writer quotes, a CSV reader honouring quotes reads back cell for cell (the
    /// tests' `CSVTable`, which the command tests read every output with).
    @Test func quotedCellsReadBackWhole() {
        let rows = [["学籍号", "备注"], ["S1", "a,b"], ["S2", "say \"hi\""], ["S3", "line\nbreak"], ["S4", ""], ["S5", "=1+1"]]
        var buffer: [UInt8] = []
        for row in rows {
            for (i, cell) in row.enumerated() {
                if i > 0 { buffer.append(UInt8(ascii: ",")) }
                CSVWriter.appendCell(cell, to: &buffer)
            }
            buffer.append(UInt8(ascii: "\n"))
        }
        let text = String(decoding: buffer, as: UTF8.self)
        #expect(CSVTable.parse(text) == rows.map { $0.map { $0.hasPrefix("=") ? "'" + $0 : $0 } })
        #expect(CSVTable.rows(text).map { $0["备注"] ?? "?" } == ["a,b", "say \"hi\"", "line\nbreak", "", "'=1+1"])
    }

    /// `encodeCell` guards and quotes a cell already in the buffer: the same bytes as `appendCell`
    /// of it, after whatever came before, for plain cells, guarded ones, quoted ones and both.
    @Test func encodingInPlaceIsAppendingTheCell() {
        var random = SeededRandom(state: 29)
        let pieces: [[UInt8]] = [Array("王".utf8), [0x41], [0x31], [0x2C], [0x22], [0x0A], [0x0D], [0x3D], [0x2B], [0x2D],
                                 [0x40], [0x09], [0x2E], [0x20], [0x2A], [0x2F]]
        var cells: [[UInt8]] = [[], Array("=SUM(A1)".utf8), Array("-12.50".utf8), Array("+1,2".utf8)]
        for _ in 0..<2_000 {
            cells.append((0..<random.below(6)).flatMap { _ in pieces[random.below(pieces.count)] })
        }
        var special = 0
        for cell in cells {
            let before: [UInt8] = [0x78, 0x2C]
            var expected = before
            cell.withUnsafeBufferPointer { CSVWriter.appendCell($0, to: &expected) }
            var buffer = before + cell
            CSVWriter.encodeCell(from: before.count, in: &buffer)
            #expect(buffer == expected, "\(cell)")
            if expected.count != before.count + cell.count { special += 1 }
        }
        #expect(special > 500, "too few cells needed guarding or quoting: \(special)")
    }
}
