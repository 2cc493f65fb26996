import ArgumentParser
import Foundation
import ZizhuCore

/// `--lang zh|en` of the commands that run no pipeline (sample, verify, keys new, history, findings,
/// serve, users):
/// the language of what they print and of their errors. Without it: ZIZHU_LANG, then the locale.
struct LanguageOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The language of messages: zh (中文, the default) or en; else ZIZHU_LANG, else an English LANG/LC_* gives en.", valueName: "zh|en")) var lang: String?

    /// The chosen language; an unknown `--lang` is a usage error (exit 2), reported in the
    /// environment's language.
    func resolved() throws -> Language {
        do {
            return try Language.resolve(flag: lang, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw ExitCode(report(error))
        }
    }
}
