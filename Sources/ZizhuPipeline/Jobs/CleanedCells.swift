import ZizhuCore
import ZizhuReport
import ZizhuSchema

/// The cells of `cleaned.csv` / `cleaned.xlsx`: each accepted value's normalized text (ids
/// upper-cased and whole-width, dates ISO, money in yuan with two decimals, codes by their
/// canonical names), ids and accounts masked unless `unmask`, and any id- or account-shaped run
/// in free text too (contract §9).
///
/// A value type holding no state but `unmask`: the validation pool's workers encode a batch's
/// rows with it beside validating the next batch (`encodeRows`), so that the run's thread only
/// writes the bytes out, in order.
struct CleanedCells: Sendable {
    let unmask: Bool

    /// The CSV rows (guarded, quoted, CRLF) of every accepted row of `batch`: the bytes
    /// `CSVWriter.appendRow` makes of the cells' `text`, made without a String per cell.
    func encodeRows(_ batch: ValidatedBatch, validator: RowValidator) -> [UInt8] {
        var out: [UInt8] = []
        guard batch.count > 0 else { return out }
        // Normalized text is about as long as the file's, plus separators and line ends.
        out.reserveCapacity(batch.text.count + batch.count * (batch.fieldCount * 12 + 2))
        let names = CodeNames(validator)
        for row in 0..<batch.count {
            for field in 0..<batch.fieldCount {
                if field > 0 { out.append(0x2C) }
                let start = out.count
                let value = batch.value(row, field)
                appendText(value, batch: batch, field: field, names: names, to: &out)
                if Self.mayNeedQuoting(value) { CSVWriter.encodeCell(from: start, in: &out) }
            }
            out.append(0x0D)
            out.append(0x0A)
        }
        return out
    }

    /// Whether `value`'s text may start with a formula character or hold a comma, quote or line
    /// break: free text, codes, other ids and negative amounts may; ISO dates of years 1 on,
    /// resident ids, region codes, terms and non-negative numbers never do.
    @inline(__always) static func mayNeedQuoting(_ value: Value) -> Bool {
        switch value {
        case .empty, .residentID, .region, .term: return false
        // A year before 1 (written with a minus) is looked at; 0001-01-01 is day −719,162.
        case .date(let date), .month(let date): return date.daysSinceEpoch < -719_162
        case .money(let fen): return fen.value < 0
        case .integer(let n): return n < 0
        case .text, .otherID, .account, .maskedAccount, .code: return true
        }
    }

    /// Appends the bytes of `text(value, …)` to `out`; `names` made once per validator (batch).
    func appendText(_ value: Value, batch: ValidatedBatch, field: Int, names: CodeNames, to out: inout [UInt8]) {
        switch value {
        case .empty:
            return
        case .text(let ref):
            let start = out.count
            batch.withBytes(ref) { out.append(contentsOf: $0) }
            if !unmask { Masking.maskRuns(in: &out, from: start) }
        case .maskedAccount(let ref):
            batch.withBytes(ref) { out.append(contentsOf: $0) }
        case .money(let fen):
            fen.appendYuan(to: &out)
        case .date(let date):
            date.appendISO(to: &out)
        case .month(let date):
            let start = out.count
            date.appendISO(to: &out)
            out.removeLast(out.count - min(out.count, start + 7))
        case .residentID(let id):
            let start = out.count
            id.append(to: &out)
            if !unmask {
                // 18 ASCII characters: the first 6 and last 4 kept, as Masking.id does.
                for k in (start + 6)..<(out.count - 4) { out[k] = 0x2A }
            }
        case .code(let index):
            names.append(field: field, index: Int(index), to: &out)
        case .integer(let n):
            Self.appendDecimal(n, digits: 1, to: &out)
        case .region(let code):
            Self.appendDecimal(Int64(code), digits: 6, to: &out)
        case .otherID, .account, .term:
            out.append(contentsOf: text(value, batch: batch, field: field, validator: names.validator).utf8)
        }
    }

    /// `n` in decimal, with leading zeros up to `digits` digits (`String(n)`, zero-padded).
    static func appendDecimal(_ n: Int64, digits: Int, to out: inout [UInt8]) {
        if n < 0 { out.append(0x2D) }
        var magnitude = n.magnitude
        var reversed: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                       UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &reversed) { digitsOut in
            repeat {
                digitsOut[count] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 0x30
                magnitude /= 10
                count += 1
            } while magnitude > 0
            while count < min(digits, digitsOut.count) {
                digitsOut[count] = 0x30
                count += 1
            }
            for k in stride(from: count - 1, through: 0, by: -1) { out.append(digitsOut[k]) }
        }
    }

    /// A cell's normalized text; ids and accounts masked unless `unmask`, and any id- or
    /// account-shaped run in free text too.
    func text(_ value: Value, batch: ValidatedBatch, field: Int, validator: RowValidator) -> String {
        switch value {
        case .empty: return ""
        case .text(let ref): return unmask ? batch.string(ref) : Masking.text(batch.string(ref))
        case .otherID(let ref): return unmask ? batch.string(ref) : Masking.id(batch.string(ref))
        case .account(let ref): return unmask ? batch.string(ref) : Masking.account(batch.string(ref))
        case .maskedAccount(let ref): return batch.string(ref)
        case .integer(let n): return String(n)
        case .money(let fen): return fen.yuan
        case .date(let date): return date.iso
        case .month(let date): return String(date.iso.prefix(7))
        case .residentID(let id): return unmask ? id.string : Masking.id(id.string)
        case .term(let t): return t.canonical
        case .region(let code):
            let digits = String(code)
            return digits.count >= 6 ? digits : String(repeating: "0", count: 6 - digits.count) + digits
        case .code(let index):
            guard field < validator.codeTables.count, let table = validator.codeTables[field], Int(index) < table.names.count else { return "" }
            return table.names[Int(index)]
        }
    }

    /// Every code field's canonical names as UTF-8, back to back: a code cell is one copy, with no
    /// code table (and its arrays) copied and retained per cell. Made once per batch.
    struct CodeNames {
        let validator: RowValidator
        private var bytes: [UInt8] = []
        /// Per field, where its names' ends start in `ends` (nil: not a code field).
        private var firstEnd: [Int?] = []
        /// Each name's end in `bytes`; a name starts where the one before it ends (or at its
        /// field's start, `ends[first - 1]` being the previous field's last end, or 0).
        private var ends: [Int] = []
        private var counts: [Int] = []

        init(_ validator: RowValidator) {
            self.validator = validator
            for table in validator.codeTables {
                guard let table else {
                    firstEnd.append(nil)
                    counts.append(0)
                    continue
                }
                firstEnd.append(ends.count)
                counts.append(table.names.count)
                for name in table.names {
                    bytes.append(contentsOf: name.utf8)
                    ends.append(bytes.count)
                }
            }
        }

        func append(field: Int, index: Int, to out: inout [UInt8]) {
            guard field < firstEnd.count, let first = firstEnd[field], index < counts[field] else { return }
            let k = first + index
            let start = k == 0 ? 0 : ends[k - 1]
            bytes.withUnsafeBufferPointer { all in
                out.append(contentsOf: UnsafeBufferPointer(rebasing: all[start..<ends[k]]))
            }
        }
    }
}
