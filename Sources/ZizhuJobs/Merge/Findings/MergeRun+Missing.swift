import ZizhuCore
import ZizhuPackage

/// M03 MISSING_SUBMISSION: the expected schools that sent nothing for the term.
extension MergeRun {
    /// Whether a package counts as sent for its school in the term: anything but another term's
    /// verified package (a quarantined one of unknown term counts: it has its own finding).
    func isSentThisTerm(_ o: PackageOutcome) -> Bool {
        o.status != .otherTerm && (o.term.isEmpty || o.term == settings.term)
    }

    /// M03: each school of the expected list that sent no package for the term.
    func missingFindings() -> [Discrepancy] {
        guard let expected = settings.expected else { return [] }
        var bySchool: [String: [PackageOutcome]] = [:]
        for record in records { bySchool[record.outcome.schoolCode, default: []].append(record.outcome) }
        var seen = Set<String>()
        var findings: [Discrepancy] = []
        for school in expected where seen.insert(school.code).inserted {
            let packages = bySchool[school.code] ?? []
            guard !packages.contains(where: isSentThisTerm) else { continue }
            let others = packages.map { "\($0.name) (\($0.term))" }
            let named = [school.code, school.name].filter { !$0.isEmpty }.joined(separator: " ")
                + (school.cityName.isEmpty ? "" : " (\(school.cityName))")
            findings.append(Discrepancy(
                code: "M03", term: settings.term, schoolCode: school.code,
                expected: "a package for \(settings.term)",
                actual: others.isEmpty ? "nothing received" : "only packages for other terms: " + others.joined(separator: "; "),
                detail: settings.language("detail.M03", ["school": named, "term": settings.term]),
                sources: school.source.isEmpty ? [] : [school.source]))
        }
        return findings
    }
}
