import ZizhuCore

/// The stage that looks at the first bytes of a stream and gunzips it when they are the gzip
/// magic `1f 8b`; other bytes pass through untouched.
///
/// Gzip files may hold several members one after the other (`cat a.gz b.gz`, pigz, bgzip):
/// after each member's end the inflater is reset for the next. Zero bytes after the last member
/// (tape padding) are ignored; anything else there is corrupt data. Input that ends inside a
/// member is `.truncated`, a CRC mismatch is `.archive`.
final class GzipSniffer {
    private enum Mode {
        case sniffing
        case plain
        case gzipMember
        case betweenMembers
        case zeroPadding
    }

    private let state: PumpState
    private let chunkSize: Int
    /// True when this stage reads the file itself (not the output of a zip entry): it then
    /// reports the compressed bytes it consumed, for the ratio cap.
    private let isOutermost: Bool
    /// A zip cannot be streamed (its directory is at the end): refuse it with a clear message.
    private let refusesZip: Bool
    private var mode = Mode.sniffing
    private var head: [UInt8] = []
    private var inflater: InflateStream?
    private var output: AlignedBuffer?

    init(state: PumpState, chunkSize: Int, isOutermost: Bool, refusesZip: Bool) {
        self.state = state
        self.chunkSize = chunkSize
        self.isOutermost = isOutermost
        self.refusesZip = refusesZip
    }

    private var sniffLength: Int { refusesZip ? 4 : 2 }

    func push(_ bytes: UnsafeRawBufferPointer, _ sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard bytes.count > 0 else { return }
        if case .sniffing = mode {
            if head.isEmpty && bytes.count >= sniffLength {
                try decide(Array(bytes.prefix(sniffLength)))
            } else {
                let take = min(sniffLength - head.count, bytes.count)
                head.append(contentsOf: bytes.prefix(take))
                guard head.count >= sniffLength else { return }
                try decide(head)
                let buffered = head
                head = []
                try buffered.withUnsafeBytes { try process($0, sink) }
                try process(UnsafeRawBufferPointer(rebasing: bytes[take...]), sink)
                return
            }
        }
        try process(bytes, sink)
    }

    func finish(_ sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        if case .sniffing = mode {
            // Fewer bytes than the magic: a short plain file (or a cut gzip header).
            try decide(head)
            let buffered = head
            head = []
            try buffered.withUnsafeBytes { try process($0, sink) }
        }
        if case .gzipMember = mode {
            throw ZizhuError(.truncated,
                             Message("error.gzip.truncated", ["bytes": "\(inflater?.totalIn ?? 0)"]),
                             at: state.positionAt(state.produced),
                             hint: Message("error.gzip.truncated.hint"))
        }
    }

    private func decide(_ magic: [UInt8]) throws {
        if magic.count >= 2 && magic[0] == 0x1f && magic[1] == 0x8b {
            mode = .gzipMember
            state.decompressing = true
            do {
                inflater = try InflateStream(.gzip)
            } catch {
                throw zlibError(error)
            }
            output = AlignedBuffer(capacity: chunkSize)
        } else if refusesZip && magic.count >= 4 && magic[0] == 0x50 && magic[1] == 0x4b
                    && magic[2] == 0x03 && magic[3] == 0x04 {
            throw ZizhuError(.archive, Message("error.gzip.zipStream"),
                             at: state.positionAt(0),
                             hint: Message("error.gzip.zipStream.hint"))
        } else {
            mode = .plain
        }
    }

    private func process(_ bytes: UnsafeRawBufferPointer, _ sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        var rest = bytes
        while rest.count > 0 {
            switch mode {
            case .sniffing, .plain:
                try state.deliver(rest, sink)
                return
            case .zeroPadding:
                if let bad = rest.firstIndex(where: { $0 != 0 }) {
                    throw ZizhuError(.archive, Message("error.gzip.trailing", ["byte": "\((inflater?.totalIn ?? 0) + Int64(bad))"]),
                                     at: state.positionAt(state.produced),
                                     hint: Message("error.gzip.trailing.hint"))
                }
                return
            case .betweenMembers:
                if rest[rest.startIndex] == 0 {
                    mode = .zeroPadding
                    continue
                }
                inflater?.reset()
                mode = .gzipMember
            case .gzipMember:
                guard let inflater, let output else { return }
                let progress: InflateProgress
                do {
                    progress = try inflater.inflate(rest, into: output.mutableBytes) { piece in
                        if isOutermost { state.rawConsumed = inflater.totalIn }
                        try state.deliver(piece, sink)
                    }
                } catch let error as ZlibFailure {
                    throw zlibError(error)
                }
                switch progress {
                case .needsInput:
                    return
                case .streamEnd(let consumed):
                    rest = UnsafeRawBufferPointer(rebasing: rest[consumed...])
                    mode = .betweenMembers
                }
            }
        }
    }

    private func zlibError(_ failure: ZlibFailure) -> ZizhuError {
        switch failure {
        case .corrupt(let message):
            return ZizhuError(.archive, Message("error.gzip.corrupt", ["reason": message]), at: state.positionAt(state.produced),
                              hint: Message("error.gzip.corrupt.hint"))
        case .outOfMemory:
            return ZizhuError(.ioFailure, Message("zlib.decompress.outOfMemory"), at: state.positionAt(state.produced))
        case .internalError(let code):
            return ZizhuError(.ioFailure, Message("zlib.status", ["code": "\(code)"]), at: state.positionAt(state.produced))
        }
    }
}
