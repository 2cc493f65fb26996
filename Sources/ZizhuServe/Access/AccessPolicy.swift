/// Who may do what to a school's data: every route asks here, and nowhere else.
///
/// - 学校用户 of the school: read, upload (run the checks), download its package and declaration;
/// - 校长用户 of the school: read, download, and submit — the only role that can;
/// - 市: read its own schools (by the expected list's city code);
/// - 省: read every school of its province (the first two digits of the region code);
/// - 财务 and 管理员: no school pages; 财务 reconciles within its region (the admin sees no data).
/// - regions: a 市 reads (and merges) its own city; a 省 reads and merges every city of its province.
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

    /// A finance office reconciles, and reads the reconciliations of, its own region only.
    public static func canReconcile(scope: String, as account: Account) -> Bool {
        account.role == .finance && account.scope == scope
    }

    /// A region's pages, merges and merged files: the city itself, or the province holding it.
    public static func canReadRegion(_ region: String, as account: Account) -> Bool {
        switch account.role {
        case .city: return account.scope == region
        case .province: return region.count == 6 && region.prefix(2) == account.scope.prefix(2)
        case .school, .principal, .finance, .admin: return false
        }
    }

    /// Merging a region's submitted packages: who reads the region.
    public static func canMerge(_ region: String, as account: Account) -> Bool {
        canReadRegion(region, as: account)
    }

    /// A city keeps its schools' basic information (the expected list); no one else edits it.
    public static func canKeepSchools(cityCode: String, as account: Account) -> Bool {
        account.role == .city && account.scope == cityCode
    }

    /// Whole ids on a page or in a machine file: only the roles the server's configuration names
    /// (none by default), never the admin (who sees no data at all).
    public static func canUnmask(_ account: Account, roles: Set<Role>) -> Bool {
        account.role != .admin && roles.contains(account.role)
    }

    public static func canManageAccounts(_ account: Account) -> Bool {
        account.role == .admin
    }

    /// Where an account lands after signing in.
    public static func home(of account: Account) -> String {
        switch account.role {
        case .school, .principal: "/schools/\(account.scope)"
        case .city: "/cities/\(account.scope)"
        case .province: "/province"
        case .finance: "/finance"
        case .admin: "/admin/accounts"
        }
    }
}

/// Region codes (GB/T 2260, 6 digits): `XX0000` is a province, anything else a city.
public enum RegionScope {
    public static func isProvince(_ region: String) -> Bool { region.count == 6 && region.hasSuffix("0000") }

    /// Whether a school of `cityCode` lies in `region` (the city itself, or its province).
    public static func contains(_ region: String, cityCode: String) -> Bool {
        isProvince(region) ? cityCode.prefix(2) == region.prefix(2) : cityCode == region
    }

    /// The expected list of a merge, as `--expected` reads it.
    static func expectedList(_ schools: [School]) -> String {
        var text = "school_code,school_name,city_code,city_name\n"
        for school in schools {
            text += [school.code, school.name, school.cityCode, school.cityName]
                .map { $0.replacingOccurrences(of: ",", with: " ").replacingOccurrences(of: "\n", with: " ") }
                .joined(separator: ",") + "\n"
        }
        return text
    }
}
