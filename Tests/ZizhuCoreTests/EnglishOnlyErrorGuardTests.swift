import Foundation
import Testing

/// Issue 15's guard: an error a person reads is written in catalogue words (`ZizhuError(.code,
/// Message("key" …))`), never as an English string literal, so English-only errors cannot come back.
/// The scan reads every Swift file under Sources/ and fails listing each `ZizhuError(.code, "…"`.
@Suite struct EnglishOnlyErrorGuardTests {
    /// Folders whose errors are converted elsewhere; each entry says why.
    static let allowed: [(folder: String, why: String)] = [
    ]

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `file:line` of every `ZizhuError(` whose message is a string literal, in `text`.
    static func literalErrors(in text: String, file: String) throws -> [String] {
        let pattern = try NSRegularExpression(pattern: #"ZizhuError\(\s*(?:code:\s*)?\.[A-Za-z]+\s*,\s*(?:message:\s*)?""#)
        var found: [String] = []
        let range = NSRange(text.startIndex..., in: text)
        for match in pattern.matches(in: text, range: range) {
            guard let at = Range(match.range, in: text) else { continue }
            let lineStart = text[..<at.lowerBound].lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
            if text[lineStart..<at.lowerBound].trimmingCharacters(in: .whitespaces).hasPrefix("//") { continue }
            let line = text[..<at.lowerBound].reduce(into: 1) { count, character in if character == "\n" { count += 1 } }
            found.append("\(file):\(line)")
        }
        return found
    }

    @Test func noErrorIsAnEnglishStringLiteral() throws {
        let sources = Self.root.appendingPathComponent("Sources")
        var offenders: [String] = []
        var scanned = 0
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let url = files?.nextObject() as? URL {
            guard url.pathExtension == "swift" else { continue }
            let relative = String(url.path.dropFirst(Self.root.path.count + 1))
            if Self.allowed.contains(where: { relative.hasPrefix($0.folder) }) { continue }
            scanned += 1
            offenders += try Self.literalErrors(in: String(contentsOf: url, encoding: .utf8), file: relative)
        }
        #expect(scanned > 100, "the scan found only \(scanned) source files under \(sources.path)")
        #expect(offenders.isEmpty, """
            \(offenders.count) errors are English string literals; give them catalogue words \
            (ZizhuError(.code, Message("key", …), hint: Message(…)) with an entry in Sources/ZizhuCore/Text/Catalogue+*.swift):
            \(offenders.sorted().joined(separator: "\n"))
            """)
    }

    /// The scan itself: a literal is found on one line or the next, with or without `code:`; catalogue
    /// words, a message in a variable and a commented-out call are not.
    @Test func theScanFindsLiteralsAndOnlyThem() throws {
        let text = """
            throw ZizhuError(.usage, "no files")
            throw ZizhuError(
                .archive,
                "split over lines", at: position)
            throw ZizhuError(code: .output, "with a label")
            throw ZizhuError(.usage, Message("error.validate.noFiles"))
            throw ZizhuError(.csvSyntax, message, at: position)
            // throw ZizhuError(.usage, "in a comment")
            """
        #expect(try Self.literalErrors(in: text, file: "F.swift") == ["F.swift:1", "F.swift:2", "F.swift:5"])
    }
}
