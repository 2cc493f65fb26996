/// Who may do what to a school's data: every route asks here, and nowhere else.
///
/// - 学校用户 of the school: read, upload (run the checks), download its package and declaration;
/// - 校长用户 of the school: read, download, and submit — the only role that can;
/// - 市: read its own schools (by the expected list's city code);
/// - 省: read every school of its province (the first two digits of the region code);
/// - 财务 and 管理员: no school pages (财务's pages are a later round; the admin sees no data).
public enum AccessPolicy {
    public static func canRead(schoolCode: String, school: School?, as account: Account) -> Bool {
        switch account.role {
        case .school, .principal:
            return account.scope == schoolCode
        case .city:
            guard let school else { return false }
            return school.cityCode == account.scope
        case .province:
            guard let school else { return false }
            return school.cityCode.prefix(2) == account.scope.prefix(2)
        case .finance, .admin:
            return false
        }
    }

    public static func canUpload(schoolCode: String, as account: Account) -> Bool {
        account.role == .school && account.scope == schoolCode
    }

    /// The notice: the review and submission 不得分配给其他用户 — the school's principal only.
    public static func canSubmit(schoolCode: String, as account: Account) -> Bool {
        account.role == .principal && account.scope == schoolCode
    }

    public static func canManageAccounts(_ account: Account) -> Bool {
        account.role == .admin
    }

    /// Where an account lands after signing in.
    public static func home(of account: Account) -> String {
        switch account.role {
        case .school, .principal: "/schools/\(account.scope)"
        case .city, .province, .finance: "/schools"
        case .admin: "/admin/accounts"
        }
    }
}
