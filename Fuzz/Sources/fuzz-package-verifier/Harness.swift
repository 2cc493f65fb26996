// libFuzzer harness: arbitrary bytes → a school package (.zip) → PackageVerifier. See Fuzz/README.md.
//
// Input layout: byte 0 picks how, the rest is the package.
//   bit 0: 0 the bytes in memory (`verify(bytes:)`, as a city archive's entry is read), 1 the bytes
//     written to `package.zip` and verified by path (`verify(path:)`, as `zizhu verify` does);
//   bit 1: with the trust folder Fuzz/trust/ (the seed packages' school keys), so M06 is checked;
//   bit 2: tight archive limits (64 KiB an entry, ratio 20, 8 entries), so the limit paths run.
import Foundation
import FuzzSupport
import ZizhuCore
import ZizhuIO
import ZizhuPackage
import ZizhuSchema

enum Setup {
    /// Fuzz/trust in the checkout, when it is there.
    static let trust: TrustStore? = {
        for root in ProjectFiles.roots() {
            let folder = root.appendingPathComponent("Fuzz/trust").path
            if let store = try? TrustStore(folder: folder) { return store }
        }
        Fuzz.say("fuzz: no Fuzz/trust folder found; M06 is checked against an empty trust folder")
        return try? TrustStore(folder: Fuzz.scratch)
    }()

    static let tight = ArchiveLimits(maxEntryBytes: 1 << 16, maxTotalBytes: 1 << 17, maxRatio: 20, maxEntries: 8)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPackageVerifier(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var input = FuzzInput(data, size)
    let selector = input.selector()
    let trust = selector & 2 != 0 ? Setup.trust : nil
    let limits = selector & 4 != 0 ? Setup.tight : .default
    let result: PackageVerification
    if selector & 1 == 0 {
        result = PackageVerifier.verify(bytes: input.payload, name: "package.zip", trust: trust, limits: limits)
    } else {
        do {
            result = try PackageVerifier.verify(path: Fuzz.file("package.zip", input.rest), trust: trust, limits: limits)
        } catch {
            // Only a file that cannot be opened may be thrown; this one was just written.
            Fuzz.fail("verify(path:) threw for a readable file: \(error)")
        }
    }
    // What must hold of any verdict: a package without problems was read whole.
    if result.isValid {
        if result.manifest == nil || result.declaration == nil || result.roster == nil || result.applications == nil {
            Fuzz.fail("a package without problems lacks its manifest, declaration or data files")
        }
        if trust != nil && result.trustedKey == nil {
            Fuzz.fail("a package without problems under a trust folder has no trusted key")
        }
    }
    for problem in result.problems where problem.reason.isEmpty {
        Fuzz.fail("problem \(problem.code.rawValue) \(problem.subject) has no reason")
    }
    return 0
}

/// Called by libFuzzer once, before the first input: `--make-seeds DIR` writes the seed packages
/// and exits (see SeedMaker); otherwise the trust folder is found.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<Int32>?,
                           _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> Int32 {
    let arguments = CommandLine.arguments
    if arguments.count == 3 && arguments[1] == "--make-seeds" { SeedMaker.run(into: arguments[2]) }
    _ = Setup.trust
    return 0
}
