import ArgumentParser
import Foundation
import ZizhuCore
import ZizhuPackage
import ZizhuPipeline
import ZizhuSample

/// `zizhu`: argument parsing, printing and exit codes only; the work is in the libraries.
struct Zizhu: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zizhu",
        abstract: "资助：核实中职学生资助数据与发放 / 资助 — keep technical-school student aid data and payouts honest.",
        discussion: "Exit status: 0 no error-severity finding; 1 findings or rejected rows; 2 bad usage or configuration; 3 an input could not be read.",
        version: PipelineRunner.version,
        subcommands: [Submit.self, Reconcile.self, Merge.self, Validate.self, Run.self, Sample.self, Verify.self, Keys.self,
                      HistoryCommand.self, FindingsCommand.self, Serve.self, Users.self, XLSHelperCommand.self])
}

struct CommonOptions: ParsableArguments {
    @Flag(name: .long, help: "No progress on stderr.") var quiet = false
    @Flag(name: .long, help: "Write id and account numbers whole in machine files (csv/json).") var unmask = false
    @Option(name: .long, help: "The sheet to read in .xlsx/.xls inputs: its name or 1-based index (default: the first visible sheet with data).") var sheet: String?
    @Option(name: .long, help: "Record the run in a history (a SQLite file, made 0600; default $ZIZHU_HISTORY): findings get status, first_seen, note.") var history: String?
    @Option(name: .long, help: ArgumentHelp("The language of messages: zh (中文, the default) or en; else ZIZHU_LANG, else an English LANG/LC_* gives en.", valueName: "zh|en")) var lang: String?

    /// The run's language; an unknown `--lang` is a usage error.
    func language() throws -> Language {
        try Language.resolve(flag: lang, environment: ProcessInfo.processInfo.environment)
    }

    func runOptions() throws -> RunOptions {
        var options = RunOptions()
        options.language = try language()
        options.quiet = quiet
        options.unmask = unmask
        options.sheet = sheet
        options.history = history
        options.command = CommandLine.arguments
        return options
    }
}

/// `--map`, on the commands that read tables.
struct MapOptions: ParsableArguments {
    @Option(name: .customLong("map"), help: ArgumentHelp("Map a file's own column title to a schema field: '付款金额=amount', or for one input 'ledger:付款金额=amount' (repeatable).", valueName: "[input:]title=field"))
    var maps: [String] = []
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "按表结构校验文件（名册、申报、发放明细、拨付或表结构文件）/ Check files against a schema (roster, applications, ledger, allocations or a schema file).")
    @Option(name: .long, help: "roster | applications | ledger | allocations | path/to/schema.json") var schema: String
    @Option(name: .long, help: "Folder for rejects.csv, summary.json, report.html, manifest.json.") var out: String?
    @OptionGroup var maps: MapOptions
    @OptionGroup var common: CommonOptions
    @Argument(help: "CSV, .csv.gz, .xlsx, .xls or .zip files, or - for standard input.") var files: [String] = []

    func run() throws {
        try execute(common) {
            var options = try common.runOptions()
            options.columnMaps = maps.maps
            return try Jobs.validate(schema: schema, files: files, out: out, options: options) }
    }
}

struct Reconcile: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "核对审批名单与银行代发/回盘文件（R01–R14、发放台账、结算）/ Reconcile approved grants against bank payout / return files (R01–R14, 发放台账, 结算).")
    @Option(name: .long, help: "The term: 2023-fall, 2023-spring, 2023年秋季学期 …") var term: String
    @Option(name: .long, parsing: .upToNextOption, help: "The approved list (资助审批名单): one or more files.") var approved: [String] = []
    @Option(name: .long, parsing: .upToNextOption, help: "Bank payout / return files (代发明细, 回盘文件).") var ledger: [String] = []
    @Option(name: .long, parsing: .upToNextOption, help: "The roster (学籍名册), for R07, R08, R13.") var roster: [String] = []
    @Option(name: .long, help: "Grant allocations (资金拨付), for R14 and settlement.") var allocations: String?
    @Option(name: .long, help: "A pipeline file to use instead of pipelines/finance-reconcile.yaml.") var config: String?
    @Option(name: .long, help: "Output folder.") var out: String
    @OptionGroup var maps: MapOptions
    @OptionGroup var common: CommonOptions

    func run() throws {
        try execute(common) {
            var options = try common.runOptions()
            options.columnMaps = maps.maps
            return try Jobs.reconcile(term: term, approved: approved, ledger: ledger, roster: roster,
                               allocations: allocations.map { [$0] } ?? [], config: config, out: out, options: options)
        }
    }
}

