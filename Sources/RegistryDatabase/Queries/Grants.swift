import RegistryCore

/// The least privilege of each database user of persona-registry, stated once:
/// `persona-registry grants` prints it, docs/operating.md shows it, and a refused
/// privilege is explained with it. (`migrate` runs as the tables' owner.)
public struct Grants: Sendable {
    /// One privilege on one of the registry's tables, on some columns or on all.
    public struct Privilege: Sendable, Equatable, CustomStringConvertible {
        public var action: String
        public var table: String
        public var columns: [String]

        public var description: String {
            columns.isEmpty ? "\(action) on \(table)" : "\(action) (\(columns.joined(separator: ", "))) on \(table)"
        }

        func grant(to user: String) -> String {
            let columnList = columns.isEmpty ? "" : " (" + columns.joined(separator: ", ") + ")"
            return "GRANT \(action)\(columnList) ON \(table) TO \(user);"
        }
    }

    /// The tables of the layout the privileges are on.
    public let tables: Tables

    public init(_ tables: Tables) {
        self.tables = tables
    }

    /// Reading both tables: `serve` (which also LISTENs, needing no grant),
    /// `drift`, `reconcile`, `role list` and `persona list`; and the host's persona
    /// types where they exist (a persona's type is read with it).
    public var reading: [Privilege] {
        [Privilege(action: "SELECT", table: tables.role, columns: []),
         Privilege(action: "SELECT", table: tables.persona, columns: [])]
            + (tables.personaTypes ? [Privilege(action: "SELECT", table: Tables.personaTypesTable, columns: [])] : [])
    }
    /// `role add`: the columns it inserts (the id default and the triggers fill the rest).
    public var addingRole: [Privilege] {
        reading + [Privilege(action: "INSERT", table: tables.role, columns: ["name", "description"])] + idSequence(of: tables.role)
    }
    /// `persona add`.
    public var addingPersona: [Privilege] {
        reading + [Privilege(action: "INSERT", table: tables.persona, columns: ["name", "description", "role_id"])]
            + idSequence(of: tables.persona)
    }
    /// `persona archive` and `persona activate`.
    public var settingStatus: [Privilege] {
        reading + [Privilege(action: "UPDATE", table: tables.persona, columns: ["status"])]
    }
    /// `persona set`: a new name or description.
    public var editingPersona: [Privilege] {
        reading + [Privilege(action: "UPDATE", table: tables.persona, columns: ["name", "description"])]
    }
    /// `role set`: a new description.
    public var editingRole: [Privilege] {
        reading + [Privilege(action: "UPDATE", table: tables.role, columns: ["description"])]
    }
    /// Every command of the operator CLI apart from `migrate`.
    public var cli: [Privilege] {
        var all = reading
        for privilege in addingRole + addingPersona + settingStatus + editingPersona + editingRole where !all.contains(privilege) {
            all.append(privilege)
        }
        return all
    }

    /// The host's ids are `serial` columns, whose sequence an INSERT needs USAGE on; the
    /// registry's own are identity columns, which need no grant.
    private func idSequence(of table: String) -> [Privilege] {
        tables.layout == .headspace ? [Privilege(action: "USAGE", table: "SEQUENCE \(table)_id_seq", columns: [])] : []
    }

    /// The privileges of the `prd` layout, for messages written before a layout is known.
    public static let reading = Grants(.prd).reading
    public static let cli = Grants(.prd).cli

    /// The `prd` layout's `script`.
    public static func script(database: String, daemonUser: String, cliUser: String) -> String {
        Grants(.prd).script(database: database, daemonUser: daemonUser, cliUser: cliUser)
    }

    /// The GRANT statements for a daemon user and a CLI user of `database`.
    public func script(database: String, daemonUser: String, cliUser: String) -> String {
        let (database, daemon, clientName) = (Self.identifier(database), Self.identifier(daemonUser), Self.identifier(cliUser))
        var lines = [
            "-- persona-registry: the least privilege of its database users (run as the tables' owner).",
            tables.layout == .headspace
                ? "-- The host's ids are serial columns: an INSERT needs USAGE on their sequences. LISTEN needs no grant."
                : "-- No grant on a sequence is needed: the ids are identity columns. LISTEN needs no grant.",
            "-- One transaction: when a statement is refused (say, a user that does not exist), nothing is granted.",
            "BEGIN;",
            "",
            "-- serve and drift: read both tables.",
            "GRANT CONNECT ON DATABASE \(database) TO \(daemon);",
            "GRANT USAGE ON SCHEMA public TO \(daemon);",
        ]
        lines += reading.map { $0.grant(to: daemon) }
        lines += [
            "",
            "-- The operator CLI: role add|list|set, persona add|list|show|set|archive|activate, drift, reconcile.",
            "GRANT CONNECT ON DATABASE \(database) TO \(clientName);",
            "GRANT USAGE ON SCHEMA public TO \(clientName);",
        ]
        lines += cli.map { $0.grant(to: clientName) }
        lines.append("COMMIT;")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `name` as an SQL identifier: bare when PostgreSQL reads it back as exactly that name
    /// (lowercase letters, digits and `_`, not starting with a digit, not a reserved word),
    /// else double-quoted. Bare, `user` or `all` is a syntax error, and `public` or
    /// `current_user` name someone else (every role, or whoever runs the script).
    static func identifier(_ name: String) -> String {
        let plain = name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
            && !(name.first?.isNumber ?? true)
        return plain && !reservedWords.contains(name) ? name : "\"" + name.replacing("\"", with: "\"\"") + "\""
    }

    /// PostgreSQL's reserved key words and those not allowed as a function or type name
    /// (`pg_get_keywords()`, categories R and T, PostgreSQL 15), and the role names with a
    /// meaning of their own in GRANT (`public`, `none`).
    static let reservedWords: Set<String> = [
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization", "binary",
        "both", "case", "cast", "check", "collate", "collation", "column", "concurrently", "constraint", "create",
        "cross", "current_catalog", "current_date", "current_role", "current_schema", "current_time",
        "current_timestamp", "current_user", "default", "deferrable", "desc", "distinct", "do", "else", "end",
        "except", "false", "fetch", "for", "foreign", "freeze", "from", "full", "grant", "group", "having", "ilike",
        "in", "initially", "inner", "intersect", "into", "is", "isnull", "join", "lateral", "leading", "left", "like",
        "limit", "localtime", "localtimestamp", "natural", "not", "notnull", "null", "offset", "on", "only", "or",
        "order", "outer", "overlaps", "placing", "primary", "references", "returning", "right", "select",
        "session_user", "similar", "some", "symmetric", "table", "tablesample", "then", "to", "trailing", "true",
        "union", "unique", "user", "using", "variadic", "verbose", "when", "where", "window", "with",
        "public", "none",
    ]
}
