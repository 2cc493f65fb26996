import ArgumentParser
import Foundation
import ZizhuCore
import ZizhuHistory

/// Where the history is: `--history`, else `ZIZHU_HISTORY`.
struct HistoryLocationOption: ParsableArguments {
    @Option(name: .long, help: "The run history: a SQLite file (default: $ZIZHU_HISTORY).") var history: String?

    func open() throws -> History {
        guard let location = History.location(flag: history) else {
            throw ZizhuError(.usage, Message("historyError.none"), hint: Message("historyError.none.hint"))
        }
        guard location.contains("://") || FileManager.default.fileExists(atPath: location) else {
            throw ZizhuError(.usage, Message("historyError.missing", ["location": location]), hint: Message("historyError.missing.hint", ["location": location]))
        }
        return try History.open(location)
    }
}

struct FormatOption: ParsableArguments {
    @Option(name: .long, help: "table (default), csv or json.") var format: String = "table"

    func parsed() throws -> HistoryFormat {
        guard let format = HistoryFormat(rawValue: format) else {
            throw ZizhuError(.usage, Message("historyError.format", ["format": format]))
        }
        return format
    }
}

/// Prints `table` in `format`; JSON prints `value` whole.
func printHistory<T: Encodable>(_ table: HistoryTable, json value: T, format: HistoryFormat, heading: [String] = []) throws {
    switch format {
    case .table:
        let lines = heading.isEmpty ? "" : heading.joined(separator: "\n") + "\n\n"
        FileHandle.standardOutput.write(Data((lines + table.text()).utf8))
    case .csv:
        FileHandle.standardOutput.write(Data(table.csv().utf8))
    case .json:
        FileHandle.standardOutput.write(Data(try HistoryTables.json(value).utf8))
    }
}

/// Runs a history command body, mapping errors to the contract's exit status; errors in the
/// command's `--lang`.
func historyCommand(_ language: LanguageOption, _ body: () throws -> Void) throws {
    let say = try language.resolved()
    do { try body() } catch { throw ExitCode(report(error, language: say)) }
}

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "运行历史（--history 文件.db）：各次运行、一次运行的发现项、两次运行之间的变化 / The run history (--history FILE.db): runs, one run's findings, what changed between two runs.",
        subcommands: [HistoryRuns.self, HistoryShow.self, HistoryDiffCommand.self])
}

struct HistoryRuns: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runs", abstract: "记录过的每次运行，最新的在前 / Every recorded run, newest first.")
    @OptionGroup var location: HistoryLocationOption
    @OptionGroup var format: FormatOption
    @OptionGroup var language: LanguageOption

    func run() throws {
        try historyCommand(language) {
            let format = try format.parsed()
            let runs = try location.open().backend.runs()
            try printHistory(HistoryTables.runs(runs), json: runs, format: format)
        }
    }
}

struct HistoryShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "一次运行：概况、输入和发现项（及其当时的状态，已解决的也列出）/ One run: its facts, inputs and findings (with their status then; resolved ones too).")
    @Argument(help: ArgumentHelp("The run's number (zizhu history runs).", valueName: "run")) var runID: Int64
    @OptionGroup var location: HistoryLocationOption
    @OptionGroup var format: FormatOption
    @OptionGroup var language: LanguageOption

    struct Shown: Encodable {
        var run: RunRecord
        var inputs: [InputRecord]
        var findings: [OccurrenceRecord]
    }

    func run() throws {
        try historyCommand(language) {
            let format = try format.parsed()
            let backend = try location.open().backend
            guard let record = try backend.run(runID) else {
                throw ZizhuError(.usage, Message("historyError.noRun", ["id": "\(runID)", "location": backend.location]), hint: Message("historyError.noRun.hint"))
            }
            let inputs = try backend.inputs(ofRun: runID)
            let occurrences = try backend.occurrences(ofRun: runID)
            var heading = HistoryTables.runs([record]).text().split(separator: "\n").map(String.init)
            heading += [""] + HistoryTables.inputs(inputs).text().split(separator: "\n").map(String.init)
            if !record.error.isEmpty { heading.append("error: \(record.error)") }
            try printHistory(HistoryTables.occurrences(occurrences), json: Shown(run: record, inputs: inputs, findings: occurrences),
                             format: format, heading: heading)
        }
    }
}

