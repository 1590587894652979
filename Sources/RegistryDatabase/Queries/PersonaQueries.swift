import RegistryCore

/// The queries on the persona table of `tables`' layout, always joined with the persona's role.
public struct PersonaQueries: Sendable {
    public let tables: Tables
    /// Named as `Persona(columns:)` reads them.
    let columns: String
    /// `persona p JOIN role r`, in the layout's names.
    let joined: String
    /// The rows the tree is served from (`Tables.servable`).
    let servable: String
    /// The text of the usual notification batch's query (`withIDs`), made once: it is sent
    /// for every insert.
    let byIDs: String

    public init(_ tables: Tables) {
        self.tables = tables
        columns = """
            p.id, p.slug, p.name, r.name AS role, p.role_id, p.status, p.description,
            to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at,
            \(tables.personaType(of: "p")) AS persona_type
            """
        joined = "\(tables.persona) p JOIN \(tables.role) r ON r.id = p.role_id"
        servable = tables.servable("p")
        byIDs = "SELECT \(columns) FROM \(joined) WHERE p.id = ANY($1::integer[]) AND \(servable) ORDER BY p.id"
    }

    /// Inserts a persona with the named role; the database generates its slug.
    public func add(role: String, name: String, description: String?,
                           on connection: PostgresConnection) throws -> Persona {
        do {
            let result = try connection.query("""
                WITH inserted AS (
                    INSERT INTO \(tables.persona) (name, description, role_id)
                    SELECT $2, $3, id FROM \(tables.role) WHERE name = $1
                    RETURNING *)
                SELECT \(columns) FROM inserted p JOIN \(tables.role) r ON r.id = p.role_id
                """, [role, name, description])
            guard let persona = try Self.decode(result).first else {
                throw TableError.unknownRole(role)
            }
            return persona
        } catch let error as PostgresError {
            throw explain(error, name: name)
        }
    }

    /// Every persona that can have a directory, ordered by id.
    /// Read a row at a time (`forEachRow`): at 100,000 personas libpq's result and its copy
    /// held more than the rows made of them.
    public func all(on connection: PostgresConnection) throws -> [Persona] {
        var personas: [Persona] = []
        try connection.forEachRow(every) { row in
            guard let persona = Persona(columns: { row[$0] }) else { throw TableError.unexpectedRow(.persona, "\(row.values)") }
            personas.append(persona)
        }
        return personas
    }

    /// The statement of `all`.
    public var every: Statement { Statement("SELECT \(columns) FROM \(joined) WHERE \(servable) ORDER BY p.id") }

    /// At most `limit` of the personas `every` reads, those with ids greater than `after`
    /// (`nil`: from the first): a page of the daemon's sweep. A range scan of the primary
    /// key on both layouts, each page a statement of its own (no transaction spans pages).
    public func page(after: Int?, limit: Int) -> Statement {
        Statement("""
            SELECT \(columns) FROM \(joined)
            WHERE p.id > $1::bigint AND \(servable) ORDER BY p.id LIMIT \(max(1, limit))
            """, [String(after ?? Int(Int64.min))])
    }

    /// Personas filtered by role name and status (`nil` for any), ordered by id.
    /// A role that does not exist is refused (`unknownRole`), as `add` refuses it: an empty list
    /// would say the role has no personas.
    public func list(role: String?, status: PersonaStatus?, on connection: PostgresConnection) throws -> [Persona] {
        let personas = try Self.decode(connection.query("""
            SELECT \(columns) FROM \(joined)
            WHERE ($1::text IS NULL OR r.name = $1) AND ($2::text IS NULL OR p.status = $2) AND \(servable)
            ORDER BY p.id
            """, [role, status?.rawValue]))
        if let role, personas.isEmpty,
           try connection.query("SELECT 1 FROM \(tables.role) WHERE name = $1", [role]).rows.isEmpty {
            throw TableError.unknownRole(role)
        }
        return personas
    }

    /// The personas with these ids, and those of the roles in `roleNames` whose name is no
    /// longer the one given (a rename the tables confirm), in one query.
    public func withIDs(_ ids: [Int], orRolesRenamedFrom roleNames: [Int: String],
                               on connection: PostgresConnection) throws -> [Persona] {
        guard let statement = withIDs(ids, orRolesRenamedFrom: roleNames) else { return [] }
        return try Self.decode(connection.query(statement))
    }

