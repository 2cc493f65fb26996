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

    /// `compute`; `checked`: both files were already read by `PackageCSV.scan` without an error,
    /// so their UTF-8 is not checked again.
    package static func compute(roster: [UInt8], applications: [UInt8], rosterName: String, applicationsName: String,
                                checked: Bool) throws -> DeclarationCounts {
        let rosterPart = try rosterPart(roster, name: rosterName, checked: checked, stopAtFailure: true)
        let applicationsPart = try applicationsPart(applications, name: applicationsName, checked: checked, stopAtFailure: true)
        return try combine(roster: rosterPart, applications: applicationsPart)
    }

    /// One data file's part of the counts, and its data rows: the verifier reads each file once
    /// for both (`PackageCSV.countRows` and `compute` in one pass).
    package struct FilePart: Sendable {
        /// Data rows read (all of them, also after `failure`).
        package var rows = 0
        /// Why the file gives no counts — a missing column, an amount that is not money — as
        /// `compute` throws it; counting stopped there.
        package var failure: ZizhuError?
        var fullTimeEnrolled = 0
        var byAidType = Tally()
        var byTier = Tally()
        var grantAmount = Fen.zero
    }

    /// The roster's part: rows, full-time enrolled (`study_mode` 全日制, `status` 在籍 or 复学).
    /// Throws what `PackageCSV.scan` throws; a missing column is the part's `failure`, or thrown
    /// with `stopAtFailure`.
    package static func rosterPart(_ roster: [UInt8], name: String, checked: Bool = false,
                                   stopAtFailure: Bool = false) throws -> FilePart {
        var part = FilePart()
        var studyMode = 0
        var status = 0
        _ = try PackageCSV.scan(roster, name: name, checked: checked) { scanner, isHeader in
            if isHeader {
                let header = scanner.spans.indices.map { scanner.string($0) }
                do {
                    studyMode = try column("study_mode", in: header, file: name)
                    status = try column("status", in: header, file: name)
                } catch let error as ZizhuError {
                    if stopAtFailure { throw error }
                    part.failure = error
                }
                return header
            }
            part.rows += 1
            if part.failure == nil, scanner.field(studyMode, equals: "全日制"),
               scanner.field(status, equals: "在籍") || scanner.field(status, equals: "复学") {
                part.fullTimeEnrolled += 1
            }
            return []
        }
        return part
    }

    /// The applications' part: rows, rows not 退回 by aid type, 国家助学金 rows not 退回 by tier
    /// and their amount. Throws as `rosterPart`; an amount that is not money on a counted
    /// 国家助学金 row is a failure too.
    package static func applicationsPart(_ applications: [UInt8], name: String, checked: Bool = false,
                                         stopAtFailure: Bool = false) throws -> FilePart {
        var part = FilePart()
        var aidType = 0
        var approval = 0
        var tier = 0
        var amount = 0
        _ = try PackageCSV.scan(applications, name: name, checked: checked) { scanner, isHeader in
            if isHeader {
                let header = scanner.spans.indices.map { scanner.string($0) }
                do {
                    aidType = try column("aid_type", in: header, file: name)
                    approval = try column("approval_status", in: header, file: name)
                    tier = try column("tier", in: header, file: name)
                    amount = try column("amount", in: header, file: name)
                } catch let error as ZizhuError {
                    if stopAtFailure { throw error }
                    part.failure = error
                }
                return header
            }
            part.rows += 1
            guard part.failure == nil else { return [] }
            if scanner.field(approval, equals: "退回") { return [] }
            part.byAidType.add(scanner, aidType)
            guard scanner.field(aidType, equals: "国家助学金") else { return [] }
            part.byTier.add(scanner, tier, emptyKey: untieredKey)
            switch Fen.parse(scanner.raw(amount)) {
            case .success(let fen):
                part.grantAmount = part.grantAmount + fen
            case .failure(let error):
                let failure = ZizhuError(.csvSyntax, Message("packageCSV.amount", ["amount": scanner.string(amount)], parts: ["reason": error.messageWords]),
                                         at: InputPosition(file: name, line: scanner.recordLine, column: "amount"),
                                         hint: Message("packageCSV.amount.hint"))
                if stopAtFailure { throw failure }
                part.failure = failure
            }
            return []
        }
        return part
    }

    /// The counts of a package from its two parts; throws the roster's failure, else the applications'.
    package static func combine(roster: FilePart, applications: FilePart) throws -> DeclarationCounts {
        if let failure = roster.failure ?? applications.failure { throw failure }
        return DeclarationCounts(rosterRows: roster.rows, applicationRows: applications.rows,
                                 fullTimeEnrolled: roster.fullTimeEnrolled, applicationsByAidType: applications.byAidType.counts,
                                 grantApplicationsByTier: applications.byTier.counts, grantAmount: applications.grantAmount.yuan)
    }

    /// Rows counted by a column's value, as `[value: rows]` with `string(_:)`'s value as the key.
    /// A package holds a handful of aid types and tiers, so the first few values are kept as their
    /// bytes and a row costs a short comparison — no String made, nothing hashed; a value with
    /// doubled quotes, or past the first `kept`, is counted under its string.
    struct Tally: Sendable {
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
