import Foundation

/// The byte-level normalizer every text field goes through before any rule (contract §4 "Text").
///
/// Steps: strip Excel's `="…"` wrapper or one leading apostrophe; fold full-width ASCII
/// (U+FF01–U+FF5E) to ASCII and U+3000 to a space; treat white space per `Mode` (space, tab,
/// CR/LF inside cells, U+00A0, U+3000 and the other Unicode spaces; zero-width spaces and a stray
/// BOM are removed); then NFC.
///
/// The fast path — input whose characters are ASCII, CJK ideographs, CJK punctuation, full-width
/// forms or precomposed Latin (all unchanged by NFC) — is one pass that appends straight into
/// `output` and allocates nothing beyond `output`'s own growth. Anything else (a combining accent,
/// Hangul, invalid UTF-8) is mapped the same way and then composed by Foundation's
/// `precomposedStringWithCanonicalMapping`; invalid UTF-8 becomes U+FFFD there.
public enum TextNormalizer {
    /// How white space and name punctuation are treated.
    public enum Mode: Sendable, Hashable {
        /// Trim, and collapse every inner run of white space to one ASCII space.
        case text
        /// A person's name (姓名): remove all white space; the separator dots `•` `・` `‧` `．`
        /// (and the `.` that `．` folds to) become `·` (U+00B7); Latin letters are upper-cased.
        case name
        /// Remove all white space: ids, account numbers, codes.
        case compact
    }

    /// Appends the normalized form of `input` to `output`.
    public static func normalize(_ input: UnsafeBufferPointer<UInt8>, mode: Mode, into output: inout [UInt8]) {
        let start = output.count
        let needsComposition = map(input, mode: mode, into: &output)
        guard needsComposition else { return }
        compose(from: start, mode: mode, in: &output)
    }

