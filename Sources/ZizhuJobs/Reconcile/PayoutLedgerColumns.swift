import ZizhuCore

/// `ledger.csv` (发放台账): its columns, and each row's cells with ids and accounts masked
/// unless the run asked for them whole.
extension PayoutLedgerRow {
    /// The header: one row per approved student, ending with an empty 学生签名 column for signatures.
    public static let columns = ["学校代码", "学籍号", "姓名", "身份证号", "资助档次", "应发金额", "实发金额",
                                 "发放日期", "账号", "发放状态", "匹配方式", "来源", "学生签名"]

    /// The row's cells under `columns`; the id and the account are masked unless `unmask`.
    public func cells(unmask: Bool) -> [String] {
        [schoolCode, studentNo, name, unmask ? idNumber : Masking.id(idNumber),
         tier, approved.yuan, paid.yuan, payDate?.iso ?? "",
         account.isEmpty ? "" : (unmask ? account : Masking.account(account)),
         status, matchedBy, sources.joined(separator: ";"), ""]
    }
}
