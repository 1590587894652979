/// The output formats of `drift` and `reconcile`.
public enum DriftFormat: String, Sendable, CaseIterable {
    case text
    case json
    case porcelain
}

/// A report `drift` or `reconcile` prints, in whichever `DriftFormat` was asked
/// for: `DriftReport`, and `ReconcileReport`, which ends with a `DriftReport`.
public protocol FormattedReport {
    /// A readable table, then the one-line summary; ends with a newline.
    func text() -> String
    /// Tab-separated lines, stable for scripts; each ends with a newline.
    func porcelain() -> String
    /// One object, without a final newline, so that one report can hold another's.
    func json() -> String
}

extension FormattedReport {
    /// The report in `format`, ending with a newline.
    public func rendered(as format: DriftFormat) -> String {
        switch format {
        case .text: text()
        case .json: json() + "\n"
        case .porcelain: porcelain()
        }
    }
}
