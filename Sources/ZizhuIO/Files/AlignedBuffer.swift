#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A page-aligned scratch buffer for `read(2)` and zlib.
///
/// Reading into a buffer that starts on a page boundary is 4× faster than into what `malloc`
/// returns (page + 16): the kernel copies whole pages (see PERFORMANCE.md).
final class AlignedBuffer {
    let pointer: UnsafeMutableRawPointer
    let capacity: Int

    init(capacity: Int) {
        let size = max(1, capacity)
        let page = max(4096, Int(sysconf(Int32(_SC_PAGESIZE))))
        var raw: UnsafeMutableRawPointer?
        if posix_memalign(&raw, page, size) == 0, let raw {
            pointer = raw
            alignedByPosix = true
        } else {
            // posix_memalign fails only on exhausted memory; an unaligned buffer still works.
            pointer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
            alignedByPosix = false
        }
        self.capacity = size
    }

    private let alignedByPosix: Bool

    deinit {
        if alignedByPosix { free(pointer) } else { pointer.deallocate() }
    }

    /// The whole buffer, for writing into.
    var mutableBytes: UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: pointer, count: capacity)
    }

    /// The first `count` bytes, for reading.
    func prefix(_ count: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: pointer, count: count)
    }
}
