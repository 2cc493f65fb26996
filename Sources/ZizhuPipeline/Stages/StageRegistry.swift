import ZizhuCore

/// Every stage kind, registered once with its ports, settings and factory. A new sink (a
/// workbook writer, a history store) is one more entry here.
extension StageKind {
    static let registry: [StageKind] = [
        StageKind(name: "ingest", ports: [Port("in", accepts: .source)], output: .records,
                  summary: "read CSV / gzip / zip files into record batches") { build in
            .ingest(try IngestStage(input: try build.rootInput()))
        },
        StageKind(name: "validate", ports: [Port("in", accepts: .records)], output: .rows,
                  summary: "normalize and validate records against the input's schema") { build in
            let input = try build.rootInput()
            guard let schema = build.pipeline.schemas[input.name] else {
                throw ZizhuError(.pipeline, Message("pipeline.noSchema", ["mark": "\(input.schemaMark)", "input": input.name]))
            }
            return .validate(try ValidateStage(input: input, schema: schema))
        },
        StageKind(name: "validation-report", ports: [Port("in", accepts: .rows, multiple: true)], output: .report,
                  summary: "write rejects.csv, summary.json, report.html for validated rows") { build in
            .sink(try ReportStage(output: build.output, unmask: build.options.unmask, language: build.options.language,
                                  history: build.options.history != nil, cleanedWorkbookRows: build.options.cleanedWorkbookRows,
                                  writesCleaned: build.options.writesCleaned))
        },
        StageKind(name: "reconcile", ports: [
            Port("approved", accepts: .rows, schema: "applications", fields: ["id_number", "aid_type", "tier", "approval_status"]),
            Port("ledger", accepts: .rows, schema: "ledger", multiple: true, fields: ["pay_date", "amount", "status"]),
            Port("roster", accepts: .rows, schema: "roster", multiple: true, optional: true, fields: ["id_number", "study_mode", "status"]),
            Port("allocations", accepts: .rows, schema: "allocations", optional: true, fields: ["school_code", "allocated"]),
        ], output: .report, summary: "match approved grants against bank payouts: R01–R14, ledger.csv, settlement.json",
           settings: [SettingSpec("term", .term), SettingSpec("tiers", .amounts), SettingSpec("window", .dateWindow),
                      SettingSpec("allowed_channels", .list)]) { build in
            let job = try ReconcileJob(stage: build.stage, pipeline: build.pipeline, unmask: build.options.unmask, language: build.options.language)
            return .sink(try ReportStage(output: build.output, unmask: build.options.unmask, language: build.options.language, job: job, history: build.options.history != nil))
        },
        StageKind(name: "submit", ports: [
            Port("roster", accepts: .rows, schema: "roster", fields: ["id_number", "name", "study_mode", "status"]),
            Port("applications", accepts: .rows, schema: "applications", fields: ["id_number", "aid_type", "approval_status"]),
        ], output: .report, summary: "check a school's submission (S01–S12); write its package and declaration",
           settings: [SettingSpec("term", .term), SettingSpec("school_code", .text), SettingSpec("school_city", .text),
                      SettingSpec("school_name", .text), SettingSpec("schools", .map), SettingSpec("tiers", .amounts),
                      SettingSpec("registration_deadline", .deadline), SettingSpec("application_deadline", .deadline),
                      SettingSpec("special_hardship", .list), SettingSpec("status_change_working_days", .wholeNumber)]) { build in
            let job = try SubmitJob(stage: build.stage, pipeline: build.pipeline, options: build.options)
            return .sink(try ReportStage(output: build.output, unmask: build.options.unmask, language: build.options.language, job: job, history: build.options.history != nil))
        },
        StageKind(name: "merge", ports: [
            Port("packages", accepts: .source, schema: FlowType.packageSchema, multiple: true),
            Port("expected", accepts: .rows, schema: "schools", optional: true, fields: ["school_code"]),
        ], output: .report, summary: "verify school packages and city archives and merge them: M01–M06, merged roster and applications",
           settings: [SettingSpec("term", .term), SettingSpec("trust", .text)]) { build in
            let job = try MergeJob(stage: build.stage, pipeline: build.pipeline)
            return .sink(try ReportStage(output: build.output, unmask: build.options.unmask, language: build.options.language, job: job, history: build.options.history != nil))
        },
    ]
}