    /// The statement of `withIDs(_:orRolesRenamedFrom:on:)`; `nil` when there is nothing to ask for.
    public func withIDs(_ ids: [Int], orRolesRenamedFrom roleNames: [Int: String]) -> Statement? {
        guard !ids.isEmpty || !roleNames.isEmpty else { return nil }
        // The usual batch names personas only (its roles were not renamed): one branch, which
        // PostgreSQL plans in a third of the time of the union (measured: bench/RESULTS.md).
        if roleNames.isEmpty {
            return Statement(byIDs, [Self.arrayLiteral(ids)])
        }
        let roles = roleNames.sorted { $0.key < $1.key }
        // Two branches, not one WHERE with OR: with the OR, PostgreSQL scanned the whole persona
        // table for every batch (30 ms at 100,000 personas); each branch alone uses an index
        // (the primary key; persona_role_id_idx), and the second reads nothing when no name differs.
        return Statement("""
            SELECT \(columns) FROM \(joined)
            WHERE p.id = ANY($1::integer[]) AND \(servable)
            UNION
            SELECT \(columns) FROM \(joined)
            WHERE \(servable) AND p.role_id IN (SELECT k.id FROM unnest($2::integer[], $3::text[]) AS k(id, name)
                                JOIN \(tables.role) renamed ON renamed.id = k.id AND renamed.name IS DISTINCT FROM k.name)
            ORDER BY id
            """, [Self.arrayLiteral(ids), Self.arrayLiteral(roles.map(\.key)), Self.textArrayLiteral(roles.map(\.value))])
    }

    /// The personas with these slugs, in one query; strings that are not slugs match nothing.
    public func withSlugs(_ slugs: [String], on connection: PostgresConnection) throws -> [Persona] {
        guard let statement = withSlugs(slugs) else { return [] }
        return try Self.decode(connection.query(statement))
    }

    /// The statement of `withSlugs(_:on:)`; `nil` when none of `slugs` is a slug.
    public func withSlugs(_ slugs: [String]) -> Statement? {
        let valid = slugs.filter { Slug.isValid($0, in: tables.layout) }
        guard !valid.isEmpty else { return nil }
        return Statement("""
            SELECT \(columns) FROM \(joined)
            WHERE p.slug = ANY($1::text[]) AND \(servable) ORDER BY p.id
            """, ["{" + valid.joined(separator: ",") + "}"])
    }

    /// The slugs that start with `prefix`, in byte order, at most `limit` (a shell's completion).
    public func slugs(startingWith prefix: String, limit: Int, on connection: PostgresConnection) throws -> [String] {
        try connection.query("""
            SELECT p.slug FROM \(tables.persona) p WHERE starts_with(p.slug, $1) AND \(servable)
            ORDER BY p.slug COLLATE "C" LIMIT \(max(1, limit))
            """, [prefix]).rows.compactMap { $0.first ?? nil }
    }

    /// The persona with this slug, if any.
    public func withSlug(_ slug: String, on connection: PostgresConnection) throws -> Persona? {
        try Self.decode(connection.query("""
            SELECT \(columns) FROM \(joined) WHERE p.slug = $1
            """, [slug])).first
    }

    /// Sets the status of the persona with this slug and returns it.
    public func setStatus(_ status: PersonaStatus, slug: String, on connection: PostgresConnection) throws -> Persona {
        let result = try connection.query("""
            WITH updated AS (UPDATE \(tables.persona) SET status = $2 WHERE slug = $1 RETURNING *)
            SELECT \(columns) FROM updated p JOIN \(tables.role) r ON r.id = p.role_id
            """, [slug, status.rawValue])
        guard let persona = try Self.decode(result).first else {
            throw TableError.unknownSlug(slug)
        }
        return persona
    }

    package static func decode(_ result: QueryResult) throws(TableError) -> [Persona] {
        try result.decoded(.persona, Persona.init(columns:))
    }

    static func arrayLiteral(_ ids: [Int]) -> String {
        "{" + ids.map(String.init).joined(separator: ",") + "}"
    }

    /// A `text[]` literal of any strings: each element double-quoted, `"` and `\` escaped.
    static func textArrayLiteral(_ strings: [String]) -> String {
        let quoted = strings.map { string in
            var element = "\""
            for character in string {
                if character == "\"" || character == "\\" { element.append("\\") }
                element.append(character)
            }
            return element + "\""
        }
        return "{" + quoted.joined(separator: ",") + "}"
    }

    func explain(_ error: PostgresError, name: String) -> Error {
        NameChecks.explain(error, table: .persona, tableName: tables.persona, name: name, nameLimit: tables.personaNameLimit) ?? error
    }
}
