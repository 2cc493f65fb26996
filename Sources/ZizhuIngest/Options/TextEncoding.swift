/// The text encodings school exports arrive in (Excel on Chinese Windows writes GB18030/GBK by
/// default, newer versions UTF-8 with BOM, "Unicode text" is UTF-16LE).
public enum TextEncoding: String, Sendable, Codable, CaseIterable {
    case utf8 = "UTF-8"
    /// UTF-8 starting with the byte-order mark EF BB BF (stripped while reading).
    case utf8BOM = "UTF-8-BOM"
    case utf16LE = "UTF-16LE"
    case utf16BE = "UTF-16BE"
    /// GB18030, a superset of GBK and GB2312: a file read as GB18030 reads GBK correctly.
    case gb18030 = "GB18030"
}
