import ZizhuCore

/// What `zizhu sample` writes: how many students, which seed, which term, how many schools.
public struct SampleOptions: Sendable {
    /// Students in the rosters (at least 100, so every finding can be planted).
    public var students: Int = 2000
    /// Same seed, same bytes.
    public var seed: UInt64 = 1
    /// The term the data belong to.
    public var term: Term = Term(year: 2023, season: .fall)
    /// Schools sending files; nil: about one per 1,500 students, at least 3. One more school is
    /// on `schools.csv` and sends nothing (M03).
    public var schools: Int? = nil
    /// Percentage (0–100) of the students who could be paid by status — full-time, 在籍 or 复学,
    /// with an id (no passport), in any grade — who receive a 国家助学金 as well as those who get one
    /// anyway (grades 1–2 with a hardship type). The extra grantees are approved, one tier among
    /// 二档/三档 (一档/二档 for a special hardship), a hardship type of at least 一般困难, and are paid
    /// like any other grantee, so at 100 the finance files carry about one bank row per student
    /// (benchmarks). nil: only the grade 1–2 hardship students, as the committed sample-data/ has.
    public var grantShare: Int? = nil

    /// 2,000 students, seed 1, the 2023 fall term, schools by size.
    public init() {}
}

/// What a sample run wrote.
public struct SampleReport: Sendable, Codable {
    /// Relative paths of the files written, in the order written.
    public var files: [String]
    /// Students in the rosters (ghost applicants and grantees not counted).
    public var students: Int
    /// Planted findings (rows of `planted.csv` with an R, S or M code).
    public var planted: Int
}

/// The synthetic data generator behind `zizhu sample`: a realistic, messy data set for all three
/// jobs, with every finding of the contract planted on purpose and listed in `planted.csv`.
///
/// Deterministic: the same options give byte-identical files (own xoshiro256** generator, no
/// clock, reproducible gzip and zip). Fast enough for a million students: rows are built as bytes
/// and streamed to disk. The layout is described in the README.md it writes.
public enum SampleGenerator {
    /// Smallest population in which every code can be planted without two cases sharing a student.
    public static let minimumStudents = 100
    /// Students per school at least.
    public static let minimumPerSchool = 20

    /// Writes a sample into `directory` (created if missing; existing files of the same names are
    /// replaced). `progress` receives fractions from 0 to 1.
    ///
    /// Throws `.usage` for too few students or too many schools, `.output` when a file cannot be
    /// written.
    public static func write(to directory: String, options: SampleOptions,
                             progress: (@Sendable (Double) -> Void)? = nil) throws -> SampleReport {
        guard options.students >= minimumStudents else {
            throw ZizhuError(.usage, Message("sample.students", ["minimum": "\(minimumStudents)", "students": "\(options.students)"]),
                             hint: Message("sample.students.hint", ["minimum": "\(minimumStudents)"]))
        }
        let schoolCount = options.schools ?? max(3, (options.students + 750) / 1500)
        guard schoolCount >= 3, schoolCount * minimumPerSchool <= options.students else {
            throw ZizhuError(.usage, Message("sample.schools", ["schools": "\(schoolCount)", "students": "\(options.students)"]),
                             hint: Message("sample.schools.hint", ["perSchool": "\(minimumPerSchool)"]))
        }
        if let share = options.grantShare, !(0...100).contains(share) {
            throw ZizhuError(.usage, Message("sample.grantShare", ["share": "\(share)"]), hint: Message("sample.grantShare.hint"))
        }
        let report = progress ?? { _ in }
        let term = TermCalendar(year: options.term.year, fall: options.term.season == .fall)
        let population = Population(students: options.students, schools: schoolCount, seed: options.seed, term: term,
                                    grantShare: options.grantShare)
        var planter = Planter(population: population)
        planter.plantAll()
        report(0.02)

        let output = try SampleOutput(root: directory, gzipLevel: options.students > 100_000 ? 1 : 6)
        // Shares of the work, by bytes written: school files, finance roster, the rest.
        let schoolShare = 0.45, rosterShare = 0.3
        for school in population.schools.indices {
            let files = SchoolFiles(population: population, output: output, school: school)
            try files.writeRoster()
            try files.writeApplications()
            report(0.02 + schoolShare * Double(school + 1) / Double(population.schools.count))
        }
        var finance = FinanceFiles(population: population, output: output)
        try finance.writeRoster { report(0.47 + rosterShare * $0) }
        report(0.77)
        try finance.writeApproved()
        report(0.87)
        try finance.writeLedgers()
        try finance.writeAllocations()
        report(0.95)
        let catalogue = Catalogue(population: population, output: output, options: options)
        try catalogue.writeSchools()
        try catalogue.writePlanted()
        try catalogue.writeFiles()
        try catalogue.writeReadme()
        report(1)
        return SampleReport(files: output.files, students: options.students,
                            planted: population.records.filter { Catalogue.isFinding($0.code) }.count)
    }
}
