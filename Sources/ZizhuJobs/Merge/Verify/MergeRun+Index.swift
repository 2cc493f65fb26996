import ZizhuCore
import ZizhuIO
import ZizhuPackage

/// Pass 1, for M01: the rows of a verified package of the term, keyed for the `CrossSchoolIndex`.
extension MergeRun {
    /// The package's enrolled roster rows and funded application rows of the term.
    /// `roster` and `applications` are the verifier's data files, read by it without an error: their
    /// UTF-8 is not checked again.
    static func packageRows(package: Int, name: String, roster: [UInt8], applications: [UInt8], termBytes: [UInt8],
                            language: Language = .zh, notes: inout [String]) -> CrossSchoolIndex.PackageRows {
        var index = CrossSchoolIndex.PackageRows()
        var idColumn = 0, statusColumn = 0
        do {
            _ = try PackageCSV.scan(roster, name: PackageFormat.rosterEntry, checked: true) { scanner, isHeader in
                if isHeader {
                    let header = scanner.spans.indices.map { scanner.string($0) }
                    guard let id = header.firstIndex(of: "id_number"), let status = header.firstIndex(of: "status") else {
                        throw MissingColumns(file: PackageFormat.rosterEntry, columns: "id_number, status")
                    }
                    idColumn = id
                    statusColumn = status
                    return header
                }
                if scanner.field(statusColumn, equals: "在籍") || scanner.field(statusColumn, equals: "复学") {
                    index.add(id: scanner.raw(idColumn), row: .init(package: package, kind: .enrolled, line: scanner.recordLine))
                }
                return []
            }
        } catch {
            notes.append(language("note.merge.unreadableRoster", ["package": name, "reason": Self.describe(error)]))
        }
        var aidColumn = 0, approvalColumn = 0
        var termColumn: Int?
        do {
            _ = try PackageCSV.scan(applications, name: PackageFormat.applicationsEntry, checked: true) { scanner, isHeader in
                if isHeader {
                    let header = scanner.spans.indices.map { scanner.string($0) }
                    guard let id = header.firstIndex(of: "id_number"), let aid = header.firstIndex(of: "aid_type"),
                          let approval = header.firstIndex(of: "approval_status") else {
                        throw MissingColumns(file: PackageFormat.applicationsEntry, columns: "id_number, aid_type, approval_status")
                    }
                    idColumn = id
                    aidColumn = aid
                    approvalColumn = approval
                    termColumn = header.firstIndex(of: "term")
                    return header
                }
                guard scanner.field(aidColumn, equals: "国家助学金") || scanner.field(aidColumn, equals: "免学费"),
                      !scanner.field(approvalColumn, equals: "退回") else { return [] }
                if let termColumn {
                    let term = scanner.raw(termColumn)
                    guard term.isEmpty || term.elementsEqual(termBytes) else { return [] }
                }
                index.add(id: scanner.raw(idColumn), row: .init(package: package, kind: .funded, line: scanner.recordLine))
                return []
            }
        } catch {
            notes.append(language("note.merge.unreadableApplications", ["package": name, "reason": Self.describe(error)]))
        }
        return index
    }

    private struct MissingColumns: Error {
        var file: String
        var columns: String
    }

    static func describe(_ error: any Error) -> String {
        if let missing = error as? MissingColumns { return "\(missing.file) lacks a column of \(missing.columns)" }
        return PackageVerifier.message(error)
    }
}
