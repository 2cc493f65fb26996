/// Picks header titles from the contract's accepted titles, varied per file: aliases, a required
/// marker `*` or `＊`, a bracketed unit on money, a full-width space inside a title.
struct HeaderMaker {
    var random: SampleRandom
    let starred: Bool

    mutating func title(_ aliases: [String], required: Bool = false, unit: Bool = false) -> String {
        var title = aliases[random.weighted(aliases.indices.map { $0 == 0 ? 4 : 1 })]
        if unit && random.chance(600) { title += random.chance(500) ? "（元）" : "(元)" }
        if random.chance(40) && title.count >= 3 {
            // An ideographic space inside the title; header matching removes white space.
            let cut = title.index(title.startIndex, offsetBy: 2)
            title = String(title[..<cut]) + "\u{3000}" + String(title[cut...])
        }
        if required && starred { title += random.chance(300) ? "＊" : "*" }
        return title
    }
}

/// Accepted header titles per field (contract §3; the schemas' alias lists).
enum Titles {
    static let studentNo = ["学籍号", "学号", "学生编号"]
    static let name = ["姓名", "学生姓名"]
    static let idType = ["证件类型"]
    static let idNumber = ["身份证号", "身份证号码", "身份证件号", "证件号码", "公民身份号码"]
    static let gender = ["性别"]
    static let birthDate = ["出生日期"]
    static let hukou = ["户口性质", "户籍性质"]
    static let origin = ["生源地", "户籍所在地"]
    static let schoolCode = ["学校代码", "院校代码"]
    static let schoolName = ["学校名称", "院校名称"]
    static let campusCity = ["教学点所在地", "办学地点所在市"]
    static let major = ["专业", "专业名称"]
    static let enrollDate = ["入学年月", "入学日期", "入学时间"]
    static let registeredDate = ["注册日期", "学籍注册日期"]
    static let studyMode = ["学习形式", "学习方式", "办学形式"]
    static let grade = ["年级"]
    static let status = ["学籍状态"]
    static let changeDate = ["异动日期", "异动发生日期"]
    static let recordedDate = ["异动处理日期", "异动登记日期"]
    static let hardship = ["困难类型", "家庭经济困难类型", "困难学生类别"]
    static let joint = ["联合办学单位", "合作办学机构"]
    static let term = ["学期", "资助学期"]
    static let aidType = ["资助类型", "资助项目"]
    static let tier = ["资助档次", "档次"]
    static let amount = ["金额", "资助金额", "应发金额"]
    static let appliedDate = ["申报日期", "申请日期"]
    static let approval = ["审批状态", "审核状态"]
    static let card = ["资助卡号", "中职资助卡号", "社保卡号", "银行卡号"]
    static let allocated = ["资金额度", "拨付金额"]
}
