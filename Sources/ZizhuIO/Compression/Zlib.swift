internal import CZlibSystem
internal import CIsal

// The only file that talks to zlib and ISA-L: every other file uses these small wrappers.

/// What went wrong inside zlib, before it is turned into a `ZizhuError` with a position.
enum ZlibFailure: Error {
    /// The compressed bytes are not valid (bad header, bad block, CRC or length mismatch).
    case corrupt(String)
    case outOfMemory
    /// A zlib call failed in a way that cannot come from the data (a bug or a bad parameter).
    case internalError(Int32)
}

/// How a deflate stream is wrapped.
enum DeflateWrapper {
    /// gzip (RFC 1952): header, deflate data, CRC-32 and length.
    case gzip
    /// Bare deflate (RFC 1951), as stored in zip entries.
    case raw

    var windowBits: Int32 {
        switch self {
        case .gzip: return 15 + 16
        case .raw: return -15
        }
    }
}

/// Where an inflate call stopped.
enum InflateProgress {
    /// All input was consumed and the stream goes on: give more input.
    case needsInput
    /// The stream (a gzip member, a zip entry) ended after `consumed` bytes of the input.
    case streamEnd(consumed: Int)
}

/// Which library inflates. ISA-L's igzip (Debian's libisal2, loaded at run time) inflates several
/// times faster than zlib; zlib is the fallback where ISA-L is absent, and the choice everywhere
/// with `ZIZHU_INFLATE=zlib`. Both give the same bytes and the same member ends (tested against
/// each other on every chunk split).
enum InflateEngine: Sendable {
    case zlib
    case isal

    /// ISA-L when this process can use it, else zlib.
    static var preferred: InflateEngine { zizhu_isal_available() != 0 ? .isal : .zlib }
}

/// One inflate stream, driven by hand so that we control buffers and members.
final class InflateStream {
    private let engine: Engine
    /// Compressed bytes consumed over the whole life of the stream (across `reset`).
    private(set) var totalIn: Int64 = 0
    private var totalInBeforeReset: Int64 = 0

    private enum Engine {
        case zlib(UnsafeMutablePointer<z_stream>)
        case isal(OpaquePointer)
    }

    init(_ wrapper: DeflateWrapper, engine choice: InflateEngine = .preferred) throws(ZlibFailure) {
        if choice == .isal, let inflater = zizhu_isal_new(wrapper == .gzip ? Int32(ZIZHU_ISAL_GZIP) : Int32(ZIZHU_ISAL_RAW)) {
            engine = .isal(inflater)
            return
        }
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = zizhu_inflateInit2(stream, wrapper.windowBits)
        guard status == Z_OK else {
            stream.deallocate()
            throw status == Z_MEM_ERROR ? .outOfMemory : .internalError(status)
        }
        engine = .zlib(stream)
    }

    deinit {
        switch engine {
        case .zlib(let stream):
            inflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        case .isal(let inflater):
            zizhu_isal_free(inflater)
        }
    }

    /// The library doing the work (ISA-L may be unavailable and zlib used instead).
    var usedEngine: InflateEngine {
        if case .isal = engine { return .isal }
        return .zlib
    }

    /// Starts a new stream with the same settings (the next gzip member).
    func reset() {
        totalInBeforeReset = totalIn
        switch engine {
        case .zlib(let stream): inflateReset(stream)
        case .isal(let inflater): zizhu_isal_reset(inflater)
        }
    }

    /// Inflates `input` into `output`, handing every filled piece of `output` to `body` before
    /// reusing it. `totalIn` is up to date whenever `body` runs.
    func inflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
                 _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> InflateProgress {
        guard input.baseAddress != nil, input.count > 0 else { return .needsInput }
        guard output.baseAddress != nil, output.count > 0 else { throw ZlibFailure.internalError(Z_BUF_ERROR) }
        switch engine {
        case .zlib(let stream): return try inflateZlib(stream, input, output, body)
        case .isal(let inflater): return try inflateISAL(inflater, input, output, body)
        }
    }

