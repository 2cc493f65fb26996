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
                throw ZizhuError(.limitExceeded,
                                 "the entry inflates past the \(declared) bytes its header declares",
                                 at: state.positionAt(state.produced),
                                 hint: "the archive's headers lie (a zip bomb technique); do not trust this archive")
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
                        throw ZizhuError(.archive, "the entry's deflate data ends before its declared compressed size",
                                         at: state.positionAt(state.produced),
                                         hint: "the archive is damaged; create it again")
                    }
                }
            }
            if !ended && !(location.compressedSize == 0 && declared == 0) { throw cutShort() }
        default:
            throw ZizhuError(.archive, "compression method \(location.method) is not supported (only stored and deflate)",
                             at: position, hint: "create the zip again with ordinary (deflate) compression")
        }
        if produced != declared {
            throw ZizhuError(.archive, "the entry holds \(produced) bytes but its header declares \(declared)",
                             at: state.positionAt(state.produced), hint: "the archive is damaged; create it again")
        }
        if crc != location.crc32 {
            throw ZizhuError(.archive, "CRC-32 mismatch: the entry's data is damaged",
                             at: state.positionAt(state.produced), hint: "the archive is damaged; create it again")
        }
        if unwrapsGzip { try inner.finish(sink) }
    }

    private func cutShort() -> ZizhuError {
        ZizhuError(.truncated, "the entry's compressed data is cut short", at: state.positionAt(state.produced),
                   hint: "the archive was cut short (an interrupted download or copy); fetch it again")
    }

    private func zlibError(_ failure: ZlibFailure) -> ZizhuError {
        switch failure {
        case .corrupt(let message):
            return ZizhuError(.archive, "corrupt deflate data in the entry: \(message)",
                              at: state.positionAt(state.produced), hint: "the archive is damaged; create it again")
        case .outOfMemory:
            return ZizhuError(.ioFailure, "out of memory while inflating", at: state.positionAt(state.produced))
        case .internalError(let code):
            return ZizhuError(.ioFailure, "zlib failed with status \(code)", at: state.positionAt(state.produced))
        }
    }
}