struct Submit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "检查学校的学期申报（S01–S12），生成申报包和申报数据真实性声明 / Check a school's term submission (S01–S12); write its package and declaration of authenticity (申报数据真实性声明).",
        discussion: "The package {school_code}_{term}.zip and declaration.html are written only when no error finding and no rejected row remains; otherwise the findings are written and the exit status is 1.")
    @Option(name: .long, help: "The term: 2023-fall, 2023-spring, 2023年秋季学期 …") var term: String
    @Option(name: .customLong("school-code"), help: "The school's code (学校代码).") var schoolCode: String
    @Option(name: .customLong("school-city"), help: "The school's city (GB/T 2260 code or name, e.g. 370100 or 济南市), for S08.") var schoolCity: String?
    @Option(name: .customLong("school-name"), help: "The school's name for the declaration (default: the roster's 学校名称).") var schoolName: String?
    @Option(name: .long, parsing: .upToNextOption, help: "The roster (学籍名册).") var roster: [String] = []
    @Option(name: .long, parsing: .upToNextOption, help: "The aid applications (资助申报名单).") var applications: [String] = []
    @Option(name: .customLong("sign-key"), help: "The principal's Ed25519 private key (zizhu keys new): signs declaration.json.") var signKey: String?
    @Option(name: .customLong("generated-at"), help: "The package's generated_at (ISO 8601); default SOURCE_DATE_EPOCH, else now.") var generatedAt: String?
    @Option(name: .long, help: "A pipeline file to use instead of pipelines/school-submit.yaml.") var config: String?
    @Option(name: .long, help: "Output folder.") var out: String
    @OptionGroup var maps: MapOptions
    @OptionGroup var common: CommonOptions

    func run() throws {
        try execute(common) {
            var options = try common.runOptions()
            options.columnMaps = maps.maps
            options.signKey = signKey
            options.generatedAt = generatedAt
            return try Jobs.submit(term: term, schoolCode: schoolCode, schoolCity: schoolCity, schoolName: schoolName, roster: roster, applications: applications,
                            config: config, out: out, options: options)
        }
    }
}

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "为市或省合并学校申报包和市级汇总包（M01–M06、合并名册与申报）/ Merge school packages and city archives for a city or province (M01–M06, merged roster and applications).",
        discussion: "Every package is verified before anything of it is used; a package that fails is quarantined whole and the rest merge. Exit status: 0 no error-severity finding; 1 error findings (M01, M02, M04, M06) or rejected rows of the expected list; 2 bad usage; 3 an input could not be read.")
    @Option(name: .long, help: "The term: 2023-fall, 2023-spring, 2023年秋季学期 …") var term: String
    @Option(name: .long, help: "The expected list (应报学校名单): school_code[, school_name, city_code, city_name], for M03.") var expected: String?
    @Option(name: .long, help: "A folder of trusted public keys <school_code>.pub: every declaration must be signed with its school's key (M06).") var trust: String?
    @Option(name: .long, help: "A pipeline file to use instead of pipelines/province-merge.yaml.") var config: String?
    @Option(name: .long, help: "Output folder.") var out: String
    @OptionGroup var common: CommonOptions
    @Argument(help: "School packages ({school_code}_{term}.zip), city archives (zips of packages) or folders of them.") var inputs: [String] = []

    func run() throws {
        try execute(common) {
            try Jobs.merge(term: term, inputs: inputs, expected: expected, trust: trust, config: config, out: out,
                           options: try common.runOptions())
        }
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "运行流程文件（pipelines/NAME.yaml）/ Run a pipeline file (pipelines/NAME.yaml).")
    @Argument(help: "A pipeline name (validate) or a path to a .yaml file.") var pipeline: String
    @Option(name: .customLong("set"), help: "Set a pipeline variable: name=value (repeat for lists).") var sets: [String] = []
    @Option(name: .long, help: "Output folder (overrides the pipeline's output).") var out: String?
    @OptionGroup var common: CommonOptions

    func run() throws {
        try execute(common) { try Jobs.run(pipeline: pipeline, sets: sets, out: out, options: try common.runOptions()) }
    }
}

struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "生成逼真、带错误的合成数据集（同一种子结果相同）/ Write a realistic, messy synthetic data set (deterministic per seed).")
    @Option(name: .long, help: "Output folder.") var out: String
    @Option(name: .long, help: "Number of students.") var students = 2000
    @Option(name: .long, help: "Random seed.") var seed: UInt64 = 1
    @Option(name: .long, help: "Schools sending files (at least 3; default: about one per 1,500 students). School sizes vary by seeded weights, not by --students.") var schools: Int?
    @Option(name: .long, help: ArgumentHelp("Also give a 国家助学金 (approved, paid) to this percentage (0–100) of the other full-time enrolled students, any grade; 100 gives about one bank row per student (benchmarks). Default: only grade 1–2 students with a hardship type.", valueName: "percent")) var grantShare: Int?
    @Flag(name: .long, help: "No progress on stderr.") var quiet = false
    @OptionGroup var language: LanguageOption

    func run() throws {
        let say = try language.resolved()
        var options = SampleOptions()
        options.students = students
        options.seed = seed
        options.schools = schools
        options.grantShare = grantShare
        let meter = ProgressMeter(quiet: quiet)
        meter.begin()
        do {
            let report = try SampleGenerator.write(to: out, options: options) { fraction in
                meter.update("sample \(Int(fraction * 100))%", rows: Int(Double(students) * fraction), bytes: 0)
            }
            meter.finish()
            print(say("sample.written", ["files": "\(report.files.count)", "students": "\(report.students)",
                                         "planted": "\(report.planted)", "folder": out]))
        } catch {
            meter.finish()
            throw ExitCode(report(error, language: say))
        }
    }
}

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "核验学校申报包：M02 完整性、M04 声明、M06 签名 / Check a school package (申报包): M02 integrity, M04 declaration, M06 signature (one that does not verify; with --trust, also unsigned or not the school's key).",
        discussion: "Prints one line per problem, or OK with the school, term, counts, fingerprint and signer. Exit status: 0 the package is good; 1 problems found; 2 bad usage; 3 the file cannot be read.")
    @Argument(help: "The package, {school_code}_{term}.zip.") var package: String?
    @Option(name: .long, help: "A folder of trusted public keys <school_code>.pub: the declaration must be signed with its school's key.") var trust: String?
    @OptionGroup var language: LanguageOption

    func run() throws {
        let say = try language.resolved()
        let verification: PackageVerification
        do {
            guard let package else {
                throw ZizhuError(.usage, Message("error.verify.noPackage"), hint: Message("error.verify.noPackage.hint"))
            }
            let store = try trust.map { try TrustStore(folder: $0) }
            verification = try PackageVerifier.verify(path: package, trust: store)
        } catch {
            throw ExitCode(report(error, language: say))
        }
        for line in verification.reportLines(say) { print(Masking.text(line)) }
        if !verification.isValid { throw ExitCode(1) }
    }
}

struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "校长签署声明用的 Ed25519 密钥（--sign-key）/ Ed25519 keys with which a school's principal signs its declaration (--sign-key).",
        subcommands: [NewKey.self])
}

struct NewKey: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "生成密钥对：NAME.key（私钥，权限 0600）和 NAME.pub（公钥）/ Make a key pair: NAME.key (private, mode 0600) and NAME.pub (public).",
        discussion: "A school's principal names the key after the school code (--name 3701J001), so the province's trust folder holds <school_code>.pub files. Existing key files are never overwritten.")
    @Option(name: .long, help: "Folder for the key files (made, mode 0700, when missing).") var out: String?
    @Option(name: .long, help: "The key's name; default principal.") var name: String?
    @OptionGroup var language: LanguageOption

    func run() throws {
        let say = try language.resolved()
        let created: SigningKeyFile.CreatedPair
        do {
            guard let out else { throw ZizhuError(.usage, Message("error.keys.noOut"), hint: Message("error.keys.noOut.hint")) }
            created = try SigningKeyFile.createPair(in: out, name: name ?? SigningKeyFile.defaultName)
        } catch {
            throw ExitCode(report(error, language: say))
        }
        print(say("keys.private", ["path": created.privateKeyPath]))
        print(say("keys.public", ["path": created.publicKeyPath, "key": created.publicKey.keyId]))
    }
}

/// Runs a job, prints its summary in the run's language, and exits with the contract's status.
func execute(_ common: CommonOptions, _ body: () throws -> RunResult) throws {
    // An unknown --lang is itself reported in the language of the environment.
    let language = (try? common.language()) ?? environmentLanguage()
    let result: RunResult
    do { result = try body() } catch { throw ExitCode(report(error, language: language)) }
    for line in result.lines { print(Masking.text(line)) }
    if !result.outputDirectory.isEmpty { print(language("general.outputs", ["folder": result.outputDirectory])) }
    if result.exitStatus != 0 { throw ExitCode(result.exitStatus) }
}

/// The language of commands without `--lang`: ZIZHU_LANG, then the locale; Chinese otherwise.
func environmentLanguage() -> Language {
    (try? Language.resolve(flag: nil, environment: ProcessInfo.processInfo.environment)) ?? .zh
}

/// Prints an error to stderr in `language` and returns its exit status.
func report(_ error: any Error, language: Language = environmentLanguage()) -> Int32 {
    if let error = error as? ZizhuError {
        FileHandle.standardError.write(Data("zizhu: \(Masking.text(error.text(language)))\n".utf8))
        return error.code.exitStatus
    }
    FileHandle.standardError.write(Data("zizhu: \(Masking.text(language("general.errorPlain", ["message": "\(error)"])))\n".utf8))
    return 3
}

/// Like `Zizhu.main()`, but argument errors exit 2 (the contract's "bad usage"), not
/// argument-parser's 64; help and version still exit 0.
func runCommandLine() -> Never {
    do {
        var command = try Zizhu.parseAsRoot()
        try command.run()
        Zizhu.exit()
    } catch {
        let code = Zizhu.exitCode(for: error)
        if code == .validationFailure {
            FileHandle.standardError.write(Data((Zizhu.fullMessage(for: error) + "\n").utf8))
            Zizhu.exit(withError: ExitCode(2))
        }
        Zizhu.exit(withError: error)
    }
}

runCommandLine()