    private func inflateISAL(_ inflater: OpaquePointer, _ input: UnsafeRawBufferPointer,
                             _ output: UnsafeMutableRawBufferPointer,
                             _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> InflateProgress {
        guard let inBase = input.baseAddress, let outBase = output.baseAddress else { return .needsInput }
        let outCount = min(output.count, Int(UInt32.max))
        let start = totalIn
        var offset = 0
        while true {
            var consumed = 0
            var produced = 0
            let status = zizhu_isal_inflate(inflater, inBase.assumingMemoryBound(to: UInt8.self) + offset,
                                            input.count - offset, &consumed,
                                            outBase.assumingMemoryBound(to: UInt8.self), outCount, &produced)
            offset += consumed
            totalIn = start + Int64(offset)
            if status < 0 {
                // Damage: this call's output is dropped, as the zlib engine drops it.
                throw ZlibFailure.corrupt(String(cString: zizhu_isal_message(status)))
            }
            if produced > 0 { try body(UnsafeRawBufferPointer(start: outBase, count: produced)) }
            if status == Int32(ZIZHU_ISAL_END) { return .streamEnd(consumed: offset) }
            if produced == outCount { continue }  // output full: more may be pending
            if offset == input.count { return .needsInput }
            // Input left, room for output, no end: ISA-L made no progress. Never spin on it.
            if consumed == 0 && produced == 0 { throw ZlibFailure.internalError(Z_BUF_ERROR) }
        }
    }

    private func inflateZlib(_ stream: UnsafeMutablePointer<z_stream>, _ input: UnsafeRawBufferPointer,
                             _ output: UnsafeMutableRawBufferPointer,
                             _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> InflateProgress {
        guard let inBase = input.baseAddress, let outBase = output.baseAddress else { return .needsInput }
        let outCount = min(output.count, Int(UInt32.max))
        stream.pointee.next_in = UnsafeMutablePointer(mutating: inBase.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(min(input.count, Int(UInt32.max)))
        var remainingBeyondAvail = input.count - Int(stream.pointee.avail_in)
        defer { stream.pointee.next_in = nil; stream.pointee.avail_in = 0 }
        while true {
            let availInBefore = stream.pointee.avail_in
            stream.pointee.next_out = outBase.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(outCount)
            let status = CZlibSystem.inflate(stream, Z_NO_FLUSH)
            totalIn = totalInBeforeReset + Int64(stream.pointee.total_in)
            let produced = outCount - Int(stream.pointee.avail_out)
            switch status {
            case Z_OK, Z_STREAM_END, Z_BUF_ERROR:
                break
            case Z_MEM_ERROR:
                throw ZlibFailure.outOfMemory
            case Z_DATA_ERROR, Z_NEED_DICT:
                throw ZlibFailure.corrupt(message(stream) ?? "invalid compressed data")
            default:
                throw ZlibFailure.internalError(status)
            }
            if produced > 0 { try body(UnsafeRawBufferPointer(start: outBase, count: produced)) }
            if status == Z_STREAM_END {
                let unconsumed = Int(stream.pointee.avail_in) + remainingBeyondAvail
                return .streamEnd(consumed: input.count - unconsumed)
            }
            if stream.pointee.avail_out == 0 { continue }  // output full: more may be pending
            if stream.pointee.avail_in == 0 {
                guard remainingBeyondAvail > 0 else { return .needsInput }
                let more = min(remainingBeyondAvail, Int(UInt32.max))
                stream.pointee.avail_in = uInt(more)
                remainingBeyondAvail -= more
                continue
            }
            // Input left, room for output, no end: zlib made no progress. Never spin on it.
            if produced == 0 && stream.pointee.avail_in == availInBefore {
                throw ZlibFailure.internalError(status)
            }
        }
    }

    private func message(_ stream: UnsafeMutablePointer<z_stream>) -> String? {
        guard let text = stream.pointee.msg else { return nil }
        return String(cString: text)
    }
}

/// One zlib deflate stream with a fixed, reproducible gzip header (mtime 0, no name, OS 255).
final class DeflateStream {
    private let stream: UnsafeMutablePointer<z_stream>
    private let header: UnsafeMutablePointer<gz_header>?

    init(_ wrapper: DeflateWrapper, level: Int32) throws(ZlibFailure) {
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let clamped = max(0, min(9, level))
        let status = zizhu_deflateInit2(stream, clamped, Z_DEFLATED, wrapper.windowBits, 8, Z_DEFAULT_STRATEGY)
        guard status == Z_OK else {
            stream.deallocate()
            throw status == Z_MEM_ERROR ? .outOfMemory : .internalError(status)
        }
        if wrapper == .gzip {
            // zlib's default header records the OS it was built for (3 on Linux, 19 on macOS);
            // fixing it makes the same input give the same bytes everywhere.
            let head = UnsafeMutablePointer<gz_header>.allocate(capacity: 1)
            head.initialize(to: gz_header())
            head.pointee.os = 255
            deflateSetHeader(stream, head)
            header = head
        } else {
            header = nil
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        header?.deinitialize(count: 1)
        header?.deallocate()
    }

    /// Compresses `input` (and, when `finish`, ends the stream), handing output pieces to `body`.
    func deflate(_ input: UnsafeRawBufferPointer, finish: Bool, into output: UnsafeMutableRawBufferPointer,
                 _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let outBase = output.baseAddress, output.count > 0 else { throw ZlibFailure.internalError(Z_BUF_ERROR) }
        let outCount = min(output.count, Int(UInt32.max))
        var offset = 0
        defer { stream.pointee.next_in = nil; stream.pointee.avail_in = 0 }
        repeat {
            let piece = min(input.count - offset, Int(UInt32.max))
            if let base = input.baseAddress, piece > 0 {
                stream.pointee.next_in = UnsafeMutablePointer(mutating: (base + offset).assumingMemoryBound(to: Bytef.self))
            } else {
                stream.pointee.next_in = nil
            }
            stream.pointee.avail_in = uInt(piece)
            offset += piece
            let flush = finish && offset == input.count ? Z_FINISH : Z_NO_FLUSH
            // zlib's contract: call again while it fills the whole output buffer.
            var status: Int32
            repeat {
                stream.pointee.next_out = outBase.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = uInt(outCount)
                status = CZlibSystem.deflate(stream, flush)
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                    throw status == Z_MEM_ERROR ? ZlibFailure.outOfMemory : ZlibFailure.internalError(status)
                }
                let produced = outCount - Int(stream.pointee.avail_out)
                if produced > 0 { try body(UnsafeRawBufferPointer(start: outBase, count: produced)) }
            } while stream.pointee.avail_out == 0
            if flush == Z_FINISH && status != Z_STREAM_END { throw ZlibFailure.internalError(status) }
        } while offset < input.count
    }
}

/// CRC-32 (the one gzip and zip use), continued from `previous`: ISA-L's folded CRC where it is
/// loaded (`InflateEngine.preferred`), else zlib's; the same value either way (tested).
func crc32Update(_ previous: UInt32, _ bytes: UnsafeRawBufferPointer, engine: InflateEngine = .preferred) -> UInt32 {
    guard let base = bytes.baseAddress, bytes.count > 0 else { return previous }
    if engine == .isal {
        var result: UInt32 = 0
        if zizhu_isal_crc32_update(previous, base.assumingMemoryBound(to: UInt8.self), bytes.count, &result) != 0 {
            return result
        }
    }
    var crc = uLong(previous)
    var offset = 0
    while offset < bytes.count {
        let piece = min(bytes.count - offset, Int(UInt32.max))
        crc = CZlibSystem.crc32(crc, (base + offset).assumingMemoryBound(to: Bytef.self), uInt(piece))
        offset += piece
    }
    return UInt32(truncatingIfNeeded: crc)
}
