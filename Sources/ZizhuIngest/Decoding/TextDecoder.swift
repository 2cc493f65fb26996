import ZizhuCore
import ZizhuIO
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A byte sequence that does not fit the encoding, before it is given a line number.
struct DecodeFailure: Error {
    /// Offset of the first offending byte in the source stream.
    var sourceOffset: Int64
    var message: Message
    var hint: Message
    /// Line breaks between the text already handed on and the offending byte (when the byte was
    /// found in the look-ahead window, before that text was parsed).
    var breaksBefore = 0
}

/// Turns source bytes in any supported encoding into UTF-8, chunk by chunk, deciding the
/// encoding from the bytes themselves.
///
/// The rule: a byte-order mark decides (UTF-8 BOM stripped; UTF-16LE/BE converted). Without
/// one, ASCII reads the same in UTF-8 and GB18030, so ASCII flows through undecided; the first
/// byte ≥ 0x80 triggers the decision, made over that byte and up to 1 MiB after it (buffered
/// when needed): valid UTF-8 → UTF-8, else valid GB18030 → GB18030, else `.invalidEncoding`.
/// This is a decision from the text's own bytes wherever they start — not a fixed sample at the
/// head of the file, which a roster with 2 MiB of ASCII before the first name would fool.
/// After the decision, any byte that does not fit is an error at its source offset.
/// Two ASCII characters with NUL partners (`a\0b\0`) and no BOM are taken as BOM-less UTF-16.
final class TextDecoder {
    static let lookaheadBytes = 1 << 20

    private enum Mode {
        case sniffing
        case ascii
        case lookahead
        case utf8
        case transcoding
    }

    let offsets = SourceOffsetMap()
    private let forced: TextEncoding?
    private var mode = Mode.sniffing
    /// The encoding found; nil until decided (pure ASCII stays undecided and reports UTF-8).
    private(set) var decided: TextEncoding?
    private(set) var sourceBytes: Int64 = 0
    private var decodedBytes: Int64 = 0

    private var head: [UInt8] = []
    private var window: [UInt8] = []
    private var windowStart: Int64 = 0
    private var carry: [UInt8] = []
    private var carryOffset: Int64 = 0
    private var converter: IconvConverter?
    private var unit = 1
    private var bigEndian = false
    private var staging: [UInt8] = []
    private var output: UnsafeMutableRawBufferPointer

