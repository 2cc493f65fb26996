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
        var flaggedLines: [RowGroup: Set<Int>] = [:]
        for row in flagged { flaggedLines[RowGroup(package: row.package, kind: row.kind), default: []].insert(row.line) }
        // Packages are read, checked against pass 1's SHA-256 and inflated on worker threads, ahead
        // of the copying here, which takes them in merge order.
        let settings = self.settings, sources = self.sources
        let expected = merged.map { records[$0].outcome.sha256 }
        try OrderedPool.run(count: merged.count, workers: settings.workers, name: "zizhu-merge-read",
                            state: { PackageLoader(settings: settings) },
                            work: { k, loader in try Self.dataFiles(sources[merged[k]], sha256: expected[k], loader: &loader) },
                            consume: { k, files in
                                let i = merged[k]
                                progress(records[i].outcome.name)
                                let name = MergedTableWriter.encoded(records[i].outcome.name)
                                try copy(files.roster, file: PackageFormat.rosterEntry, into: roster, source: name, package: i,
                                         kind: .enrolled, flaggedLines: flaggedLines[RowGroup(package: i, kind: .enrolled)] ?? [],
                                         details: &written.details)
                                try copy(files.applications, file: PackageFormat.applicationsEntry, into: applications,
                                         source: name, package: i, kind: .funded,
                                         flaggedLines: flaggedLines[RowGroup(package: i, kind: .funded)] ?? [], details: &written.details)
                            })
        try roster.close()
        try applications.close()
        written.rosterRows = roster.rows
        written.applicationRows = applications.rows
        return written
    }

    /// One data file of one package.
    struct RowGroup: Hashable {
        var package: Int
        var kind: CrossSchoolIndex.Kind
    }

    /// A merged package's two data files, inflated, from bytes that are the ones pass 1 verified.
    struct DataFiles: Sendable {
        var roster: [UInt8]
        var applications: [UInt8]
    }

    static func dataFiles(_ source: PackageSource, sha256: String, loader: inout PackageLoader) throws -> DataFiles {
        guard case .bytes(let bytes) = try loader.load(source), PackageBuilder.sha256(bytes) == sha256 else {
            throw ZizhuError(.ioFailure, Message("merge.changed"), at: InputPosition(file: source.name), hint: Message("merge.changed.hint"))
        }
        // The bytes are those verified in pass 1 (same SHA-256), so their data files are too.
        let archive = try ZipArchive(bytes: bytes, name: source.name, limits: loader.limits)
        func data(_ name: String) throws -> [UInt8] {
            guard let entry = archive.entry(named: name) else {
                throw ZizhuError(.archive, Message("merge.noEntry", ["name": name]), at: InputPosition(file: source.name))
            }
            return try Gzip.decompress(try archive.read(entry), limits: loader.limits)
        }
        return DataFiles(roster: try data(PackageFormat.rosterEntry), applications: try data(PackageFormat.applicationsEntry))
    }

    /// Copies one data file's rows; keeps the student number, name and status or aid of flagged rows.
    /// `flaggedLines` are the lines of this package's file that M01 names (from `flagged`).
    /// A file of unquoted fields in the merged columns is copied line by line
    /// (`PackageCSV.forEachPlainRecord`), any other through the scanner (`copyScanned`): the
    /// same bytes either way.
    func copy(_ csv: [UInt8], file: String, into writer: MergedTableWriter, source: [UInt8], package: Int,
              kind: CrossSchoolIndex.Kind, flaggedLines: Set<Int>,
              details: inout [CrossSchoolIndex.RowRef: RowDetail]) throws {
        var columns = Columns(kind: kind)
        let plain = try PackageCSV.forEachPlainRecord(inChecked: csv, name: file, header: { header in
            guard writer.mapping(for: header) == nil else { return false }
            columns = Columns(header, kind: kind)
            return true
        }, { record, line in
            try writer.writePlain(record, source: source)
            if !flaggedLines.isEmpty, flaggedLines.contains(line) {
                let fields = record.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
                    .map { String(decoding: $0, as: UTF8.self) }
                details[CrossSchoolIndex.RowRef(package: package, kind: kind, line: line)] = columns.detail { fields[$0] }
            }
        })
        if !plain {
            try copyScanned(csv, file: file, into: writer, source: source, package: package, kind: kind,
                            flaggedLines: flaggedLines, details: &details)
        }
    }

    /// Where a data file's student number, name and status or aid are (what M01 shows of a row).
    struct Columns {
        var studentNo: Int?
        var name: Int?
        var labels: [Int] = []

        init(kind: CrossSchoolIndex.Kind) {}

        init(_ header: [String], kind: CrossSchoolIndex.Kind) {
            studentNo = header.firstIndex(of: "student_no")
            name = header.firstIndex(of: "name")
            labels = (kind == .enrolled ? ["status"] : ["aid_type", "approval_status"]).compactMap { header.firstIndex(of: $0) }
        }

        func detail(_ field: (Int) -> String) -> RowDetail {
            RowDetail(studentNo: studentNo.map(field) ?? "", name: name.map(field) ?? "",
                      label: labels.map(field).joined(separator: " "))
        }
    }

    /// `copy` through the scanner: every field re-encoded, columns mapped to the merged ones. The
    /// bytes are those pass 1 verified (same SHA-256): their UTF-8 is not checked again.
    func copyScanned(_ csv: [UInt8], file: String, into writer: MergedTableWriter, source: [UInt8], package: Int,
                     kind: CrossSchoolIndex.Kind, flaggedLines: Set<Int>,
                     details: inout [CrossSchoolIndex.RowRef: RowDetail]) throws {
        var mapping: [Int?]?
        var columns = Columns(kind: kind)
        _ = try PackageCSV.scan(csv, name: file, checked: true) { scanner, isHeader in
            if isHeader {
                let header = scanner.spans.indices.map { scanner.string($0) }
                mapping = writer.mapping(for: header)
                columns = Columns(header, kind: kind)
                return header
            }
            try writer.write(scanner, mapping: mapping, source: source)
            if !flaggedLines.isEmpty, flaggedLines.contains(scanner.recordLine) {
                details[CrossSchoolIndex.RowRef(package: package, kind: kind, line: scanner.recordLine)] = columns.detail { scanner.string($0) }
            }
            return []
        }
    }
}
