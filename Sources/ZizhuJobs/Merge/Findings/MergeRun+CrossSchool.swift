import ZizhuCore
import ZizhuPackage

/// M01 CROSS_SCHOOL_DUPLICATE over the merged packages.
extension MergeRun {
    /// M01: one finding per id, naming every enrolled and funded row of it in the merged packages.
    func crossSchoolFinding(_ duplicate: CrossSchoolIndex.Duplicate, details: [CrossSchoolIndex.RowRef: RowDetail]) -> Discrepancy {
        let rows = duplicate.rows.sorted { a, b in
            let sa = records[a.package].outcome.schoolCode, sb = records[b.package].outcome.schoolCode
            if sa != sb { return sa < sb }
            return a < b
        }
        func school(_ row: CrossSchoolIndex.RowRef) -> String { records[row.package].outcome.schoolCode }
        func part(_ kind: CrossSchoolIndex.Kind) -> (schools: [String], text: String) {
            var schools: [String] = []
            var pieces: [String] = []
            for row in rows where row.kind == kind {
                let code = school(row)
                if !schools.contains(code) { schools.append(code) }
                let detail = details[row]
                pieces.append("\(code) \(detail?.studentNo ?? "") \(detail?.label ?? "")".trimmingCharacters(in: .whitespaces))
            }
            return (schools, pieces.joined(separator: ", "))
        }
        let enrolled = part(.enrolled)
        let funded = part(.funded)
        var actual: [String] = []
        if enrolled.schools.count > 1 { actual.append("在籍 in \(enrolled.schools.count) schools: \(enrolled.schools.joined(separator: ", "))") }
        if funded.schools.count > 1 { actual.append("funded by \(funded.schools.count) schools: \(funded.schools.joined(separator: ", "))") }
        var detail: [String] = []
        if !enrolled.text.isEmpty { detail.append(settings.language("detail.M01.enrolled", ["rows": enrolled.text])) }
        if !funded.text.isEmpty { detail.append(settings.language("detail.M01.funded", ["rows": funded.text])) }
        let first = rows.first(where: { $0.kind == .enrolled }) ?? rows.first
        let shown = first.flatMap { details[$0] }
        return Discrepancy(
            code: "M01", term: settings.term, schoolCode: first.map(school) ?? "",
            studentNo: shown?.studentNo ?? "", name: shown?.name ?? "", idNumber: index.idText(duplicate.id),
            expected: "enrolled in and funded by one school", actual: actual.joined(separator: "; "),
            detail: detail.joined(separator: "; "),
            sources: rows.map { row in
                let file = row.kind == .enrolled ? PackageFormat.rosterEntry : PackageFormat.applicationsEntry
                return "\(records[row.package].outcome.name)!\(file):\(row.line)"
            })
    }
}
