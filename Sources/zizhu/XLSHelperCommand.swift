import ArgumentParser
import ZizhuIngest

/// `zizhu xls-cells`: not for people. Reading an .xls runs FreeXL in this child process (see
/// `XLSHelper`), so a crafted file that crashes the library ends the child, not the run or the server.
struct XLSHelperCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: XLSHelper.commandName,
                                                    abstract: "Internal: reads an .xls for zizhu in a child process.",
                                                    shouldDisplay: false)
    @Argument(parsing: .captureForPassthrough) var arguments: [String] = []

    func run() throws {
        throw ExitCode(XLSHelper.main(arguments))
    }
}
