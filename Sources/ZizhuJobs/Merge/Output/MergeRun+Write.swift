import ZizhuCore
import ZizhuIO
import ZizhuPackage

/// Pass 2: the merged packages' rows streamed into the merged files.
extension MergeRun {
    struct Written {
        var rosterRows = 0
        var applicationRows = 0
        var details: [CrossSchoolIndex.RowRef: RowDetail] = [:]
    }

    /// Streams the merged packages' rows into the merged files; collects what M01 shows of its rows.
    func write(_ merged: [Int], rosterPath: String, applicationsPath: String,
                       flagged: Set<CrossSchoolIndex.RowRef>, progress: (String) -> Void) throws -> Written {
        func union(_ headers: [[String]]) -> [String] {
            var columns: [String] = []
            var seen = Set<String>()
            for header in headers {
                for name in header where name != MergedTableWriter.sourceColumn && seen.insert(name).inserted { columns.append(name) }
            }
            return columns
        }
        let roster = try MergedTableWriter(path: rosterPath, columns: union(merged.map { records[$0].rosterHeader }))
        let applications = try MergedTableWriter(path: applicationsPath,
                                                 columns: union(merged.map { records[$0].applicationsHeader }))
        var written = Written()
        var loader = PackageLoader(settings: settings)
        for i in merged {
            let outcome = records[i].outcome
            progress(outcome.name)
            let source = sources[i]
            guard case .bytes(let bytes) = try loader.load(source), PackageBuilder.sha256(bytes) == outcome.sha256 else {
                throw ZizhuError(.ioFailure, "the package changed while it was being merged", at: InputPosition(file: source.name),
                                 hint: "leave the inputs alone during a merge and run it again")
            }
            // The bytes are those verified in pass 1 (same SHA-256), so their data files are too.
            let archive = try ZipArchive(bytes: bytes, name: source.name, limits: loader.limits)
            func data(_ name: String) throws -> [UInt8] {
                guard let entry = archive.entry(named: name) else {
                    throw ZizhuError(.archive, "no entry \(name)", at: InputPosition(file: source.name))
                }
                return try Gzip.decompress(try archive.read(entry), limits: loader.limits)
            }
            let rosterCSV = try data(PackageFormat.rosterEntry)
            let applicationsCSV = try data(PackageFormat.applicationsEntry)
            let name = MergedTableWriter.encoded(outcome.name)
            try copy(rosterCSV, file: PackageFormat.rosterEntry, into: roster, source: name, package: i, kind: .enrolled,
                     flagged: flagged, details: &written.details)
            try copy(applicationsCSV, file: PackageFormat.applicationsEntry, into: applications, source: name, package: i,
                     kind: .funded, flagged: flagged, details: &written.details)
        }
        try roster.close()
        try applications.close()
        written.rosterRows = roster.rows
        written.applicationRows = applications.rows
        return written
    }

    /// Copies one data file's rows; keeps the student number, name and status or aid of flagged rows.
    func copy(_ csv: [UInt8], file: String, into writer: MergedTableWriter, source: [UInt8], package: Int,
                      kind: CrossSchoolIndex.Kind, flagged: Set<CrossSchoolIndex.RowRef>,
                      details: inout [CrossSchoolIndex.RowRef: RowDetail]) throws {
        var mapping: [Int?]?
        var studentNo: Int?, name: Int?, labels: [Int] = []
        _ = try PackageCSV.scan(csv, name: file) { scanner, isHeader in
            if isHeader {
                let header = scanner.spans.indices.map { scanner.string($0) }
                mapping = writer.mapping(for: header)
                studentNo = header.firstIndex(of: "student_no")
                name = header.firstIndex(of: "name")
                labels = (kind == .enrolled ? ["status"] : ["aid_type", "approval_status"]).compactMap { header.firstIndex(of: $0) }
                return header
            }
            try writer.write(scanner, mapping: mapping, source: source)
            if !flagged.isEmpty {
                let ref = CrossSchoolIndex.RowRef(package: package, kind: kind, line: scanner.recordLine)
                if flagged.contains(ref) {
                    details[ref] = RowDetail(studentNo: studentNo.map { scanner.string($0) } ?? "",
                                             name: name.map { scanner.string($0) } ?? "",
                                             label: labels.map { scanner.string($0) }.joined(separator: " "))
                }
            }
            return []
        }
    }
}
