import ZizhuCore

/// What validation learned about one input file; written to `summary.json`.
public struct FileReport: Sendable, Codable, Equatable {
    public var file: String
    public var entry: String?
    public var schema: String
    public var encoding: String?
    public var delimiter: String?
    public var bytes: Int64?
    public var physicalLines: Int?
    public var headerLine: Int?
    /// Lines above the header, skipped (contract §3: "skipped and reported").
    public var titleLines: [TitleLine] = []
    /// Lines after the total row that begin with a trailer word (制表人, 审核人 …): skipped and
    /// reported like title lines (contract §3); nil when there are none.
    public var trailerLines: [TitleLine]?
    /// Each header column and the field it was read as (nil: unknown, kept through).
    public var columns: [Column] = []
    public var rowsRead = 0
    public var rowsAccepted = 0
    public var rowsRejected = 0
    /// Rows whose every cell is empty: not data, counted so nothing is silently dropped.
    public var blankRows = 0
    public var totalRow: TotalRowCheck?
    public var rejectsByRule: [String: Int] = [:]
    public var warningsByRule: [String: Int] = [:]
    /// File-level warnings in words (total row mismatch, duplicate columns, cells past the header).
    public var notes: [String] = []

    public struct TitleLine: Sendable, Codable, Equatable {
        public var line: Int
        public var text: String
    }

    public struct Column: Sendable, Codable, Equatable {
        public var title: String
        public var field: String?
    }

    /// The trailing 合计 / 总计 row, checked against the column sums.
    public struct TotalRowCheck: Sendable, Codable, Equatable {
        public var line: Int
        public var checks: [Sum]
        public var matches: Bool { checks.allSatisfy(\.matches) }

        public struct Sum: Sendable, Codable, Equatable {
            public var column: String
            /// What the total row says, in yuan (empty cells are not checked).
            public var stated: String
            /// What the data rows add up to, in yuan.
            public var computed: String
            public var matches: Bool
        }
    }

    public init(file: String, entry: String?, schema: String) {
        self.file = file
        self.entry = entry
        self.schema = schema
    }

    /// `file` or `archive.zip!entry`.
    public var displayName: String { entry.map { "\(file)!\($0)" } ?? file }
}
