/// The output formats of `drift` and `reconcile`.
public enum DriftFormat: String, Sendable, CaseIterable {
    case text
    case json
    case porcelain
}
