import ZizhuCore

extension Submitter {
    /// Validation's findings on the submission's own inputs, as submit's findings (contract §6
    /// submit): S01 (an id registered twice) is described by the first of its roster rows, and a
    /// finding without a term or school gets the submission's.
    public func adopt(validationFindings: [Discrepancy], sourceNames: [String]) -> [Discrepancy] {
        validationFindings.map { finding in
            var f = finding.code == "S01" ? describedByFirstRow(finding, sourceNames: sourceNames) : finding
            if f.term.isEmpty { f.term = settings.term.canonical }
            if f.schoolCode.isEmpty { f.schoolCode = settings.schoolCode }
            return f
        }
    }
}

/// Whether a school's package and declaration may be written (contract §6 submit): only when
/// no error-severity finding and no rejected row remains — a package vouches for all its rows.
public struct PackageDecision: Sendable, Equatable {
    public var errorFindings: Int
    public var rejectedRows: Int

    public init(findings: [Discrepancy], rejectedRows: Int) {
        errorFindings = findings.filter { $0.severity == .error }.count
        self.rejectedRows = rejectedRows
    }

    public var mayWrite: Bool { errorFindings == 0 && rejectedRows == 0 }

    /// Why the package is not written ("2 error finding(s)", "3 rejected row(s)"); empty when it is.
    public var reasons: [String] {
        var why: [String] = []
        if errorFindings > 0 { why.append("\(errorFindings) error finding(s)") }
        if rejectedRows > 0 { why.append("\(rejectedRows) rejected row(s)") }
        return why
    }
}
