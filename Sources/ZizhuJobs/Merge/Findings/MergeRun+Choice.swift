import ZizhuCore
import ZizhuPackage

/// M05: which package of a school is merged.
extension MergeRun {
    /// Decides per school which verified package of the term is merged; adds M05 findings.
    mutating func choose(_ findings: inout [Discrepancy]) -> [SubmissionChoice.Decision] {
        var bySchool: [String: [SubmissionChoice.Candidate]] = [:]
        for (i, record) in records.enumerated() where record.outcome.status == .merged {
            let o = record.outcome
            bySchool[o.schoolCode, default: []].append(SubmissionChoice.Candidate(
                package: i, name: o.name, generatedAt: o.generatedAt, content: record.content,
                fingerprint: o.fingerprint, sha256: o.sha256))
        }
        var decisions: [SubmissionChoice.Decision] = []
        for school in bySchool.keys.sorted() {
            guard let candidates = bySchool[school], let decision = SubmissionChoice.decide(candidates) else { continue }
            decisions.append(decision)
            let winner = records[decision.merged].outcome
            for i in decision.duplicates {
                records[i].outcome.status = .identicalResend
                records[i].outcome.mergedInstead = winner.name
            }
            for i in decision.superseded {
                records[i].outcome.status = .superseded
                records[i].outcome.mergedInstead = winner.name
            }
            guard !decision.superseded.isEmpty else { continue }
            let others = decision.superseded.map { records[$0].outcome }
            func describe(_ o: PackageOutcome) -> String {
                settings.language("detail.M05.package", ["package": o.name, "generatedAt": o.generatedAt.isEmpty ? "?" : o.generatedAt,
                                                         "fingerprint": String(o.fingerprint.prefix(12))])
            }
            findings.append(Discrepancy(
                code: "M05", term: settings.term, schoolCode: school,
                expected: "one package for \(school) \(settings.term)",
                actual: "\(others.count + 1) different packages",
                detail: settings.language("detail.M05", ["latest": describe(winner), "others": others.map(describe).joined(separator: "; ")]),
                sources: [winner.name] + others.map(\.name)))
        }
        return decisions
    }
}