struct HistoryDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "从 RUN_A 到 RUN_B 的变化：新增、已解决、有变化和未变的发现项；金额变动 / What changed from RUN_A to RUN_B: new, resolved, changed and unchanged findings; money moved.")
    @Argument(help: "The earlier run.") var runA: Int64
    @Argument(help: "The later run.") var runB: Int64
    @OptionGroup var location: HistoryLocationOption
    @OptionGroup var format: FormatOption
    @OptionGroup var language: LanguageOption

    func run() throws {
        try historyCommand(language) {
            let format = try format.parsed()
            let diff = try HistoryDiff.between(runA, runB, in: location.open().backend)
            try printHistory(HistoryTables.diff(diff), json: diff, format: format, heading: HistoryTables.diffSummary(diff))
        }
    }
}

struct FindingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "findings",
        abstract: "运行历史中的发现项：列出它们；记录工作人员的决定（已说明、已接受）及说明 / Findings in the run history: list them; record an officer's decision (explained, accepted) with a note.",
        subcommands: [FindingsList.self, FindingsNote.self])
}

struct FindingsList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "发现项及其状态、首次发现时间和说明 / Findings with their status, first seen and note.")
    @Option(name: .long, parsing: .upToNextOption, help: "new, open, resolved, reopened, explained, accepted (one or more).") var status: [String] = []
    @Option(name: .long, parsing: .upToNextOption, help: "Finding codes (R10 …), one or more.") var code: [String] = []
    @Option(name: .long, help: "Only this term.") var term: String?
    @Option(name: .customLong("school-code"), help: "Only this school.") var schoolCode: String?
    @OptionGroup var location: HistoryLocationOption
    @OptionGroup var format: FormatOption
    @OptionGroup var language: LanguageOption

    func run() throws {
        try historyCommand(language) {
            let format = try format.parsed()
            let statuses = try status.flatMap { $0.split(separator: ",").map(String.init) }.map { name in
                guard let status = FindingStatus(rawValue: name) else {
                    throw ZizhuError(.usage, Message("historyError.statusFilter",
                                                       ["name": name, "statuses": FindingStatus.allCases.map(\.rawValue).joined(separator: ", ")]))
                }
                return status
            }
            let codes = code.flatMap { $0.split(separator: ",").map { $0.uppercased() } }
            let findings = try location.open().backend.findings(
                FindingFilter(statuses: statuses, codes: codes, term: term, schoolCode: schoolCode))
            try printHistory(HistoryTables.findings(findings), json: findings, format: format)
        }
    }
}

struct FindingsNote: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note",
        abstract: "记录对发现项的决定：已说明或已接受、由谁、为什么；在该发现项的事实改变前一直有效 / Record a decision on a finding: explained or accepted, by whom, why. It holds until the finding's facts change.")
    @Argument(help: "The finding's id (zizhu findings list), or its first digits.") var id: String
    @Option(name: .long, help: "explained or accepted.") var status: String
    @Option(name: .long, help: "Who decided.") var by: String
    @Option(name: .long, help: "Why.") var note: String
    @OptionGroup var location: HistoryLocationOption
    @OptionGroup var format: FormatOption
    @OptionGroup var language: LanguageOption

    func run() throws {
        try historyCommand(language) {
            let format = try format.parsed()
            guard let decision = FindingStatus(rawValue: status), decision.isDecision else {
                throw ZizhuError(.usage, Message("historyError.statusDecision", ["status": status]))
            }
            let finding = try location.open().note(findingID: id, status: decision, by: by, note: note)
            try printHistory(HistoryTables.findings([finding]), json: finding, format: format)
        }
    }
}
