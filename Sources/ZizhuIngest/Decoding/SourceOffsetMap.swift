/// Maps positions in the decoded UTF-8 text back to byte offsets in the source stream, so that
/// records and errors name the byte a person finds in the file (hex editor, `dd`), whatever the
/// encoding.
///
/// Only line starts are needed, and line breaks map one to one: every CR or LF in the decoded
/// text comes from exactly one CR or LF unit in the source (GB18030 trail bytes never take those
/// values; UTF-16 is read by whole units). Before transcoding starts the map is a shift (the
/// BOM); from then on the decoder queues the source offset of each break it converts and the
/// parser takes them in order.
final class SourceOffsetMap {
    /// Source offset of the first text byte (the BOM's length).
    private(set) var textStart: Int64 = 0
    private var queueStartDecoded = Int64.max
    private var unit: Int64 = 1
    private var queue: [Int64] = []
    private var head = 0

    func setTextStart(_ offset: Int64) {
        textStart = offset
    }

    /// From decoded offset `decoded` on, breaks come from the queue; `unit` is the source size of
    /// one break (1 for GB18030, 2 for UTF-16).
    func startQueue(atDecoded decoded: Int64, unit: Int) {
        queueStartDecoded = decoded
        self.unit = Int64(unit)
    }

    /// The decoder found a CR or LF at this source offset.
    func push(_ sourceOffset: Int64) {
        queue.append(sourceOffset)
    }

    /// Source offset just after the CR or LF at decoded offset `decoded`.
    @inline(__always)
    func afterBreak(atDecoded decoded: Int64) -> Int64 {
        if decoded < queueStartDecoded { return decoded + 1 + textStart }
        guard head < queue.count else { return -1 }
        let offset = queue[head]
        head += 1
        if head >= 65_536 && head * 2 >= queue.count {
            queue.removeFirst(head)
            head = 0
        }
        return offset + unit
    }
}
