import Foundation
import Testing
import ZizhuCore
import ZizhuIO
@testable import ZizhuJobs
import ZizhuPackage
import ZizhuTestSupport

/// Pass 2 copies a data file of unquoted fields line by line (`PackageCSV.forEachPlainRecord`);
/// the scanner's field-by-field copy (`copyScanned`) is its oracle: the merged bytes and the rows
/// M01 shows must be the same, whichever path a file takes.
@Suite struct MergedCopyFastPathTests {
    static let columns = ["student_no", "name", "id_number", "study_mode", "status"]
    static let header = columns.joined(separator: ",") + "\n"

    /// Files the fast path takes, and files it must leave to the scanner (quotes, CR, other columns).
    static let files: [String] = [
        header + "S001,张三,370102200501011234,全日制,在籍\nS002,李四,370102200501021234,全日制,休学\n",
        header + "S001,张三,370102200501011234,全日制,在籍",
        header,
        header + "S001,,,全日制,在籍\n,,,,\n",
        "\u{FEFF}" + header + "S001,张三,370102200501011234,全日制,在籍\n",
        header + "S001,\"张,三\",370102200501011234,全日制,在籍\n",
        header + "S001,\"张\"\"三\",370102200501011234,全日制,在籍\n",
        header + "S001,\"多行\n名字\",370102200501011234,全日制,在籍\nS002,李四,370102200501021234,全日制,在籍\n",
        header + "S001,\"张三\",370102200501011234,全日制,在籍\n",
        header + "S001,张\r三,370102200501011234,全日制,在籍\n",
        "name,student_no,id_number,study_mode,status\n张三,S001,370102200501011234,全日制,在籍\n",
        "student_no,name,id_number,status\nS001,张三,370102200501011234,在籍\n",
    ]

    struct Copied {
        var bytes: [UInt8]
        var rows: Int
        var details: [CrossSchoolIndex.RowRef: MergeRun.RowDetail]
    }

    static func copy(_ csv: String, scanned: Bool, flaggedLines: Set<Int>, in scratch: ScratchFolder, tag: String) throws -> Copied {
        let run = MergeRun(settings: MergeSettings(term: "2023-fall", workers: 1), sources: [], notes: [])
        let path = scratch.file("\(tag).csv.gz")
        let writer = try MergedTableWriter(path: path, columns: columns)
        var details: [CrossSchoolIndex.RowRef: MergeRun.RowDetail] = [:]
        let source = MergedTableWriter.encoded("city.zip!3701J001_2023-fall.zip")
        if scanned {
            try run.copyScanned(Array(csv.utf8), file: "roster.csv", into: writer, source: source, package: 3, kind: .enrolled,
                                flaggedLines: flaggedLines, details: &details)
        } else {
            try run.copy(Array(csv.utf8), file: "roster.csv", into: writer, source: source, package: 3, kind: .enrolled,
                         flaggedLines: flaggedLines, details: &details)
        }
        try writer.close()
        let bytes = try Gzip.decompress([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
        return Copied(bytes: bytes, rows: writer.rows, details: details)
    }

    @Test func theLineByLineCopyWritesTheScannersBytesAndDetails() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        for (n, csv) in Self.files.enumerated() {
            let flagged: Set<Int> = [2, 3, 4]
            let fast = try Self.copy(csv, scanned: false, flaggedLines: flagged, in: scratch, tag: "fast\(n)")
            let slow = try Self.copy(csv, scanned: true, flaggedLines: flagged, in: scratch, tag: "slow\(n)")
            #expect(fast.bytes == slow.bytes, "file \(n): \(String(decoding: fast.bytes, as: UTF8.self))")
            #expect(fast.rows == slow.rows, "file \(n)")
            #expect(fast.details.count == slow.details.count, "file \(n)")
            for (ref, detail) in slow.details {
                #expect(fast.details[ref]?.studentNo == detail.studentNo && fast.details[ref]?.name == detail.name
                        && fast.details[ref]?.label == detail.label, "file \(n) line \(ref.line)")
            }
        }
    }

    @Test func onlyFilesWithoutQuotesOrCarriageReturnsTakeTheLineByLinePath() throws {
        var taken: [Bool] = []
        for csv in Self.files {
            var records: [(String, Int)] = []
            let plain = try PackageCSV.forEachPlainRecord(inChecked: Array(csv.utf8), name: "roster.csv", header: { _ in true }) { record, line in
                records.append((String(decoding: record, as: UTF8.self), line))
            }
            taken.append(plain)
            guard plain else {
                #expect(records.isEmpty)
                continue
            }
            // Each record is the scanner's record, on the scanner's line.
            var scanned: [(String, Int)] = []
            try PackageCSV.forEachRow(in: Array(csv.utf8), name: "roster.csv") { fields, line in
                scanned.append((fields.joined(separator: ","), line))
            }
            #expect(records.map(\.0) == scanned.map(\.0))
            #expect(records.map(\.1) == scanned.map(\.1))
        }
        #expect(taken == [true, true, true, true, true, false, false, false, false, false, true, true])
    }

    @Test func theFlaggedRowsOfAPlainFileKeepWhatM01Shows() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let copied = try Self.copy(Self.files[0], scanned: false, flaggedLines: [3], in: scratch, tag: "flagged")
        let ref = CrossSchoolIndex.RowRef(package: 3, kind: .enrolled, line: 3)
        #expect(copied.details.count == 1)
        #expect(copied.details[ref]?.studentNo == "S002")
        #expect(copied.details[ref]?.name == "李四")
        #expect(copied.details[ref]?.label == "休学")
    }
}
