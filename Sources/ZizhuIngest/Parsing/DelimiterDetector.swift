/// Picks comma or tab from the first lines of a file.
///
/// Separators are counted per record, outside quotes. The separator that gives the most
/// records the same non-zero count wins (ties: the larger count). Excel title lines such as
/// `XX技工学校名单,,,,` or a title with a comma in a tab file are outvoted by the header and the
/// rows, which all agree with each other.
enum DelimiterDetector {
    static let comma: UInt8 = 0x2C
    static let tab: UInt8 = 0x09

    /// - Parameter atEnd: the bytes are the whole input, so a last line without a break counts.
    static func detect(_ bytes: [UInt8], atEnd: Bool) -> UInt8 {
        var commas: [Int] = []
        var tabs: [Int] = []
        var inQuotes = false
        var commaCount = 0
        var tabCount = 0
        var hasText = false
        for byte in bytes {
            switch byte {
            case 0x22:
                inQuotes.toggle()
                hasText = true
            case comma where !inQuotes:
                commaCount += 1
                hasText = true
            case tab where !inQuotes:
                tabCount += 1
                hasText = true
            case 0x0A, 0x0D:
                if inQuotes { continue }
                if hasText {
                    commas.append(commaCount)
                    tabs.append(tabCount)
                }
                commaCount = 0
                tabCount = 0
                hasText = false
            case 0x20:
                continue
            default:
                hasText = true
            }
        }
        if atEnd && hasText {
            commas.append(commaCount)
            tabs.append(tabCount)
        }
        let commaScore = score(commas)
        let tabScore = score(tabs)
        if tabScore.records > commaScore.records { return tab }
        if tabScore.records == commaScore.records && tabScore.count > commaScore.count { return tab }
        return comma
    }

    /// How many records share the most common non-zero count, and that count.
    private static func score(_ counts: [Int]) -> (records: Int, count: Int) {
        var frequency: [Int: Int] = [:]
        for count in counts where count > 0 { frequency[count, default: 0] += 1 }
        var best = (records: 0, count: 0)
        for (count, records) in frequency where records > best.records || (records == best.records && count > best.count) {
            best = (records, count)
        }
        return best
    }
}
