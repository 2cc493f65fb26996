import ZizhuCore
import ZizhuSchema

/// Field indexes of a validator's schema, resolved once per batch (-1: the schema has no such
/// field, read as empty).
private func index(_ validator: RowValidator, _ name: String) -> Int {
    validator.schema.index(of: name) ?? -1
}

/// Code index of `name` in the code table of `field`; nil when the field or the name is unknown.
private func code(_ validator: RowValidator, _ field: Int, _ name: String) -> UInt16? {
    guard field >= 0, field < validator.codeTables.count else { return nil }
    return validator.codeTables[field]?.index(of: name)
}

private func codeNames(_ validator: RowValidator, _ field: Int) -> [String] {
    guard field >= 0, field < validator.codeTables.count else { return [] }
    return validator.codeTables[field]?.names ?? []
}

/// Where each input's fields sit in its schema (and which codes matter), resolved once per batch
/// from the validator: the columns `Inputs+Batches.swift` copies into the records.
extension Reconciler {
    struct ApplicationFields: Sendable {
        let term, studentNo, name, id, school, aidType, tier, amount, approval, card: Int
        let grant: UInt16?
        /// Code index → index in `approvalNames` (255 unknown).
        let approvals: [UInt8]
        let tierNames: [String]

        init(_ v: RowValidator) {
            term = index(v, "term"); studentNo = index(v, "student_no"); name = index(v, "name")
            id = index(v, "id_number"); school = index(v, "school_code"); aidType = index(v, "aid_type")
            tier = index(v, "tier"); amount = index(v, "amount"); approval = index(v, "approval_status")
            card = index(v, "card_number")
            grant = code(v, aidType, "国家助学金")
            approvals = codeNames(v, approval).map { UInt8(Reconciler.approvalNames.firstIndex(of: $0) ?? 255) }
            tierNames = codeNames(v, tier)
        }
    }

    struct LedgerFields: Sendable {
        let payDate, account, accountName, id, amount, status, failReason, channel: Int
        /// Code index → kind (nil: unknown status, read as failed so that it never counts as paid).
        let kinds: [LedgerKind]
        let channelNames: [String]

        init(_ v: RowValidator) {
            payDate = index(v, "pay_date"); account = index(v, "account_number"); accountName = index(v, "account_name")
            id = index(v, "id_number"); amount = index(v, "amount"); status = index(v, "status")
            failReason = index(v, "fail_reason"); channel = index(v, "channel")
            kinds = codeNames(v, status).map { name in
                switch name {
                case "成功": return .paid
                case "冲正": return .reversal
                default: return .failed
                }
            }
            channelNames = codeNames(v, channel)
        }
    }

    struct RosterFields: Sendable {
        let id, name, studentNo, school, studyMode, status, changeDate: Int
        let partTime: UInt16?
        let statuses: [UInt8]

        init(_ v: RowValidator) {
            id = index(v, "id_number"); name = index(v, "name"); studentNo = index(v, "student_no")
            school = index(v, "school_code"); studyMode = index(v, "study_mode"); status = index(v, "status")
            changeDate = index(v, "status_change_date")
            partTime = code(v, studyMode, "非全日制")
            statuses = codeNames(v, status).map { UInt8(Reconciler.rosterStatusNames.firstIndex(of: $0) ?? 255) }
        }
    }

    struct AllocationFields: Sendable {
        let term, school, allocated: Int

        init(_ v: RowValidator) {
            term = index(v, "term"); school = index(v, "school_code"); allocated = index(v, "allocated")
        }
    }
}
