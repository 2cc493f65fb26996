import ZizhuCore
import ZizhuPackage

/// M02 / M04 / M06: the quarantined packages.
extension MergeRun {
    /// M02 / M04 / M06: one finding per quarantined package and code, with every reason.
    func quarantineFindings() -> [Discrepancy] {
        var findings: [Discrepancy] = []
        for record in records where record.outcome.status == .quarantined {
            let o = record.outcome
            for code in Set(record.problems.map(\.code)).sorted() {
                let language = settings.language
                let reasons = record.problems.filter { $0.code == code }.map {
                    language("error.at", ["mark": $0.subject(language), "message": $0.reason(language)])
                }
                findings.append(Discrepancy(
                    code: code.rawValue, term: o.term.isEmpty ? settings.term : o.term, schoolCode: o.schoolCode,
                    expected: expectation(code), actual: "quarantined: nothing of the package merged",
                    detail: reasons.joined(separator: language("summary.semicolon")), sources: [o.name]))
            }
        }
        return findings
    }

    func expectation(_ code: PackageProblem.Code) -> String {
        switch code {
        case .packageIntegrity: return "a readable package whose files match its manifest"
        case .declarationMismatch: return "a declaration that agrees with the data"
        case .signatureInvalid:
            return settings.trust == nil ? "a declaration signature that verifies with the key it carries"
                : "a declaration signed with the school's trusted key"
        }
    }
}
