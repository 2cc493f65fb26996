import Foundation
import ZizhuCore

/// The words of `declaration.html`: Chinese first, English when the run's language is `.en`.
/// The statement and the title come from the declaration itself (they are what the principal
/// signs) and stay as written; codes, file names and the fingerprint never change.
///
/// Every label has both languages: `DeclarationLabelTests` fails when one is missing or empty.
public enum DeclarationLabel: String, CaseIterable, Sendable {
    case subtitle, schoolName, schoolCode, term, sectionData, item, quantity, unit
    case fullTimeEnrolled, applicationsGroup, tiersGroup, persons, grantAmountTotal, yuanUnit, amountInWords, countsNote
    case sectionFingerprint, packageFile, fingerprintNote, dataFile, rows, bytes
    case sectionStatement, principalSignature, date, year, month, day, schoolSeal, sealArea
    case signedElectronically, footer

    static let table: [DeclarationLabel: (zh: String, en: String)] = [
        .subtitle: ("学生资助申报数据 · {0}", "Student aid submission · {0}"),
        .schoolName: ("学校名称", "School"),
        .schoolCode: ("学校代码", "School code"),
        .term: ("申报学期", "Term"),
        .sectionData: ("一、申报数据", "1. Declared data"),
        .item: ("项　目", "Item"),
        .quantity: ("数　量", "Number"),
        .unit: ("单位", "Unit"),
        .fullTimeEnrolled: ("全日制在籍学生数", "Full-time enrolled students"),
        .applicationsGroup: ("申报人数<br>（不含退回）", "Applications<br>(not 退回)"),
        .tiersGroup: ("国家助学金<br>分档人数", "国家助学金<br>by tier"),
        .persons: ("人", "persons"),
        .grantAmountTotal: ("国家助学金申报总金额", "国家助学金 amount applied for"),
        .yuanUnit: ("元", "yuan"),
        .amountInWords: ("金额（人民币大写）", "Amount in words (大写)"),
        .countsNote: ("申报人数：申报包中状态不为“退回”的申请；总金额：其中国家助学金申请金额之和。",
                      "Applications: those in the package whose status is not 退回; amount: the sum of their 国家助学金 amounts."),
        .sectionFingerprint: ("二、数据指纹", "2. Data fingerprint"),
        .packageFile: ("申报包文件", "Package file"),
        .fingerprintNote: ("数据指纹 = 对申报包内数据文件（{0}，按此顺序）的 sha256sum 清单再计算 SHA-256。请与省级平台显示的指纹逐组核对，任一字符不同即表示数据已改动。",
                           "Fingerprint = SHA-256 of the sha256sum list of the package's data files ({0}, in this order). Compare it group by group with the fingerprint the province shows: any difference means the data changed."),
        .dataFile: ("数据文件", "Data file"),
        .rows: ("记录行数", "Rows"),
        .bytes: ("字节数", "Bytes"),
        .sectionStatement: ("三、声明", "3. Statement"),
        .principalSignature: ("校长签字", "Principal"),
        .date: ("日期", "Date"),
        .year: ("年", "Y"),
        .month: ("月", "M"),
        .day: ("日", "D"),
        .schoolSeal: ("学校盖章：", "School seal:"),
        .sealArea: ("（盖章处）", "(seal here)"),
        .signedElectronically: ("已电子签名（{0}），密钥标识 {1}，签名值见申报包内 declaration.json。",
                                "Signed electronically ({0}), key id {1}; the signature is in declaration.json in the package."),
        .footer: ("本页由 {0} 根据申报包生成 · 生成时间 {1} · 共 1 页", "Made by {0} from the package · generated {1} · 1 page"),
    ]

    /// The label in `language`, with `{0}`, `{1}` … replaced by `arguments`.
    public func text(_ language: Language, _ arguments: String...) -> String {
        let entry = Self.table[self] ?? (rawValue, rawValue)
        var text = language == .en ? entry.en : entry.zh
        for (i, argument) in arguments.enumerated() {
            text = text.replacingOccurrences(of: "{\(i)}", with: argument)
        }
        return text
    }
}
