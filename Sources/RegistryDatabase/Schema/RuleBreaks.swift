import RegistryCore

/// The existing rows that break a rule the headspace layout adds, kept by
/// `migrate up --existing-rows keep`: listed by `migrate status` and `drift`.
public enum RuleBreaks {
    /// One line per row, `personas id 7: its status "gone" is neither active nor archived`;
    /// empty where the layout's function is absent (the `prd` layout refuses such rows).
    public static func list(on connection: PostgresConnection) throws -> [String] {
        guard try connection.query("SELECT to_regprocedure('persona_registry_rule_breaks()') IS NOT NULL").scalar == "t" else {
            return []
        }
        return try connection.query("SELECT table_name, id, rule FROM persona_registry_rule_breaks()").namedRows.map { row in
            "\(row["table_name"] ?? "?") id \(row["id"] ?? "?"): \(row["rule"] ?? "?")"
        }
    }
}
