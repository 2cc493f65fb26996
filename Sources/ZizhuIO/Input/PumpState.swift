import Foundation
import ZizhuCore

/// Bytes delivered so far by all the entries of one archive, held to `maxTotalBytes`.
///
/// Shared by the `ByteInput`s opened from one archive (they may be read on different threads).
/// Reading an entry twice counts it twice: the cap is on work done, not on the archive's size.
final class ArchiveBudget: @unchecked Sendable {
    private let lock = NSLock()
    private var used: Int64 = 0
    let limit: Int64

    init(limit: Int64) {
        self.limit = limit
    }

    /// Adds `count` bytes; false once the total passes the limit.
    func spend(_ count: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        used += Int64(count)
        return used <= limit
    }
}

/// Running totals of one `pump`, shared by its stages: how much compressed input the outermost
/// layer consumed and how much output was delivered, so the caps see the real flow.
final class PumpState {
    let position: InputPosition
    let limits: ArchiveLimits
    let budget: ArchiveBudget?
    /// Compressed (or raw) bytes consumed by the outermost layer.
    var rawConsumed: Int64 = 0
    /// Bytes delivered to the sink: the offset in the decompressed stream.
    private(set) var produced: Int64 = 0
    /// True once a decompression layer is active: only then do the caps apply.
    var decompressing = false

    init(position: InputPosition, limits: ArchiveLimits, budget: ArchiveBudget?) {
        self.position = position
        self.limits = limits
        self.budget = budget
    }

    func positionAt(_ offset: Int64) -> InputPosition {
        var result = position
        result.byteOffset = offset
        return result
    }

    /// Hands `piece` to the sink after checking the caps on the output so far.
    func deliver(_ piece: UnsafeRawBufferPointer, _ sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard piece.count > 0 else { return }
        produced += Int64(piece.count)
        if decompressing {
            try checkCaps()
            if let budget, !budget.spend(piece.count) {
                throw ZizhuError(.limitExceeded,
                                 "the archive's entries together inflate past \(limits.maxTotalBytes) bytes",
                                 at: positionAt(produced),
                                 hint: "this looks like a decompression bomb; if the data is genuine, raise the archive total limit")
            }
        }
        try sink(piece)
    }

    private func checkCaps() throws {
        if produced > limits.maxEntryBytes {
            throw ZizhuError(.limitExceeded,
                             "decompressed data passes \(limits.maxEntryBytes) bytes",
                             at: positionAt(produced),
                             hint: "this looks like a decompression bomb; if the file is genuine, split it or raise the entry size limit")
        }
        let (bound, overflow) = limits.maxRatio.multipliedReportingOverflow(by: max(rawConsumed, 1))
        if produced > ArchiveLimits.ratioGraceBytes && !overflow && produced > bound {
            throw ZizhuError(.limitExceeded,
                             "\(rawConsumed) compressed bytes inflate to \(produced) bytes, a ratio over \(limits.maxRatio)",
                             at: positionAt(produced),
                             hint: "real CSV data compresses less than 20:1; this looks like a decompression bomb")
        }
    }
}