    /// Normalizes a string (configuration values, headers, tests: not the hot path).
    public static func normalize(_ text: String, mode: Mode) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        text.withUTF8Buffer { normalize($0, mode: mode, into: &output) }
        return String(decoding: output, as: UTF8.self)
    }

    /// The key a header title is matched by against schema aliases: normalized like `.compact`
    /// (width-folded, NFC, all white space removed), a required-field marker `*` removed at either
    /// end, a trailing bracketed unit removed (`金额(元)`, `金额（元）`, `金额[元]`, `金额【元】`),
    /// Latin lower-cased. `headerKey("金额（元）*") == headerKey("金额")`. A title that is only a
    /// bracket (`(元)`) keeps it.
    public static func headerKey(_ title: String) -> String {
        var key = Array(normalize(title, mode: .compact).unicodeScalars)
        var changed = true
        while changed && !key.isEmpty {
            changed = false
            while let last = key.last, last == "*" || last == "\u{FF0A}" {
                key.removeLast()
                changed = true
            }
            while let first = key.first, first == "*" || first == "\u{FF0A}" {
                key.removeFirst()
                changed = true
            }
            if let last = key.last, let open = openingBracket(for: last),
               let openIndex = key.lastIndex(of: open), openIndex > 0 {
                key.removeSubrange(openIndex...)
                changed = true
            }
        }
        var scalars = String.UnicodeScalarView()
        for scalar in key {
            if ("A"..."Z").contains(scalar), let lower = Unicode.Scalar(scalar.value + 0x20) {
                scalars.append(lower)
            } else {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    private static func openingBracket(for closing: Unicode.Scalar) -> Unicode.Scalar? {
        switch closing {
        case ")": return "("
        case "]": return "["
        case "\u{3011}": return "\u{3010}"   // 【】
        case "\u{3015}": return "\u{3014}"   // 〔〕
        case "\u{300B}": return "\u{300A}"   // 《》
        default: return nil
        }
    }

    // MARK: - The mapping pass

    /// The part of `input` that `normalize(_:mode:into:)` would write unchanged, when it would
    /// change nothing but strip surrounding white space and an Excel wrapper (`="…"`, `'…`); nil
    /// when it must map or compose something. Lets a parser read a plain cell in place, with no copy:
    /// `normalize` writes exactly `input[unchangedRange(input, mode: m)!]` whenever this is not nil.
    public static func unchangedRange(_ input: UnsafeBufferPointer<UInt8>, mode: Mode) -> Range<Int>? {
        let (index, end) = unwrapped(input)
        return isPlainASCII(input, from: index, to: end, mode: mode) ? index..<end : nil
    }

    /// Bounds without surrounding white space and Excel's ="0123" (keeps leading zeros) or
    /// '0123 (text prefix).
    @inline(__always)
    private static func unwrapped(_ input: UnsafeBufferPointer<UInt8>) -> (Int, Int) {
        let bounds = input.trimmedBounds()
        var index = bounds.lowerBound
        var end = bounds.upperBound
        if end - index >= 3, input[index] == ASCII.equals, input[index + 1] == ASCII.quote,
           input[end - 1] == ASCII.quote {
            index += 2
            end -= 1
        } else if index < end, input[index] == ASCII.apostrophe {
            index += 1
        }
        return (index, end)
    }

    /// Maps `input` into `output` (wrapper, width, white space, name punctuation) and returns
    /// true when the result still needs canonical composition.
    private static func map(_ input: UnsafeBufferPointer<UInt8>, mode: Mode, into output: inout [UInt8]) -> Bool {
        let bounds = unwrapped(input)
        var index = bounds.0
        let end = bounds.1
        if isPlainASCII(input, from: index, to: end, mode: mode) {
            // The common case (codes, numbers, dates, Chinese and Latin text): nothing to change, one copy.
            output.append(contentsOf: UnsafeBufferPointer(rebasing: input[index..<end]))
            return false
        }

        var writer = Writer(mode: mode)
        while index < end {
            let lead = input[index]
            if lead < 0x80 {
                writer.ascii(lead, into: &output)
                index += 1
                continue
            }
            guard let (scalar, width) = decodeScalar(input, at: index, end: end) else {
                // Invalid UTF-8: keep the byte; composition turns it into U+FFFD.
                writer.raw(input[index], into: &output)
                writer.needsComposition = true
                index += 1
                continue
            }
            if mode == .name, isNameDot(scalar) {
                writer.middleDot(into: &output)
                index += width
                continue
            }
            switch scalar {
            case 0xFF01...0xFF5E:
                writer.ascii(UInt8(scalar - 0xFEE0), into: &output)
            case 0x00A0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
                writer.space()
            case 0x200B, 0x2060, 0xFEFF:
                break   // zero-width space, word joiner, stray BOM
            default:
                writer.copy(input, from: index, count: width, into: &output)
                if !isCompositionStable(scalar) || (mode == .name && isNonASCIILatin(scalar)) {
                    writer.needsComposition = true
                }
            }
            index += width
        }
        return writer.needsComposition
    }

    /// True when `input[start..<end]` is printable ASCII or CJK ideographs that `mode` leaves
    /// exactly as they are: no white space other than single inner spaces (text mode only), and
    /// for names no lower-case letter and no dot.
    private static func isPlainASCII(_ input: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, mode: Mode) -> Bool {
        var previousWasSpace = true   // so that a leading space fails
        var index = start
        while index < end {
            let byte = input[index]
            index += 1
            // CJK unified ideographs U+4000–U+9FFF (lead bytes E4–E9): NFC-stable and never
            // mapped, so Chinese names, schools and codes stay on this one-pass path too.
            if byte >= 0xE4, byte <= 0xE9 {
                guard index + 1 < end, input[index] & 0xC0 == 0x80, input[index + 1] & 0xC0 == 0x80 else { return false }
                index += 2
                previousWasSpace = false
                continue
            }
            if byte == ASCII.space {
                if mode != .text || previousWasSpace { return false }
                previousWasSpace = true
                continue
            }
            guard byte > ASCII.space, byte < 0x7F else { return false }
            if mode == .name, byte == ASCII.dot || (byte >= 0x61 && byte <= 0x7A) { return false }
            previousWasSpace = false
        }
        return !previousWasSpace || start == end
    }

    /// Accumulates output with the white-space policy of one mode.
    private struct Writer {
        let mode: Mode
        var pendingSpace = false
        var wroteAny = false
        var needsComposition = false

        init(mode: Mode) { self.mode = mode }

        mutating func space() {
            pendingSpace = true
        }

        /// Called before any non-space output: writes the single collapsed space in text mode.
        mutating func beginCharacter(into output: inout [UInt8]) {
            if pendingSpace, wroteAny, mode == .text { output.append(ASCII.space) }
            pendingSpace = false
            wroteAny = true
        }

        mutating func ascii(_ byte: UInt8, into output: inout [UInt8]) {
            switch byte {
            case ASCII.space, ASCII.tab, ASCII.cr, ASCII.lf, 0x0B, 0x0C:
                space()
            case ASCII.dot where mode == .name:
                middleDot(into: &output)
            case 0x61...0x7A where mode == .name:
                beginCharacter(into: &output)
                output.append(byte - 0x20)
            default:
                beginCharacter(into: &output)
                output.append(byte)
            }
        }

        mutating func middleDot(into output: inout [UInt8]) {
            beginCharacter(into: &output)
            output.append(0xC2)
            output.append(0xB7)
        }

        mutating func raw(_ byte: UInt8, into output: inout [UInt8]) {
            beginCharacter(into: &output)
            output.append(byte)
        }

        mutating func copy(_ input: UnsafeBufferPointer<UInt8>, from index: Int, count: Int, into output: inout [UInt8]) {
            beginCharacter(into: &output)
            for offset in 0..<count { output.append(input[index + offset]) }
        }
    }

    /// Decodes one well-formed UTF-8 scalar of 2–4 bytes at `index`; nil when malformed.
    private static func decodeScalar(_ input: UnsafeBufferPointer<UInt8>, at index: Int, end: Int) -> (UInt32, Int)? {
        let lead = input[index]
        func continuation(_ offset: Int) -> UInt32? {
            guard index + offset < end else { return nil }
            let byte = input[index + offset]
            return byte & 0xC0 == 0x80 ? UInt32(byte & 0x3F) : nil
        }
        switch lead {
        case 0xC2...0xDF:
            guard let c1 = continuation(1) else { return nil }
            return (UInt32(lead & 0x1F) << 6 | c1, 2)
        case 0xE0...0xEF:
            guard let c1 = continuation(1), let c2 = continuation(2) else { return nil }
            let scalar = UInt32(lead & 0x0F) << 12 | c1 << 6 | c2
            guard scalar >= 0x800, !(0xD800...0xDFFF).contains(scalar) else { return nil }
            return (scalar, 3)
        case 0xF0...0xF4:
            guard let c1 = continuation(1), let c2 = continuation(2), let c3 = continuation(3) else { return nil }
            let scalar = UInt32(lead & 0x07) << 18 | c1 << 12 | c2 << 6 | c3
            guard (0x10000...0x10FFFF).contains(scalar) else { return nil }
            return (scalar, 4)
        default:
            return nil
        }
    }

    /// Scalars that NFC leaves alone whatever surrounds them (canonical combining class 0, never
    /// composed with a neighbour, no canonical decomposition). Deliberately a short list of the
    /// ranges our data is made of; everything else takes the slow path, which is always correct.
    private static func isCompositionStable(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x00A1...0x02FF,          // Latin-1 supplement, Latin extended A/B, IPA, modifier letters
             0x2010...0x2027, 0x2030...0x205E,   // general punctuation
             0x3001...0x3029, 0x3030...0x303F,   // CJK symbols and punctuation (not the 302A–302F marks)
             0x30FB, 0x30FC,           // katakana middle dot, prolonged sound mark
             0x3400...0x4DBF,          // CJK extension A
             0x4E00...0x9FFF,          // CJK unified ideographs
             0xFF5F...0xFF64, 0xFFE0...0xFFE6,   // full-width brackets and signs (￥)
             0x20000...0x2F7FF,        // CJK extensions B–F
             0x30000...0x323AF:        // CJK extensions G–H
            return true
        default:
            return false
        }
    }

    /// Separator dots seen between the parts of a name: • ‧ ・ ･ ∙ ⋅ and · itself.
    private static func isNameDot(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x00B7, 0x2022, 0x2027, 0x2219, 0x22C5, 0x30FB, 0xFF65: return true
        default: return false
        }
    }

    private static func isNonASCIILatin(_ scalar: UInt32) -> Bool {
        (0x00C0...0x024F).contains(scalar) && scalar != 0x00D7 && scalar != 0x00F7
    }

    // MARK: - The slow path

    /// Replaces `output[start...]` by its NFC form (and, for names, upper-cases Latin letters
    /// beyond ASCII, which only now are composed).
    private static func compose(from start: Int, mode: Mode, in output: inout [UInt8]) {
        let mapped = String(decoding: output[start...], as: UTF8.self)
        output.removeSubrange(start...)
        let composed = mapped.precomposedStringWithCanonicalMapping
        guard mode == .name else {
            output.append(contentsOf: composed.utf8)
            return
        }
        for scalar in composed.unicodeScalars {
            if isNonASCIILatin(scalar.value) {
                // Upper-case letter by letter; ß becomes SS as in Unicode's full mapping.
                output.append(contentsOf: String(scalar).uppercased().precomposedStringWithCanonicalMapping.utf8)
            } else {
                output.append(contentsOf: String(scalar).utf8)
            }
        }
    }
}
