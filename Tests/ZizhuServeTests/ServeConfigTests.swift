import Foundation
import Testing
import ZizhuCore
@testable import ZizhuServe
import ZizhuTestSupport

@Suite("serve.yaml") struct ServeConfigTests {
    static let full = """
        listen: 0.0.0.0:9090
        data: /srv/zizhu
        term: 2024-spring
        schools: sample-data/schools.csv
        trust: keys
        unmask-roles: [finance, province]
        secure-cookies: true
        limits:
          max-upload-mb: 40
          workers: 2
        store: postgres://zizhu@db.example:5432/zizhu
        history: postgres://zizhu@db.example:5432/zizhu?schema=history
        """

    @Test("every key of serve.yaml reaches the server's configuration")
    func everyKeyIsRead() throws {
        let configuration = try ServeConfigFile.parse(Self.full, file: "serve.yaml").configuration()
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.port == 9090)
        #expect(configuration.dataFolder == "/srv/zizhu")
        #expect(configuration.term == "2024-spring")
        #expect(configuration.trustFolder == "keys")
        #expect(configuration.unmaskRoles == [.finance, .province])
        #expect(configuration.secureCookies)
        #expect(configuration.maxUploadBytes == 40 << 20)
        #expect(configuration.workers == 2)
        #expect(configuration.store == "postgres://zizhu@db.example:5432/zizhu")
        #expect(configuration.historyLocation == "postgres://zizhu@db.example:5432/zizhu?schema=history")
    }

    @Test("without store: and history: the server keeps DATA/serve.sqlite and records into DATA/history.sqlite")
    func defaultsAreTheDataFolder() throws {
        let configuration = try ServeConfigFile.parse("data: d\n", file: "serve.yaml").configuration()
        #expect(configuration.store == nil)
        #expect(configuration.historyLocation == "d/history.sqlite")
        #expect(configuration.host == "127.0.0.1" && configuration.port == 8080 && configuration.workers == 1)
    }

    @Test("a flag wins over the file, the file over the default")
    func flagsWinOverTheFile() throws {
        var flags = ServeConfigFile()
        flags.listen = "127.0.0.1:7000"
        flags.store = "sqlite"
        flags.workers = 1
        let configuration = try ServeConfigFile.parse(Self.full, file: "serve.yaml").overridden(by: flags).configuration()
        #expect(configuration.port == 7000)
        #expect(configuration.store == "sqlite")
        #expect(configuration.workers == 1)
        // What the flags left alone comes from the file.
        #expect(configuration.dataFolder == "/srv/zizhu")
        #expect(configuration.maxUploadBytes == 40 << 20)
    }

    @Test("an unknown key is refused with file:line:col and the keys allowed there", arguments: [
        ("listen: 127.0.0.1:8080\nport: 9000\n", "serve.yaml:2:1", "listen"),
        ("limits:\n  workers: 1\n  threads: 4\n", "serve.yaml:3:3", "max-upload-mb"),
    ])
    func unknownKeyIsLocated(text: String, mark: String, allowed: String) throws {
        let error = try #require(throws: ZizhuError.self) { try ServeConfigFile.parse(text, file: "serve.yaml") }
        #expect(error.code == .configuration)
        #expect(error.message.hasPrefix(mark))
        #expect(error.hint?.contains(allowed) == true)
    }

    @Test("a bad value is refused where it stands", arguments: [
        ("store: mysql://x\n", "serve.yaml:1:8"),
        ("limits:\n  workers: 3\n", "serve.yaml:2:12"),
        ("limits:\n  max-upload-mb: lots\n", "serve.yaml:2:18"),
        ("unmask-roles: [admin]\n", "serve.yaml:1:15"),
        ("listen: nowhere\n", "serve.yaml:1:9"),
        ("secure-cookies: maybe\n", "serve.yaml:1:17"),
        ("- a list\n", "serve.yaml:1:1"),
        ("listen: [unclosed\n", "serve.yaml:2:1"),
    ])
    func badValueIsLocated(text: String, mark: String) throws {
        let error = try #require(throws: ZizhuError.self) { try ServeConfigFile.parse(text, file: "serve.yaml") }
        #expect(error.code == .configuration)
        #expect(error.message.hasPrefix(mark), "\(error.message)")
    }

    @Test("a store URL's password never shows in the refusal")
    func passwordIsRedacted() throws {
        let error = try #require(throws: ZizhuError.self) {
            var flags = ServeConfigFile()
            flags.store = "mysql://u:secret-pw@h/d"
            _ = try flags.configuration()
        }
        #expect(!error.message.contains("secret-pw"))
    }

    @Test("the committed serve/serve.yaml is read without a mistake")
    func committedSampleParses() throws {
        let configuration = try ServeConfigFile.load("\(ServeHarness.packageRoot)/serve/serve.yaml").configuration()
        #expect(configuration.store == nil || configuration.store == "sqlite")
        #expect(configuration.port == 8080)
    }
}
