import Foundation
import ZizhuCore

extension Reconciler {
    /// One reconcile run over everything added: owns the inputs, sorts them in (file, line)
    /// order, matches, decides the findings and builds the outputs.
    ///
    /// Students are numbered: `0 ..< approved.count` are the approved students (one per id, in
    /// file, line order), then `extras`, the people a bank row names by id who are not approved
    /// (R02 candidates), in the order their first bank row comes.
    struct Run {
        var inputs: Inputs
        let settings: ReconcileSettings
        let sourceNames: [String]
        let termName: String
        /// `file:` per source index, as bytes.
        let sourcePrefixes: [[UInt8]]

        var notes = NoteLog()
        var findings: [Discrepancy] = []
        var totals = ReconcileTotals()

        // Prepared inputs.
        var approvedByID = PackedIndex()
        /// Approved rows beyond the first for the same id (approved index → their refs).
        var approvedDuplicates: [Int32: [RowRef]] = [:]
        var cardIndex = PackedIndex()
        var cardIndexBuilt = false
        /// Cards on the approved rows of two or more students (card → approved indexes).
        var sharedCards: [UInt64: [Int32]] = [:]
        /// The masked-account index: approved cards by (length, last four digits), sorted, with
        /// what a candidate is checked on, so that a lookup touches this array only.
        var maskedIndex: [MaskedCandidate] = []
        var rosterByID = PackedIndex()
        /// Next roster row of the same id (-1: none).
        var rosterLinks: [Int32] = []
        var othersByID = PackedIndex()

        // Matching.
        var extras: [UInt64] = []
        var extraByID = PackedIndex()
        var rowStudent: [Int32] = []
        var rowMethod: [MatchMethod] = []
        var rowState: [RowState] = []
        /// Bank rows per student (CSR): rows of student s are `rowList[rowStart[s] ..< rowStart[s + 1]]`,
        /// in (file, line) order.
        var rowStart: [Int32] = []
        var rowList: [Int32] = []
        var unmatchedRows: [Int32] = []
        /// Bank rows left unmatched because several approved students fitted.
        var tiedRows: Set<Int32> = []

        var summaries: [StudentSummary] = []
        /// Attributed school per student (0: none), for R14 and the settlement.
        var studentSchool: [UInt32] = []

        init(inputs: consuming Inputs, settings: ReconcileSettings, sourceNames: [String]) {
            self.inputs = inputs
            self.settings = settings
            self.sourceNames = sourceNames
            termName = settings.term.canonical
            sourcePrefixes = sourceNames.map { Array($0.utf8) + [0x3A] }
        }

        mutating func execute() -> ReconcileResult {
            prepareApproved()
            prepareRoster()
            prepareOthers()
            matchLedger()
            groupRows()
            applyReversals()
            evaluateStudents()
            findSharedAccounts()
            reportUnmatchedRows()
            let settlement = settle()
            countTotals()
            noteSkippedRows()
            findings = Self.contractSorted(findings)
            let ledger = payoutLedger()
            var result = ReconcileResult(findings: findings, ledger: ledger, settlement: settlement, totals: totals,
                                         notes: notes.finished(say))
            result.warnings = runWarnings()
            return result
        }

        /// A term that matches none of the approved rows (naming the terms and counts the
        /// approved list does hold), and a bank ledger with no data rows.
        func runWarnings() -> [Message] {
            var warnings: [Message] = []
            if inputs.approved.isEmpty {
                let seen = inputs.grantRowsByTerm.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { term, rows in
                    let rowsText = "\(rows)"
                    if term == 0 { return Message(rows == 1 ? "reconcile.termCount.none.one" : "reconcile.termCount.none", ["rows": rowsText]) }
                    let name = "\(term / 2)-\(term % 2 == 1 ? Term.Season.fall.rawValue : Term.Season.spring.rawValue)"
                    return Message(rows == 1 ? "reconcile.termCount.one" : "reconcile.termCount", ["term": name, "rows": rowsText])
                }
                if seen.isEmpty {
                    warnings.append(Message("reconcile.termMatchesNone.noGrant", ["term": termName, "rows": "\(inputs.others.count)"]))
                } else {
                    warnings.append(Message("reconcile.termMatchesNone", ["term": termName], parts: ["seen": Message(list: seen)]))
                }
            }
            if totals.ledgerRows == 0 {
                warnings.append(Message("reconcile.ledgerEmpty"))
            }
            return warnings
        }

        /// `findings` sorted with `Discrepancy.contractOrder`, faster: each finding's order fields
        /// become one byte key (code, school_code, student_no, id_number, sources, NUL-separated),
        /// compared with `memcmp`. For NFC text, byte order is the `String` order; the result is
        /// checked against `contractOrder` and sorted with it if any pair disagrees.
        static func contractSorted(_ findings: [Discrepancy]) -> [Discrepancy] {
            let keys: [[UInt8]] = findings.map { f in
                var key: [UInt8] = []
                for part in [f.code, f.schoolCode, f.studentNo, f.idNumber] {
                    key += part.utf8
                    key.append(0)
                }
                key.append(1)
                for source in f.sources {
                    key += source.utf8
                    key.append(0)
                }
                return key
            }
            let order = keys.indices.sorted { x, y in
                keys[x].withUnsafeBufferPointer { a in
                    keys[y].withUnsafeBufferPointer { b in
                        let n = min(a.count, b.count)
                        if n > 0, let pa = a.baseAddress, let pb = b.baseAddress {
                            let c = memcmp(pa, pb, n)
                            if c != 0 { return c < 0 }
                        }
                        return a.count != b.count ? a.count < b.count : x < y
                    }
                }
            }
            let sorted = order.map { findings[$0] }
            for i in sorted.indices.dropFirst() where Discrepancy.contractOrder(sorted[i], sorted[i - 1]) {
                return findings.sorted(by: Discrepancy.contractOrder)
            }
            return sorted
        }

