import ZizhuCore
import ZizhuPackage

/// The counts per school and city of `summary.json` and `report.html`.
extension MergeRun {
    mutating func summarize() -> (cities: [CitySummary], totals: SchoolCounts) {
        var schools: [String: SchoolSummary] = [:]
        var order: [String] = []
        let listed = settings.expected.map { Dictionary($0.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first }) }
        func entry(_ code: String) -> SchoolSummary {
            if let known = schools[code] { return known }
            let expected = listed?[code]
            order.append(code)
            return SchoolSummary(code: code, name: expected?.name ?? "", cityCode: expected?.cityCode ?? "",
                                 expected: listed.map { $0[code] != nil }, status: .missing, package: nil, counts: SchoolCounts())
        }
        for school in settings.expected ?? [] { schools[school.code] = entry(school.code) }
        var unattributed = SchoolCounts()
        var sentThisTerm = Set<String>()
        var otherTerm = Set<String>()
        for record in records {
            let o = record.outcome
            guard !o.schoolCode.isEmpty else {
                if o.status == .quarantined { unattributed.packagesQuarantined += 1 }
                continue
            }
            var school = entry(o.schoolCode)
            if school.name.isEmpty { school.name = o.schoolName }
            if school.cityCode.isEmpty { school.cityCode = o.schoolCity }
            switch o.status {
            case .merged:
                school.package = o.name
                school.name = listed?[o.schoolCode]?.name ?? o.schoolName
                if let counts = o.counts { school.counts.add(counts) }
                school.counts.packagesMerged += 1
            case .quarantined: school.counts.packagesQuarantined += 1
            case .superseded: school.counts.packagesSuperseded += 1
            case .identicalResend: school.counts.identicalResends += 1
            case .otherTerm: break
            }
            if isSentThisTerm(o) { sentThisTerm.insert(o.schoolCode) }
            if o.status == .otherTerm { otherTerm.insert(o.schoolCode) }
            schools[o.schoolCode] = school
        }
        for code in order {
            guard var school = schools[code] else { continue }
            if school.counts.packagesMerged > 0 {
                school.status = .merged
            } else if school.counts.packagesQuarantined > 0 && sentThisTerm.contains(code) {
                school.status = .quarantined
            } else if otherTerm.contains(code) {
                school.status = .otherTermOnly
            } else if school.counts.packagesQuarantined > 0 {
                school.status = .quarantined
            } else {
                school.status = .missing
            }
            schools[code] = school
            if school.expected == false {
                notes.append(settings.language("note.merge.notExpected", ["school": code, "name": school.name]))
            }
        }
        var cityNames: [String: String] = [:]
        for school in settings.expected ?? [] where !school.cityCode.isEmpty && !school.cityName.isEmpty {
            if cityNames[school.cityCode] == nil { cityNames[school.cityCode] = school.cityName }
        }
        var byCity: [String: [SchoolSummary]] = [:]
        for school in schools.values { byCity[school.cityCode, default: []].append(school) }
        let codes = byCity.keys.sorted { a, b in a.isEmpty != b.isEmpty ? !a.isEmpty : a < b }
        var totals = unattributed
        let cities = codes.map { code -> CitySummary in
            let members = (byCity[code] ?? []).sorted { $0.code < $1.code }
            var sum = SchoolCounts()
            for member in members { sum.add(member.counts) }
            totals.add(sum)
            return CitySummary(code: code, name: cityNames[code] ?? "", schools: members, totals: sum)
        }
        return (cities, totals)
    }
}