    init(forced: TextEncoding?) {
        self.forced = forced
        output = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 64)
    }

    deinit {
        output.deallocate()
    }

    var encoding: TextEncoding { decided ?? forced ?? .utf8 }

    // MARK: feeding

    func push(_ chunk: UnsafeRawBufferPointer, _ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard chunk.count > 0 else { return }
        let base = sourceBytes
        sourceBytes += Int64(chunk.count)
        if case .sniffing = mode {
            let need = 4 - head.count
            if head.isEmpty && chunk.count >= 4 {
                let skip = try sniff(Array(chunk.prefix(4)), atEnd: false)
                try dispatch(UnsafeRawBufferPointer(rebasing: chunk[skip...]), base: base + Int64(skip), final: false, emit)
                return
            }
            let take = min(need, chunk.count)
            head.append(contentsOf: chunk.prefix(take))
            guard head.count >= 4 else { return }
            let skip = try sniff(head, atEnd: false)
            let buffered = head
            head = []
            if skip < buffered.count {
                try buffered.withUnsafeBytes {
                    try dispatch(UnsafeRawBufferPointer(rebasing: $0[skip...]), base: Int64(skip), final: false, emit)
                }
            }
            try dispatch(UnsafeRawBufferPointer(rebasing: chunk[take...]), base: base + Int64(take), final: false, emit)
            return
        }
        try dispatch(chunk, base: base, final: false, emit)
    }

    func finish(_ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        if case .sniffing = mode {
            let skip = try sniff(head, atEnd: true)
            let buffered = head
            head = []
            if skip < buffered.count {
                try buffered.withUnsafeBytes {
                    try dispatch(UnsafeRawBufferPointer(rebasing: $0[skip...]), base: Int64(skip), final: true, emit)
                }
            }
        }
        switch mode {
        case .lookahead:
            try decide(final: true, emit)
        default:
            break
        }
        if !carry.isEmpty {
            let name = mode == .utf8 ? "UTF-8" : encoding.rawValue
            throw DecodeFailure(sourceOffset: carryOffset, message: Message("error.encoding.cut", ["encoding": name]),
                                hint: Message("error.encoding.cut.hint"))
        }
    }

    private func dispatch(_ bytes: UnsafeRawBufferPointer, base: Int64, final: Bool,
                          _ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard bytes.count > 0 else { return }
        switch mode {
        case .sniffing, .ascii:
            try pushASCII(bytes, base: base, emit)
        case .lookahead:
            window.append(contentsOf: bytes)
            if window.count >= Self.lookaheadBytes { try decide(final: false, emit) }
        case .utf8:
            try pushUTF8(bytes, base: base, emit)
        case .transcoding:
            try pushTranscoding(bytes, base: base, emit)
        }
    }

    private func send(_ text: UnsafeRawBufferPointer, _ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard text.count > 0 else { return }
        decodedBytes += Int64(text.count)
        try emit(text)
    }

    // MARK: byte-order mark

    /// Decides what the first bytes say; returns how many to skip (the BOM).
    private func sniff(_ first: [UInt8], atEnd: Bool) throws -> Int {
        let hasUTF8BOM = first.count >= 3 && first[0] == 0xEF && first[1] == 0xBB && first[2] == 0xBF
        let hasLE = first.count >= 2 && first[0] == 0xFF && first[1] == 0xFE
        let hasBE = first.count >= 2 && first[0] == 0xFE && first[1] == 0xFF
        var skip = 0
        switch forced {
        case .utf8?, .utf8BOM?:
            skip = hasUTF8BOM ? 3 : 0
            decided = hasUTF8BOM ? .utf8BOM : .utf8
            mode = .utf8
        case .gb18030?:
            try startTranscoding(.gb18030)
        case .utf16LE?:
            skip = hasLE ? 2 : 0
            try startTranscoding(.utf16LE)
        case .utf16BE?:
            skip = hasBE ? 2 : 0
            try startTranscoding(.utf16BE)
        case nil:
            if hasUTF8BOM {
                skip = 3
                decided = .utf8BOM
                mode = .utf8
            } else if hasLE {
                skip = 2
                try startTranscoding(.utf16LE)
            } else if hasBE {
                skip = 2
                try startTranscoding(.utf16BE)
            } else if first.count >= 4, Self.isASCIIText(first[0]), first[1] == 0, Self.isASCIIText(first[2]), first[3] == 0 {
                try startTranscoding(.utf16LE)
            } else if first.count >= 4, first[0] == 0, Self.isASCIIText(first[1]), first[2] == 0, Self.isASCIIText(first[3]) {
                try startTranscoding(.utf16BE)
            } else {
                mode = .ascii
            }
        }
        offsets.setTextStart(Int64(skip))
        if case .transcoding = mode { offsets.startQueue(atDecoded: 0, unit: unit) }
        return skip
    }

    /// Line breaks in `bytes` (CRLF counts once), for the line of an error in the window.
    static func lineBreaks(in bytes: ArraySlice<UInt8>) -> Int {
        var count = 0
        var previous: UInt8 = 0
        for byte in bytes {
            if byte == 0x0D || (byte == 0x0A && previous != 0x0D) { count += 1 }
            previous = byte
        }
        return count
    }

    private static func isASCIIText(_ byte: UInt8) -> Bool { byte >= 0x09 && byte < 0x80 }

    private func startTranscoding(_ encoding: TextEncoding) throws {
        do {
            converter = try IconvConverter(from: encoding.rawValue, to: "UTF-8")
        } catch {
            throw DecodeFailure(sourceOffset: 0, message: Message("error.encoding.unsupported", ["encoding": encoding.rawValue]),
                                hint: Message("error.encoding.unsupported.hint"))
        }
        decided = encoding
        unit = encoding == .gb18030 ? 1 : 2
        bigEndian = encoding == .utf16BE
        mode = .transcoding
    }

    // MARK: undecided ASCII and the decision

    private func pushASCII(_ bytes: UnsafeRawBufferPointer, base: Int64,
                           _ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let raw = bytes.baseAddress else { return }
        let p = raw.assumingMemoryBound(to: UInt8.self)
        let n = bytes.count
        var i = 0
        while i + 8 <= n && (raw + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
        while i < n && p[i] < 0x80 { i += 1 }
        try send(UnsafeRawBufferPointer(rebasing: bytes[0..<i]), emit)
        guard i < n else { return }
        mode = .lookahead
        windowStart = base + Int64(i)
        window.reserveCapacity(Self.lookaheadBytes + n)
        window.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[i...]))
        if window.count >= Self.lookaheadBytes { try decide(final: false, emit) }
    }

    private func decide(final: Bool, _ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        let width = min(window.count, Self.lookaheadBytes)
        // Only a window that reaches the end of the input may not end inside a character.
        let reachesEnd = final && window.count <= Self.lookaheadBytes
        let utf8 = window.withUnsafeBytes { UTF8Validator.validate(UnsafeRawBufferPointer(rebasing: $0[0..<width])) }
        let utf8Bad: Int? = utf8.invalidAt ?? (reachesEnd && utf8.incompleteTail > 0 ? width - utf8.incompleteTail : nil)
        let pending = window
        let start = windowStart
        window = []
        guard let utf8Bad else {
            decided = .utf8
            mode = .utf8
            try pending.withUnsafeBytes { try pushUTF8($0, base: start, emit) }
            return
        }
        let gbBad = try firstInvalidGB18030(pending, width: width, reachesEnd: reachesEnd)
        guard let gbBad else {
            try startTranscoding(.gb18030)
            offsets.startQueue(atDecoded: decodedBytes, unit: 1)
            try pending.withUnsafeBytes { try pushTranscoding($0, base: start, emit) }
            return
        }
        let worst = max(utf8Bad, gbBad)
        throw DecodeFailure(sourceOffset: start + Int64(worst),
                            message: Message("error.encoding.neither", ["utf8": "\(start + Int64(utf8Bad))", "gb": "\(start + Int64(gbBad))"]),
                            hint: Message("error.encoding.neither.hint"),
                            breaksBefore: Self.lineBreaks(in: pending[0..<worst]))
    }

    private func firstInvalidGB18030(_ bytes: [UInt8], width: Int, reachesEnd: Bool) throws -> Int? {
        guard let probe = try? IconvConverter(from: "GB18030", to: "UTF-8") else {
            throw DecodeFailure(sourceOffset: windowStart, message: Message("error.encoding.unsupported", ["encoding": "GB18030"]),
                                hint: Message("error.encoding.unsupported.hint"))
        }
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { scratch.deallocate() }
        return bytes.withUnsafeBytes { all -> Int? in
            var position = 0
            while position < width {
                let step = probe.step(UnsafeRawBufferPointer(rebasing: all[position..<width]), into: scratch)
                position += step.consumed
                switch step.stop {
                case .finished: return nil
                case .outputFull: continue
                case .incomplete: return reachesEnd ? position : nil
                case .invalid: return position
                }
            }
            return nil
        }
    }

    // MARK: UTF-8

    private func pushUTF8(_ bytes: UnsafeRawBufferPointer, base: Int64,
                          _ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        var start = 0
        if !carry.isEmpty {
            // Complete the character cut by the previous chunk, byte by byte if chunks are tiny.
            let lead = carry[0]
            let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
            let take = min(length - carry.count, bytes.count)
            carry.append(contentsOf: bytes.prefix(take))
            let check = carry.withUnsafeBytes { UTF8Validator.validate($0) }
            if let bad = check.invalidAt { throw invalidUTF8(at: carryOffset + Int64(bad)) }
            if check.incompleteTail > 0 { return }
            let complete = carry
            carry = []
            try complete.withUnsafeBytes { try send($0, emit) }
            start = take
        }
        let rest = UnsafeRawBufferPointer(rebasing: bytes[start...])
        let check = UTF8Validator.validate(rest)
        if let bad = check.invalidAt {
            try send(UnsafeRawBufferPointer(rebasing: rest[0..<bad]), emit)
            throw invalidUTF8(at: base + Int64(start + bad))
        }
        let good = rest.count - check.incompleteTail
        try send(UnsafeRawBufferPointer(rebasing: rest[0..<good]), emit)
        if check.incompleteTail > 0 {
            carry = Array(rest[good...])
            carryOffset = base + Int64(start + good)
        }
    }

    private func invalidUTF8(at offset: Int64) -> DecodeFailure {
        DecodeFailure(sourceOffset: offset, message: Message("error.encoding.invalidByte", ["byte": "\(offset)", "encoding": "UTF-8"]),
                      hint: Message("error.encoding.invalidByte.hint"))
    }

    // MARK: GB18030 and UTF-16 through iconv

    private func pushTranscoding(_ bytes: UnsafeRawBufferPointer, base: Int64,
                                 _ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let converter else { return }
        if carry.isEmpty {
            try transcode(bytes, base: base, converter, emit)
            return
        }
        // A character was cut by the previous chunk: convert the tail with this chunk.
        staging.removeAll(keepingCapacity: true)
        staging.append(contentsOf: carry)
        staging.append(contentsOf: bytes)
        let stagingBase = carryOffset
        carry = []
        let joined = staging
        try joined.withUnsafeBytes { try transcode($0, base: stagingBase, converter, emit) }
    }

    private func transcode(_ input: UnsafeRawBufferPointer, base: Int64, _ converter: IconvConverter,
                           _ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        let wanted = input.count + input.count / 2 + 64
        if output.count < wanted {
            output.deallocate()
            output = UnsafeMutableRawBufferPointer.allocate(byteCount: wanted, alignment: 64)
        }
        var position = 0
        while position < input.count {
            let step = converter.step(UnsafeRawBufferPointer(rebasing: input[position...]), into: output)
            recordBreaks(UnsafeRawBufferPointer(rebasing: input[position..<(position + step.consumed)]),
                         base: base + Int64(position))
            try send(UnsafeRawBufferPointer(rebasing: output[0..<step.produced]), emit)
            position += step.consumed
            switch step.stop {
            case .finished:
                continue
            case .outputFull:
                if step.consumed == 0 && step.produced == 0 {
                    let larger = output.count * 2
                    output.deallocate()
                    output = UnsafeMutableRawBufferPointer.allocate(byteCount: larger, alignment: 64)
                }
            case .incomplete:
                carry = Array(input[position...])
                carryOffset = base + Int64(position)
                return
            case .invalid:
                let name = decided?.rawValue ?? "GB18030"
                throw DecodeFailure(sourceOffset: base + Int64(position),
                                    message: Message("error.encoding.invalidByte", ["byte": "\(base + Int64(position))", "encoding": name]),
                                    hint: Message("error.encoding.invalidByte.hint"))
            }
        }
    }

    /// Queues the source offset of every CR and LF unit in `bytes` (whole units: for UTF-16 the
    /// converted range always starts on a unit boundary).
    private func recordBreaks(_ bytes: UnsafeRawBufferPointer, base: Int64) {
        guard let raw = bytes.baseAddress, bytes.count > 0 else { return }
        let p = raw.assumingMemoryBound(to: UInt8.self)
        if unit == 1 {
            var i = 0
            let n = bytes.count
            var nextLF = -1
            var nextCR = -1
            while i < n {
                if nextLF < i { nextLF = Self.find(0x0A, p, from: i, count: n) }
                if nextCR < i { nextCR = Self.find(0x0D, p, from: i, count: n) }
                let next = min(nextLF, nextCR)
                if next >= n { break }
                offsets.push(base + Int64(next))
                i = next + 1
            }
            return
        }
        var i = 0
        while i + 1 < bytes.count {
            let (low, high) = bigEndian ? (p[i + 1], p[i]) : (p[i], p[i + 1])
            if high == 0 && (low == 0x0A || low == 0x0D) { offsets.push(base + Int64(i)) }
            i += 2
        }
    }

    @inline(__always)
    static func find(_ byte: UInt8, _ p: UnsafePointer<UInt8>, from: Int, count: Int) -> Int {
        guard let hit = memchr(p + from, Int32(byte), count - from) else { return count }
        return UnsafeRawPointer(hit) - UnsafeRawPointer(p)
    }
}
