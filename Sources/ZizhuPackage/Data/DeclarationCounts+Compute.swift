import ZizhuCore

extension DeclarationCounts {
    /// The tier key for a 国家助学金 application whose tier is empty.
    public static let untieredKey = "未定档"

    /// Counts the declaration states, from a package's data files (uncompressed CSV as in
    /// `PackageCSV`). Columns are found by their header names:
    /// - roster `study_mode`, `status`: full-time enrolled = 全日制 and 在籍 or 复学;
    /// - applications `aid_type`, `approval_status`, `tier`, `amount`: rows not 退回 by aid type;
    ///   国家助学金 rows not 退回 by tier (`未定档` when empty) and their amount summed.
    ///
    /// Values are compared as written (the package holds canonical codes). Amounts are summed in
    /// fen, never floating point. A missing column is `.noHeader`; an amount that is not money
    /// on a counted 国家助学金 row is `.csvSyntax` naming the line.
    public static func compute(roster: [UInt8], applications: [UInt8],
                               rosterName: String = PackageFormat.rosterEntry,
                               applicationsName: String = PackageFormat.applicationsEntry) throws -> DeclarationCounts {
        try compute(roster: roster, applications: applications, rosterName: rosterName, applicationsName: applicationsName, checked: false)
    }

    /// `compute`; `checked`: both files were already read by `PackageCSV.scan` without an error
    /// (the verifier's), so their UTF-8 is not checked again.
    package static func compute(roster: [UInt8], applications: [UInt8], rosterName: String, applicationsName: String,
                                checked: Bool) throws -> DeclarationCounts {
        var rosterRows = 0
        var fullTimeEnrolled = 0
        var studyMode = 0
        var status = 0
        _ = try PackageCSV.scan(roster, name: rosterName, checked: checked) { scanner, isHeader in
            if isHeader {
                let header = scanner.spans.indices.map { scanner.string($0) }
                studyMode = try column("study_mode", in: header, file: rosterName)
                status = try column("status", in: header, file: rosterName)
                return header
            }
            rosterRows += 1
            if scanner.field(studyMode, equals: "全日制"),
               scanner.field(status, equals: "在籍") || scanner.field(status, equals: "复学") {
                fullTimeEnrolled += 1
            }
            return []
        }

        var applicationRows = 0
        var byAidType = Tally()
        var byTier = Tally()
        var grantAmount = Fen.zero
        var aidType = 0
        var approval = 0
        var tier = 0
        var amount = 0
        _ = try PackageCSV.scan(applications, name: applicationsName, checked: checked) { scanner, isHeader in
            if isHeader {
                let header = scanner.spans.indices.map { scanner.string($0) }
                aidType = try column("aid_type", in: header, file: applicationsName)
                approval = try column("approval_status", in: header, file: applicationsName)
                tier = try column("tier", in: header, file: applicationsName)
                amount = try column("amount", in: header, file: applicationsName)
                return header
            }
            applicationRows += 1
            if scanner.field(approval, equals: "退回") { return [] }
            byAidType.add(scanner, aidType)
            guard scanner.field(aidType, equals: "国家助学金") else { return [] }
            byTier.add(scanner, tier, emptyKey: untieredKey)
            switch Fen.parse(scanner.raw(amount)) {
            case .success(let fen):
                grantAmount = grantAmount + fen
            case .failure(let error):
                throw ZizhuError(.csvSyntax, Message("packageCSV.amount", ["amount": scanner.string(amount)], parts: ["reason": error.messageWords]),
                                 at: InputPosition(file: applicationsName, line: scanner.recordLine, column: "amount"),
                                 hint: Message("packageCSV.amount.hint"))
            }
            return []
        }
        return DeclarationCounts(rosterRows: rosterRows, applicationRows: applicationRows,
                                 fullTimeEnrolled: fullTimeEnrolled, applicationsByAidType: byAidType.counts,
                                 grantApplicationsByTier: byTier.counts, grantAmount: grantAmount.yuan)
    }

    /// Rows counted by a column's value, as `[value: rows]` with `string(_:)`'s value as the key.
    /// A package holds a handful of aid types and tiers, so the first few values are kept as their
    /// bytes and a row costs a short comparison — no String made, nothing hashed; a value with
    /// doubled quotes, or past the first `kept`, is counted under its string.
    struct Tally {
        static let kept = 16
        private var values: [(bytes: [UInt8], rows: Int)] = []
        private var others: [String: Int] = [:]

        /// Counts the row's field `index`; an empty one under `emptyKey` when given.
        mutating func add(_ scanner: PackageCSV.Scanner, _ index: Int, emptyKey: String? = nil) {
            let raw = scanner.raw(index)
            if let emptyKey, raw.isEmpty {
                others[emptyKey, default: 0] += 1
                return
            }
            guard !scanner.spans[index].hasDoubledQuotes else {
                others[scanner.string(index), default: 0] += 1
                return
            }
            for k in values.indices where values[k].bytes.elementsEqual(raw) {
                values[k].rows += 1
                return
            }
            if values.count < Self.kept {
                values.append((Array(raw), 1))
            } else {
                others[scanner.string(index), default: 0] += 1
            }
        }

        var counts: [String: Int] {
            var counts = others
            for value in values { counts[String(decoding: value.bytes, as: UTF8.self), default: 0] += value.rows }
            return counts
        }
    }

    private static func column(_ name: String, in header: [String], file: String) throws -> Int {
        guard let index = header.firstIndex(of: name) else {
            throw ZizhuError(.noHeader, Message("packageCSV.noColumn", ["name": name, "columns": header.joined(separator: ",")]),
                             at: InputPosition(file: file, line: 1), hint: Message("packageCSV.noColumn.hint"))
        }
        return index
    }
}
