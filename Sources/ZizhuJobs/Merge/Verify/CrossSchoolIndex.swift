import ZizhuCore

/// M01 CROSS_SCHOOL_DUPLICATE at national scale: every enrolled roster row and every funded
/// application row of the packages is one 16-byte entry — the id packed into a `UInt64`
/// (`ResidentID.packed`) and a reference (package, file, physical line). No name, no string:
/// 5 million students with their applications hold about 200 MB here.
///
/// An id that is not a resident id (护照, 其他) cannot be packed; it gets a number of its own
/// above every packed id (such ids are few, and only they are kept as text).
struct CrossSchoolIndex {
    /// Which data file a row is in, and why it counts.
    enum Kind: UInt64, Sendable {
        /// A roster row 在籍 or 复学.
        case enrolled = 0
        /// An application row 国家助学金 or 免学费, not 退回, of the term.
        case funded = 1
    }

    /// One row of a package, packed: package index (22 bits), kind (1 bit), line (41 bits).
    struct RowRef: Hashable, Comparable, Sendable {
        let raw: UInt64

        init(package: Int, kind: Kind, line: Int) {
            raw = UInt64(package) << 42 | kind.rawValue << 41 | UInt64(line)
        }

        init(raw: UInt64) { self.raw = raw }

        var package: Int { Int(raw >> 42) }
        var kind: Kind { raw >> 41 & 1 == 0 ? .enrolled : .funded }
        var line: Int { Int(raw & (1 << 41 - 1)) }

        static func < (lhs: RowRef, rhs: RowRef) -> Bool { lhs.raw < rhs.raw }
    }

    /// Most packages one merge can index (22 bits).
    static let maximumPackages = 1 << 22
    /// Most lines one data file can have (41 bits).
    static let maximumLine = 1 << 41 - 1

    fileprivate struct Entry: Sendable {
        var id: UInt64
        var row: RowRef
    }

    private var entries: [Entry] = []
    /// Ids that are not resident ids. Packages are read in a fixed order, so the keys are too.
    private var otherIDs = OtherIDTable()

    /// Adds a row whose id cell holds `id` (as the package writes it).
    mutating func add(id: UnsafeBufferPointer<UInt8>, row: RowRef) {
        var rows = PackageRows()
        rows.add(id: id, row: row)
        append(rows)
    }

    /// One package's rows, keyed as far as the package alone can key them — a resident id packed,
    /// any other id kept as text until `append` numbers it — so packages can be indexed on worker
    /// threads and appended in package order (the numbers of other ids then follow that order).
    struct PackageRows: Sendable {
        fileprivate var entries: [Entry] = []
        fileprivate var others: [(position: Int, text: String)] = []

        mutating func add(id: UnsafeBufferPointer<UInt8>, row: RowRef) {
            guard !id.isEmpty else { return }
            if case .success(let resident) = ResidentID.parse(id) {
                entries.append(Entry(id: resident.packed, row: row))
            } else {
                others.append((entries.count, String(decoding: id, as: UTF8.self)))
                entries.append(Entry(id: 0, row: row))
            }
        }

        var count: Int { entries.count }
    }

    /// Adds a package's rows (packages in a fixed order, so other ids get their numbers in it).
    mutating func append(_ rows: PackageRows) {
        var entries = rows.entries
        for other in rows.others { entries[other.position].id = otherIDs.key(other.text) }
        self.entries.append(contentsOf: entries)
    }

    /// The id as written (18 characters for a resident id).
    func idText(_ key: UInt64) -> String {
        if OtherIDTable.isOther(key) { return otherIDs.text(key) }
        return ResidentID(packed: key)?.string ?? ""
    }

    /// One id enrolled in, or funded by, two or more schools.
    struct Duplicate: Sendable {
        var id: UInt64
        /// Every enrolled and funded row of the id in the merged packages, in reference order.
        var rows: [RowRef]
    }

    /// The ids enrolled in two or more schools, or funded by two or more, counting only the
    /// packages `merged` holds; `school` gives each package's school. Consumes the entries.
    mutating func duplicates(merged: Set<Int>, school: (Int) -> String) -> [Duplicate] {
        var isMerged = [Bool](repeating: false, count: (merged.max() ?? -1) + 1)
        for package in merged { isMerged[package] = true }
        entries.removeAll { $0.row.package >= isMerged.count || !isMerged[$0.row.package] }
        Self.sortByIDThenRow(&entries)
        var found: [Duplicate] = []
        var start = 0
        while start < entries.count {
            var end = start + 1
            while end < entries.count, entries[end].id == entries[start].id { end += 1 }
            // An id whose rows are all in one package (a student's roster row and application
            // rows) is in one school: its schools are looked up only when packages differ.
            if end - start > 1, entries[start + 1..<end].contains(where: { $0.row.package != entries[start].row.package }) {
                var enrolledIn = Set<String>()
                var fundedBy = Set<String>()
                for entry in entries[start..<end] {
                    switch entry.row.kind {
                    case .enrolled: enrolledIn.insert(school(entry.row.package))
                    case .funded: fundedBy.insert(school(entry.row.package))
                    }
                }
                if enrolledIn.count > 1 || fundedBy.count > 1 {
                    found.append(Duplicate(id: entries[start].id, rows: entries[start..<end].map(\.row)))
                }
            }
            start = end
        }
        entries = []
        return found
    }

    /// Sorts entries by id, then row. Entries are appended in row order (packages in order, each
    /// package's roster rows, then its application rows, by line), so a stable sort by id alone
    /// is that order: a least-significant-digit radix sort, 16 bits a pass, a pass skipped when
    /// every entry has the same digit. Entries not in row order (never, as they are made) are
    /// sorted by comparing both keys instead.
    fileprivate static func sortByIDThenRow(_ entries: inout [Entry]) {
        let inRowOrder = entries.indices.dropFirst().allSatisfy { entries[$0 - 1].row < entries[$0].row }
        guard inRowOrder, entries.count > 64 else {
            entries.sort { $0.id != $1.id ? $0.id < $1.id : $0.row < $1.row }
            return
        }
        var scratch = entries
        var counts = [Int](repeating: 0, count: 1 << 16)
        for shift in stride(from: 0, to: 64, by: 16) {
            for k in counts.indices { counts[k] = 0 }
            for entry in entries { counts[Int(truncatingIfNeeded: entry.id >> UInt64(shift)) & 0xFFFF] += 1 }
            if counts.contains(entries.count) { continue }
            var total = 0
            for k in counts.indices {
                let count = counts[k]
                counts[k] = total
                total += count
            }
            scratch.withUnsafeMutableBufferPointer { out in
                entries.withUnsafeBufferPointer { input in
                    for entry in input {
                        let digit = Int(truncatingIfNeeded: entry.id >> UInt64(shift)) & 0xFFFF
                        out[counts[digit]] = entry
                        counts[digit] += 1
                    }
                }
            }
            swap(&entries, &scratch)
        }
    }

    /// `sortByIDThenRow` on ids and rows given as raw pairs (for tests against a comparison sort).
    static func sortedByIDThenRow(_ pairs: [(id: UInt64, row: UInt64)]) -> [(id: UInt64, row: UInt64)] {
        var entries = pairs.map { Entry(id: $0.id, row: RowRef(raw: $0.row)) }
        sortByIDThenRow(&entries)
        return entries.map { ($0.id, $0.row.raw) }
    }

    /// Entries held (for tests of the memory bound).
    var count: Int { entries.count }
}
