import ZizhuCore
import ZizhuIO

/// One sheet as `xl/workbook.xml` lists it.
struct WorkbookSheet: Sendable, Hashable {
    var name: String
    var isHidden: Bool
    /// The sheet's part inside the zip (`xl/worksheets/sheet1.xml`), from the relationships.
    var part: String
}

/// Caps on what a workbook's parts may hold in memory (the sheets themselves are streamed).
struct WorkbookLimits: Sendable {
    /// Most shared strings.
    var maxSharedStrings = 16_000_000
    /// Most bytes of shared-string text in all.
    var maxSharedStringBytes = 512 << 20
    /// Most bytes of one small part (workbook, relationships, styles).
    var maxPartBytes: Int64 = 64 << 20
    /// Widest row: Excel's 16,384 columns (XFD).
    var maxColumns = 16_384
}

/// `xl/workbook.xml`: sheets in order (name, state, relationship id) and the date system.
final class WorkbookPart: XMLEvents {
    var sheets: [(name: String, hidden: Bool, relation: String)] = []
    var uses1904 = false

    func start(_ name: XMLName, _ attributes: XMLAttributes) throws {
        if name == "sheet" {
            let state = attributes.string("state") ?? "visible"
            sheets.append((attributes.string("name") ?? "Sheet\(sheets.count + 1)", state != "visible",
                           attributes.string("id") ?? ""))
        } else if name == "workbookPr" {
            let value = attributes.string("date1904") ?? "0"
            uses1904 = value == "1" || value.lowercased() == "true"
        }
    }
    func end(_ name: XMLName) throws {}
    func text(_ bytes: UnsafeBufferPointer<UInt8>) throws {}
}

/// `xl/_rels/workbook.xml.rels`: relationship id → target part.
final class RelationshipsPart: XMLEvents {
    var targets: [String: String] = [:]

    func start(_ name: XMLName, _ attributes: XMLAttributes) throws {
        guard name == "Relationship", let id = attributes.string("Id"), let target = attributes.string("Target") else { return }
        targets[id] = target
    }
    func end(_ name: XMLName) throws {}
    func text(_ bytes: UnsafeBufferPointer<UInt8>) throws {}

    /// A target as a path inside the zip: relative to `xl/`, or absolute from the root.
    static func partPath(_ target: String) -> String {
        if target.hasPrefix("/") { return String(target.dropFirst()) }
        var parts = ["xl"]
        for piece in target.split(separator: "/") {
            if piece == ".." { if !parts.isEmpty { parts.removeLast() } } else if piece != "." { parts.append(String(piece)) }
        }
        return parts.joined(separator: "/")
    }
}

/// `xl/styles.xml`: which cell formats (`s=` indexes into `cellXfs`) show dates.
final class StylesPart: XMLEvents {
    private var customFormats: [Int: String] = [:]
    private var formatIds: [Int] = []
    private var inCellXfs = false

    func start(_ name: XMLName, _ attributes: XMLAttributes) throws {
        if name == "numFmt", let id = attributes.string("numFmtId").flatMap({ Int($0) }) {
            customFormats[id] = attributes.string("formatCode") ?? ""
        } else if name == "cellXfs" {
            inCellXfs = true
        } else if name == "xf", inCellXfs {
            formatIds.append(attributes.string("numFmtId").flatMap { Int($0) } ?? 0)
        }
    }
    func end(_ name: XMLName) throws {
        if name == "cellXfs" { inCellXfs = false }
    }
    func text(_ bytes: UnsafeBufferPointer<UInt8>) throws {}

    /// One flag per cell format: true when it shows a date.
    func dateStyles() -> [Bool] {
        formatIds.map { id in CellText.isDateFormat(id: id, code: customFormats[id]) }
    }
}

/// `xl/sharedStrings.xml`: every string in one byte arena with offsets. Rich-text runs
/// (`<r><t>`) are joined; phonetic guides (`<rPh>`) are left out.
final class SharedStringsPart: XMLEvents {
    /// A struct behind a pointer, no exclusivity check per use (see `XLSXSheet`).
    private let state: UnsafeMutablePointer<State>

    init(limits: WorkbookLimits, position: InputPosition) {
        state = UnsafeMutablePointer<State>.allocate(capacity: 1)
        state.initialize(to: State(limits: limits, position: position))
    }

    deinit {
        state.deinitialize(count: 1)
        state.deallocate()
    }

    var count: Int { state.pointee.ends.count }

    func withString<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let start = index == 0 ? 0 : state.pointee.ends[index - 1]
        let end = state.pointee.ends[index]
        return try state.pointee.arena.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    func start(_ name: XMLName, _ attributes: XMLAttributes) throws { state.pointee.start(name) }
    func end(_ name: XMLName) throws { try state.pointee.end(name) }
    func text(_ bytes: UnsafeBufferPointer<UInt8>) throws { try state.pointee.text(bytes) }

    private struct State {
        var arena: [UInt8] = []
        var ends: [Int] = []
        var inItem = false
        var inText = false
        var phonetic = 0
        let limits: WorkbookLimits
        let position: InputPosition

        init(limits: WorkbookLimits, position: InputPosition) {
            self.limits = limits
            self.position = position
        }

        mutating func start(_ name: XMLName) {
            if name == "si" {
                inItem = true
            } else if name == "rPh" {
                phonetic += 1
            } else if name == "t", inItem, phonetic == 0 {
                inText = true
            }
        }

        mutating func end(_ name: XMLName) throws {
            if name == "si" {
                inItem = false
                guard ends.count < limits.maxSharedStrings else {
                    throw ZizhuError(.limitExceeded, Message("error.xlsx.tooManyStrings", ["limit": String(limits.maxSharedStrings)]),
                                     at: position, hint: Message("hint.workbook.split"))
                }
                ends.append(arena.count)
            } else if name == "rPh" {
                phonetic -= 1
            } else if name == "t" {
                inText = false
            }
        }

        mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) throws {
            guard inText else { return }
            guard arena.count + bytes.count <= limits.maxSharedStringBytes else {
                throw ZizhuError(.limitExceeded, Message("error.xlsx.stringsTooLarge", ["limit": String(limits.maxSharedStringBytes)]),
                                 at: position, hint: Message("hint.workbook.split"))
            }
            arena.append(contentsOf: bytes)
        }
    }
}
