import ZizhuCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small POSIX helpers for writing files.
enum PlainFile {
    /// Creates or truncates `path` for writing (mode 0644); a negative result sets `errno`.
    static func create(_ path: String) -> Int32 {
        var fd: Int32
        repeat { fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) } while fd < 0 && errno == EINTR
        return fd
    }

    @discardableResult
    static func close(_ descriptor: Int32) -> Int32 {
        #if canImport(Glibc)
        return Glibc.close(descriptor)
        #else
        return Darwin.close(descriptor)
        #endif
    }

    /// Writes every byte, retrying short writes.
    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            #if canImport(Glibc)
            let n = Glibc.write(descriptor, base + done, bytes.count - done)
            #else
            let n = Darwin.write(descriptor, base + done, bytes.count - done)
            #endif
            if n > 0 {
                done += n
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                throw ZizhuError(.output, Message("file.write", ["path": path, "reason": ReadableFile.describe(errno)]),
                                 hint: Message("file.write.hint"))
            }
        }
    }
}
