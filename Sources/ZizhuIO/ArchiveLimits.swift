/// Caps that stop a decompression bomb (压缩炸弹) before it fills the disk or the memory.
///
/// The caps are enforced on the bytes as they flow, not on what an archive's headers claim: a
/// zip entry that inflates past its declared size is refused, and the ratio is measured against
/// the compressed bytes actually consumed. They apply to `.gz` files too (a gzip file is one entry).
public struct ArchiveLimits: Sendable, Hashable {
    /// Largest uncompressed size of one entry (or one `.gz` file). Default 4 GiB.
    public var maxEntryBytes: Int64
    /// Largest uncompressed size of all entries of one archive together. Default 16 GiB.
    public var maxTotalBytes: Int64
    /// Largest uncompressed/compressed ratio, checked once an entry has produced more than 1 MiB
    /// (small files compress far better than large ones, so a ratio on a few KiB means nothing).
    /// Default 1000; real CSV compresses 3–10×.
    public var maxRatio: Int64
    /// Most entries an archive may list. Default 10 000.
    public var maxEntries: Int

    /// Output an entry may produce before the ratio is checked.
    public static let ratioGraceBytes: Int64 = 1 << 20

    /// Limits with the defaults unless given.
    public init(maxEntryBytes: Int64 = 4 << 30, maxTotalBytes: Int64 = 16 << 30, maxRatio: Int64 = 1000,
                maxEntries: Int = 10_000) {
        self.maxEntryBytes = maxEntryBytes
        self.maxTotalBytes = maxTotalBytes
        self.maxRatio = maxRatio
        self.maxEntries = maxEntries
    }

    /// 4 GiB per entry, 16 GiB per archive, ratio 1000, 10 000 entries.
    public static let `default` = ArchiveLimits()
}
