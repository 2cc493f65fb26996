import ZizhuCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file opened for reading with `open(2)`, closed when released.
final class ReadableFile {
    let descriptor: Int32
    private let ownsDescriptor: Bool
    /// The name used in error messages.
    let displayPath: String

    /// Opens `path` (or standard input for `-`).
    init(path: String, position: InputPosition) throws {
        displayPath = path
        if path == "-" {
            descriptor = 0
            ownsDescriptor = false
            return
        }
        var fd: Int32
        repeat { fd = open(path, O_RDONLY | O_CLOEXEC) } while fd < 0 && errno == EINTR
        guard fd >= 0 else {
            throw ReadableFile.openError(path: path, errno: errno, position: position)
        }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw ZizhuError(.ioFailure, Message("error.file.directory", ["path": path]), at: position,
                             hint: Message("error.file.directory.hint"))
        }
        #if os(Linux)
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)
        #endif
        descriptor = fd
        ownsDescriptor = true
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// Size in bytes (regular files only).
    func size(position: InputPosition) throws -> Int64 {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw ReadableFile.readError(path: displayPath, errno: errno, position: position)
        }
        return Int64(info.st_size)
    }

    /// Reads up to `buffer.count` bytes at the current position; 0 at end of file.
    func read(into buffer: UnsafeMutableRawBufferPointer, position: InputPosition) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            #if canImport(Glibc)
            let n = Glibc.read(descriptor, base, buffer.count)
            #else
            let n = Darwin.read(descriptor, base, buffer.count)
            #endif
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw ReadableFile.readError(path: displayPath, errno: errno, position: position)
        }
    }

    /// Reads exactly `buffer.count` bytes at `offset` (fewer only at end of file).
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64, position: InputPosition) throws -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var done = 0
        while done < buffer.count {
            let n = pread(descriptor, base + done, buffer.count - done, off_t(offset + Int64(done)))
            if n > 0 {
                done += n
            } else if n == 0 {
                break
            } else if errno != EINTR {
                throw ReadableFile.readError(path: displayPath, errno: errno, position: position)
            }
        }
        return done
    }

    static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    static func openError(path: String, errno code: Int32, position: InputPosition) -> ZizhuError {
        let hint: Message
        switch code {
        case ENOENT: hint = Message("error.file.open.missing.hint")
        case EACCES, EPERM: hint = Message("error.file.open.permission.hint")
        default: hint = Message("error.file.open.hint")
        }
        return ZizhuError(.ioFailure, Message("error.file.open", ["path": path, "reason": describe(code)]), at: position, hint: hint)
    }

    static func readError(path: String, errno code: Int32, position: InputPosition) -> ZizhuError {
        ZizhuError(.ioFailure, Message("error.file.read", ["path": path, "reason": describe(code)]), at: position,
                   hint: Message("error.file.read.hint"))
    }
}
