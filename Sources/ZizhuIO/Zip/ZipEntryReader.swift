import ZizhuCore

/// Streams one zip entry: reads exactly its compressed bytes, inflates them (or copies stored
/// ones), gunzips the result when it is itself gzip (unless `unwrapsGzip` is false: the package
/// verifier hashes the `.csv.gz` entries as stored), and checks size and CRC-32 at the end.
///
/// The entry may not produce more than its central directory declared: a lying header is
/// refused as soon as the bytes pass the declared size, so the caps checked when the archive
/// was opened hold for what really flows.
struct ZipEntryReader {
    let location: ZipEntryLocation
    let state: PumpState
    var unwrapsGzip = true

    func pump(chunkSize: Int, _ sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        let position = state.position
        let file: any ZipByteSource
        if let memory = location.memory {
            file = MemoryZipSource(bytes: memory)
        } else {
            file = try ReadableFile(path: location.archivePath, position: position)
        }
        let input = AlignedBuffer(capacity: chunkSize)
        let inner = GzipSniffer(state: state, chunkSize: chunkSize, isOutermost: false, refusesZip: false)
        state.decompressing = true
        var crc: UInt32 = 0
        var produced: Int64 = 0
        let declared = location.uncompressedSize

        func take(_ piece: UnsafeRawBufferPointer) throws {
            produced += Int64(piece.count)
            if produced > declared {
                throw ZizhuError(.limitExceeded, Message("zip.inflatePast", ["declared": "\(declared)"]),
                                 at: state.positionAt(state.produced), hint: Message("zip.inflatePast.hint"))
            }
            crc = crc32Update(crc, piece)
            if unwrapsGzip {
                try inner.push(piece, sink)
            } else {
                try state.deliver(piece, sink)
            }
        }

        var remaining = location.compressedSize
        var offset = location.dataOffset
        switch location.method {
        case 0:
            while remaining > 0 {
                let want = Int(min(Int64(input.capacity), remaining))
                let got = try file.read(into: UnsafeMutableRawBufferPointer(start: input.pointer, count: want),
                                        at: offset, position: state.positionAt(state.produced))
                if got == 0 { throw cutShort() }
                remaining -= Int64(got)
                offset += Int64(got)
                state.rawConsumed += Int64(got)
                try take(input.prefix(got))
            }
        case 8:
            let inflater: InflateStream
            do { inflater = try InflateStream(.raw) } catch { throw zlibError(error) }
            let output = AlignedBuffer(capacity: chunkSize)
            var ended = false
            while remaining > 0 && !ended {
                let want = Int(min(Int64(input.capacity), remaining))
                let got = try file.read(into: UnsafeMutableRawBufferPointer(start: input.pointer, count: want),
                                        at: offset, position: state.positionAt(state.produced))
                if got == 0 { throw cutShort() }
                remaining -= Int64(got)
                offset += Int64(got)
                let progress: InflateProgress
                do {
                    progress = try inflater.inflate(input.prefix(got), into: output.mutableBytes) { piece in
                        state.rawConsumed = inflater.totalIn
                        try take(piece)
                    }
                } catch let failure as ZlibFailure {
                    throw zlibError(failure)
                }
                if case .streamEnd(let consumed) = progress {
                    ended = true
                    if consumed < got || remaining > 0 {
                        throw ZizhuError(.archive, Message("zip.deflateEndsEarly"), at: state.positionAt(state.produced),
                                         hint: Message("error.zip.damaged.hint"))
                    }
                }
            }
            if !ended && !(location.compressedSize == 0 && declared == 0) { throw cutShort() }
        default:
            throw ZizhuError(.archive, Message("error.zip.method", ["method": "\(location.method)"]),
                             at: position, hint: Message("error.zip.method.hint"))
        }
        if produced != declared {
            throw ZizhuError(.archive, Message("zip.sizeMismatch", ["produced": "\(produced)", "declared": "\(declared)"]),
                             at: state.positionAt(state.produced), hint: Message("error.zip.damaged.hint"))
        }
        if crc != location.crc32 {
            throw ZizhuError(.archive, Message("zip.crc"), at: state.positionAt(state.produced), hint: Message("error.zip.damaged.hint"))
        }
        if unwrapsGzip { try inner.finish(sink) }
    }

    private func cutShort() -> ZizhuError {
        ZizhuError(.truncated, Message("zip.cutShort"), at: state.positionAt(state.produced), hint: Message("zip.cutShort.hint"))
    }

    private func zlibError(_ failure: ZlibFailure) -> ZizhuError {
        switch failure {
        case .corrupt(let message):
            return ZizhuError(.archive, Message("zip.corruptDeflate", ["reason": message]),
                              at: state.positionAt(state.produced), hint: Message("error.zip.damaged.hint"))
        case .outOfMemory:
            return ZizhuError(.ioFailure, Message("zlib.inflate.outOfMemory"), at: state.positionAt(state.produced))
        case .internalError(let code):
            return ZizhuError(.ioFailure, Message("zlib.status", ["code": "\(code)"]), at: state.positionAt(state.produced))
        }
    }
}