        // MARK: helpers shared by the steps

        var approvedCount: Int { inputs.approved.count }
        var studentCount: Int { inputs.approved.count + extras.count }

        func id(ofStudent s: Int) -> UInt64 {
            s < approvedCount ? inputs.approved[s].id : extras[s - approvedCount]
        }

        func rows(ofStudent s: Int) -> ArraySlice<Int32> {
            rowList[Int(rowStart[s])..<Int(rowStart[s + 1])]
        }

        /// `file:line` of a row.
        func source(_ ref: RowRef) -> String {
            var bytes: [UInt8] = []
            appendSource(ref, to: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        }

        /// Appends `file:line` (the payout ledger writes a million of them: no interpolation).
        func appendSource(_ ref: RowRef, to bytes: inout [UInt8]) {
            Reconciler.appendSource(ref, prefixes: sourcePrefixes, to: &bytes)
        }

        /// The id of a key as written (see `Reconciler.idString`).
        func idString(_ key: UInt64) -> String {
            var scratch: [UInt8] = []
            return Reconciler.idString(key, otherIDs: inputs.otherIDs, scratch: &scratch)
        }
        func maskedID(_ packed: UInt64) -> String {
            if OtherIDTable.isOther(packed) { return Masking.id(inputs.otherIDs.text(packed)) }
            return ResidentID(packed: packed)?.masked ?? ""
        }
        func text(_ span: TextSpan) -> String { inputs.arena.string(span) }
        func yuan(_ fen: Int64) -> String { Fen(fen).yuan }
        /// The run's words in its language (the detail column).
        var say: Language { settings.language }
        func date(_ days: Int32) -> String { CalendarDate(daysSinceEpoch: days).iso }

        /// Roster rows of an id, in (file, line) order.
        func rosterRows(_ id: UInt64) -> RosterRows {
            RosterRows(records: inputs.roster, links: rosterLinks, current: rosterByID.find(id) ?? -1)
        }

        /// The most telling non-approved application row of an id (this term's grant first).
        func otherApplication(_ id: UInt64) -> ApplicationRecord? {
            othersByID.find(id).map { inputs.others[Int($0)] }
        }

        /// The account of a bank row as reports show it (stars and the last four digits).
        func maskedAccount(ofRow row: LedgerRecord) -> String {
            if row.account != 0 { return AccountKey.masked(row.account) }
            if row.masked >= 0 { return inputs.maskedAccounts[Int(row.masked)].maskedText }
            return ""
        }

        /// Who a student is in reports: school, number and name from the approved row, else the
        /// student's other application row, else the roster, else (name only) the bank's account
        /// name. `nameForComparison` leaves out the bank's name (R05 compares with it).
        func display(student s: Int) -> (school: String, studentNo: String, name: String, nameForComparison: TextSpan) {
            let id = id(ofStudent: s)
            var school: UInt32 = 0
            var studentNo = TextSpan.empty
            var name = TextSpan.empty
            func fill(_ s: UInt32, _ n: TextSpan, _ nm: TextSpan) {
                if school == 0 { school = s }
                if studentNo.isEmpty { studentNo = n }
                if name.isEmpty { name = nm }
            }
            if s < approvedCount {
                let a = inputs.approved[s]
                fill(a.school, a.studentNo, a.name)
            } else if let o = otherApplication(id) {
                fill(o.school, o.studentNo, o.name)
            }
            for r in rosterRows(id) { fill(r.school, r.studentNo, r.name) }
            let comparison = name
            if name.isEmpty, let first = rows(ofStudent: s).first(where: { !inputs.ledger[Int($0)].name.isEmpty }) {
                name = inputs.ledger[Int(first)].name
            }
            return (inputs.schools[school], text(studentNo), text(name), comparison)
        }

        /// A finding about student `s`, pre-filled with who they are. `sources`: the approved
        /// row(s), `extra` rows (another application row), the bank `rows`, then `roster` rows.
        func finding(_ code: String, student s: Int, expected: String, actual: String, detail: String,
                     rows: [Int32] = [], extra: [RowRef] = [], roster: [RowRef] = []) -> Discrepancy {
            let who = display(student: s)
            var refs: [RowRef] = []
            if s < approvedCount {
                refs.append(inputs.approved[s].ref)
                refs += approvedDuplicates[Int32(s)] ?? []
            }
            refs += extra
            refs += rows.map { inputs.ledger[Int($0)].ref }.sorted()
            refs += roster
            return Discrepancy(code: code, term: termName, schoolCode: who.school, studentNo: who.studentNo,
                               name: who.name, idNumber: idString(id(ofStudent: s)), expected: expected, actual: actual,
                               detail: detail, sources: refs.map(source))
        }
    }
}

extension Reconciler {
    /// Appends `file:line` of `ref`, the file from `prefixes` (`file:` per source index, as bytes).
    static func appendSource(_ ref: RowRef, prefixes: [[UInt8]], to bytes: inout [UInt8]) {
        if ref.source < prefixes.count {
            bytes += prefixes[ref.source]
        } else {
            bytes += Array("#\(ref.source):".utf8)
        }
        var line = ref.line
        let start = bytes.count
        repeat {
            bytes.append(0x30 + UInt8(line % 10))
            line /= 10
        } while line > 0
        bytes[start...].reverse()
    }
}
