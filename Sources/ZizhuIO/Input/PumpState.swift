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
                throw ZizhuError(.limitExceeded, Message("input.bomb.total", ["limit": "\(limits.maxTotalBytes)"]),
                                 at: positionAt(produced), hint: Message("input.bomb.total.hint"))
            }
        }
        try sink(piece)
    }

    private func checkCaps() throws {
        if produced > limits.maxEntryBytes {
            throw ZizhuError(.limitExceeded, Message("input.bomb.entry", ["limit": "\(limits.maxEntryBytes)"]),
                             at: positionAt(produced), hint: Message("input.bomb.entry.hint"))
        }
        let (bound, overflow) = limits.maxRatio.multipliedReportingOverflow(by: max(rawConsumed, 1))
        if produced > ArchiveLimits.ratioGraceBytes && !overflow && produced > bound {
            throw ZizhuError(.limitExceeded,
                             Message("input.bomb.ratio", ["compressed": "\(rawConsumed)", "size": "\(produced)", "ratio": "\(limits.maxRatio)"]),
                             at: positionAt(produced), hint: Message("input.bomb.ratio.hint"))
        }
    }
}
