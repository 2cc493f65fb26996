import ZizhuCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension InputOpener {
    /// `-`: standard input, decided by its first bytes. A zip (an .xlsx, or a zip of CSV files) or an
    /// OLE2 .xls must be read by seeking, so it is spooled to a private file of at most
    /// `limits.maxEntryBytes` (made in a private folder, unlinked at once, read through
    /// `/dev/fd/N`: nothing is left behind, whatever happens) and opened like a file given by path,
    /// its positions still naming `-`. Anything else streams as before, its first bytes handed back
    /// first. A terminal is not sniffed.
    static func open(standardInput file: ReadableFile, limits: ArchiveLimits) throws -> OpenedInput {
        let position = InputPosition(file: "-")
        // A terminal is typed at: nothing to sniff, and reading ahead would wait for the typing.
        guard isatty(file.descriptor) == 0 else {
            return OpenedInput(inputs: [ByteInput(position: position, source: .standardInput(head: []), limits: limits)])
        }
        var head = [UInt8](repeating: 0, count: 8)
        var got = 0
        while got < head.count {
            let count = try head.withUnsafeMutableBytes { buffer in
                try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[got...]), position: position)
            }
            if count == 0 { break }
            got += count
        }
        head.removeLast(head.count - got)
        let isZip = got >= 4 && head[0] == 0x50 && head[1] == 0x4b
            && ((head[2] == 0x03 && head[3] == 0x04) || (head[2] == 0x05 && head[3] == 0x06))
        guard isZip || head == InputFormat.oleMagic else {
            return OpenedInput(inputs: [ByteInput(position: position, source: .standardInput(head: head), limits: limits)])
        }
        let path = try spool(head: head, rest: file, limit: limits.maxEntryBytes, position: position)
        do {
            let opened = try open(path, limits: limits)
            return OpenedInput(inputs: opened.inputs.map { $0.renamed(InputPosition(file: "-", entry: $0.position.entry)) },
                               skipped: opened.skipped)
        } catch var error as ZizhuError {
            if error.position?.file == path { error.position?.file = "-" }
            throw error
        }
    }

    /// Copies `head` and the rest of `rest` into an unlinked private file; returns `/dev/fd/N`.
    private static func spool(head: [UInt8], rest: ReadableFile, limit: Int64, position: InputPosition) throws -> String {
        let folder = try PrivateFolder.make(prefix: "zizhu-stdin")
        let path = folder + "/input"
        let descriptor = PlainFile.create(path)
        let code = errno
        unlink(path)
        rmdir(folder)
        guard descriptor >= 0 else {
            throw ZizhuError(.ioFailure, Message("error.workbook.stdinSpool"), at: position,
                             hint: Message(verbatim: WriteFailure.hint(errno: code, doing: "create a file")))
        }
        var written: Int64 = 0
        func append(_ bytes: UnsafeRawBufferPointer) throws {
            written += Int64(bytes.count)
            guard written <= limit else {
                close(descriptor)
                throw ZizhuError(.limitExceeded, Message("error.workbook.stdinTooLarge", ["limit": String(limit)]), at: position,
                                 hint: Message("error.workbook.stdinTooLarge.hint"))
            }
            do {
                try PlainFile.writeAll(descriptor, bytes, path: "-")
            } catch {
                close(descriptor)
                throw error
            }
        }
        try head.withUnsafeBytes { try append($0) }
        let buffer = AlignedBuffer(capacity: 1 << 20)
        while true {
            let count = try rest.read(into: buffer.mutableBytes, position: position)
            if count == 0 { break }
            try append(buffer.prefix(count))
        }
        return "/dev/fd/\(descriptor)"
    }
}
