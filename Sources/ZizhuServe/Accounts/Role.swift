import Foundation

/// The six roles of the 2017 notice, as the server enforces them.
///
/// A school's 学校用户 prepares (uploads, runs the checks, downloads the package) but cannot submit;
/// its one 校长用户 reviews and submits — a review 不得分配给其他用户, so no other role, not even the
/// admin, may submit for a school. 财务, 市 and 省 read within their scope; 管理员 keeps accounts and
/// sees no data at all.
public enum Role: String, Sendable, CaseIterable, Codable {
    case school
    case principal
    case finance
    case city
    case province
    case admin

    /// The role's name as people read it (Chinese first).
    public var title: String {
        switch self {
        case .school: "学校用户"
        case .principal: "校长用户"
        case .finance: "财务"
        case .city: "市"
        case .province: "省"
        case .admin: "管理员"
        }
    }

    /// What a scope of this role names: a school code, a region code, or nothing (admin).
    public var scopeKind: ScopeKind {
        switch self {
        case .school, .principal: .school
        case .finance, .city, .province: .region
        case .admin: .none
        }
    }

    public enum ScopeKind: Sendable {
        case school, region, none
    }

    /// Parses `school`, `学校用户`, `principal`, `校长用户`, … (English keys or Chinese titles).
    public init?(argument: String) {
        let trimmed = argument.trimmingCharacters(in: .whitespaces)
        if let role = Role(rawValue: trimmed.lowercased()) {
            self = role
        } else if let role = Role.allCases.first(where: { $0.title == trimmed }) {
            self = role
        } else {
            return nil
        }
    }
}
