import RegistryCore

/// The one place that names each layout's tables and columns: every query on the
/// registry's tables is written once, against these names.
public struct Tables: Sendable, Equatable {
    public var layout: Layout
    /// `personas.persona_type_id` and the `persona_types` table exist (the host's revision
    /// `ed3c7ae48539`); only ever true on the `headspace` layout.
    public var personaTypes: Bool

    public init(layout: Layout, personaTypes: Bool = false) {
        self.layout = layout
        self.personaTypes = layout == .headspace && personaTypes
    }

    /// The registry's own schema.
    public static let prd = Tables(layout: .prd)

    public var role: String {
        switch layout {
        case .prd: "role"
        case .headspace: "roles"
        }
    }

    public var persona: String {
        switch layout {
        case .prd: "persona"
        case .headspace: "personas"
        }
    }

    /// The host's lookup table of persona types (revision `ed3c7ae48539`).
    public static let personaTypesTable = "persona_types"

    /// The longest name each table accepts: the `prd` layout's checks, the host's column lengths.
    public var roleNameLimit: Int { 64 }
    public var personaNameLimit: Int {
        switch layout {
        case .prd: 100
        case .headspace: 64
        }
    }

    /// The SQL of a role name's part of the slug, for `expression` (the unique index's expression).
    public func roleSlugPart(_ expression: String) -> String {
        switch layout {
        case .prd: "persona_registry_slug_part(\(expression), 'role', 64)"
        case .headspace: "persona_registry_host_slugify(\(expression))"
        }
    }

    /// The role slug part in Swift, as `roleSlugPart` computes it in SQL.
    public func roleSlugPart(of name: String) -> String {
        switch layout {
        case .prd: Slug.part(name, fallback: "role", limit: Slug.roleLimit)
        case .headspace: Slug.hostPart(name)
        }
    }

    /// The SQL condition on persona `alias` of the rows the tree is served from: every row on
    /// the `prd` layout (its checks); on the host's, rows kept by `migrate up --existing-rows
    /// keep` whose status or slug the registry cannot project are left to `RuleBreaks`.
    func servable(_ alias: String) -> String {
        switch layout {
        case .prd: "true"
        case .headspace: "\(alias).status IN ('active', 'archived') AND \(alias).slug ~ '^[a-z0-9-]*[a-z0-9]$'"
        }
    }

    /// The SQL of persona `alias`'s type key (`agent`, `person`), NULL where the layout has no types.
    func personaType(of alias: String) -> String {
        personaTypes
            ? "(SELECT t.type_key FROM \(Self.personaTypesTable) t WHERE t.id = \(alias).persona_type_id)"
            : "NULL::text"
    }

    /// Which layout carries the registry's rules (its slug trigger, by name, on a visible table:
    /// a migration that ran leaves it, a table of that name alone does not), and whether the
    /// host's persona types exist. A catalog read every user may make: no grant needed.
    public static let detection = Statement("""
        SELECT (SELECT CASE c.relname WHEN 'persona' THEN 'prd' WHEN 'personas' THEN 'headspace' END
                  FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
                 WHERE t.tgname = 'persona_registry_slug' AND c.relname IN ('persona', 'personas')
                   AND pg_catalog.pg_table_is_visible(c.oid)
                 ORDER BY c.relname LIMIT 1) AS layout,
               EXISTS (SELECT 1 FROM pg_catalog.pg_attribute
                        WHERE attrelid = to_regclass('personas') AND attname = 'persona_type_id'
                          AND NOT attisdropped)
                 AND to_regclass('persona_types') IS NOT NULL AS persona_types
        """)

    /// The tables `detection` found; `TableError.schemaMissing` when no migration ran.
    public init(detected result: QueryResult) throws {
        guard let row = result.namedRows.first, let name = row["layout"],
              let layout = Layout(rawValue: name) else {
            throw TableError.schemaMissing("no table carries the registry's rules")
        }
        self.init(layout: layout, personaTypes: row["persona_types"] == "t")
    }

    /// The layout of the database `connection` is connected to.
    public static func detect(on connection: PostgresConnection) throws -> Tables {
        try Tables(detected: connection.query(detection))
    }
}
