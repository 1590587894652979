/// Which tables the registry's rules apply to. `prd`: the registry's own `role` and
/// `persona` (singular, as the product requirements' example reads), the default for a
/// fresh database. `headspace`: the Headspace host's own `roles` and `personas` (its
/// revision `0462474af024`), adopted as they are: the host's later revisions reference
/// them by those names, so the registry adds its rules to them instead of owning them.
/// Every command finds the layout in the database (`Tables.detect`): nobody passes it.
public enum Layout: String, Sendable, CaseIterable, CustomStringConvertible {
    case prd
    case headspace

    public var description: String { rawValue }
}
