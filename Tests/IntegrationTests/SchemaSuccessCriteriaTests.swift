import Testing
import RegistryDatabase

/// The functional success criteria of the PRD (section 3.1), one test each,
/// against a real PostgreSQL with the migration applied.
@Suite("PRD success criteria")
struct SchemaSuccessCriteriaTests {
    @Test("1. the role table exists after migrate up")
    func roleTableExists() throws {
        let database = try TestDatabase(migrated: false)
        let run = try BinaryRunner.run(["migrate", "up", "--database-url", database.url])
        #expect(run.status == 0, "\(run.stderr)")
        let columns = try database.query("""
            SELECT column_name, data_type, is_nullable FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name = 'role' ORDER BY ordinal_position
            """).rows
        #expect(columns == [
            ["id", "integer", "NO"], ["name", "text", "NO"], ["description", "text", "YES"],
            ["created_at", "timestamp with time zone", "NO"],
        ])
    }

    @Test("2. the persona table exists after migrate up")
    func personaTableExists() throws {
        let database = try TestDatabase(migrated: false)
        let run = try BinaryRunner.run(["migrate", "up", "--database-url", database.url])
        #expect(run.status == 0, "\(run.stderr)")
        let columns = try database.query("""
            SELECT column_name, data_type, is_nullable FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name = 'persona' ORDER BY ordinal_position
            """).rows
        #expect(columns == [
            ["id", "integer", "NO"], ["slug", "text", "NO"], ["name", "text", "NO"],
            ["description", "text", "YES"], ["status", "text", "NO"], ["role_id", "integer", "NO"],
            ["created_at", "timestamp with time zone", "NO"],
        ])
        let index = try database.query(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'persona' AND indexname = 'ix_persona_role_id'").scalar
        #expect(index?.contains("(role_id)") == true)
    }

    @Test("3. a role is created with a unique name")
    func roleWithUniqueName() throws {
        let database = try TestDatabase()
        let row = try database.query("""
            INSERT INTO role (name, description) VALUES ('developer', 'Backend Python development')
            RETURNING id, name, description, created_at IS NOT NULL
            """).rows
        #expect(row == [["1", "developer", "Backend Python development", "t"]])
        let duplicate = postgresError { try database.query("INSERT INTO role (name) VALUES ('developer')") }
        #expect(duplicate?.code == .uniqueViolation)
        #expect(duplicate?.constraint == "role_name_key")
    }

    @Test("4. a persona is created with a role_id referencing an existing role")
    func personaWithExistingRole() throws {
        let database = try TestDatabase()
        try database.execute("INSERT INTO role (name) VALUES ('developer')")
        let row = try database.query(
            "INSERT INTO persona (name, role_id) VALUES ('Con', 1) RETURNING id, name, role_id").rows
        #expect(row == [["1", "Con", "1"]])
        let unknown = postgresError { try database.query("INSERT INTO persona (name, role_id) VALUES ('Con', 99)") }
        #expect(unknown?.code == .foreignKeyViolation)
        #expect(try database.query("SELECT count(*) FROM persona").scalar == "1")
    }

    @Test("5. the slug is {role_name}-{persona_name}-{id}, lowercase and hyphen-separated")
    func slugFormat() throws {
        let database = try TestDatabase()
        try database.execute("INSERT INTO role (name) VALUES ('developer'), ('Tester')")
        let con = try database.query("INSERT INTO persona (name, role_id) VALUES ('Con', 1) RETURNING slug").scalar
        #expect(con == "developer-con-1")
        let verner = try database.query("INSERT INTO persona (name, role_id) VALUES ('Verner', 2) RETURNING slug").scalar
        #expect(verner == "tester-verner-2")
        let spaced = try database.query(
            "INSERT INTO persona (name, role_id) VALUES ('Mary Jane', 1) RETURNING slug").scalar
        #expect(spaced == "developer-mary-jane-3")
    }

    @Test("6. duplicate persona names with the same role get different slugs via the id")
    func duplicateNamesDifferentSlugs() throws {
        let database = try TestDatabase()
        try database.execute("INSERT INTO role (name) VALUES ('developer')")
        let slugs = try database.query("""
            INSERT INTO persona (name, role_id) VALUES ('Con', 1), ('Con', 1), ('con', 1) RETURNING slug
            """).rows.map { $0[0]! }
        #expect(slugs == ["developer-con-1", "developer-con-2", "developer-con-3"])
        #expect(Set(slugs).count == 3)
    }

    @Test("7. persona.role resolves to the persona's role")
    func personaRole() throws {
        let database = try TestDatabase()
        try database.execute("""
            INSERT INTO role (name) VALUES ('developer'), ('tester');
            INSERT INTO persona (name, role_id) VALUES ('Con', 1), ('Verner', 2);
            """)
        let connection = try database.connect()
        let verner = try #require(try PersonaQueries(.prd).withSlug("tester-verner-2", on: connection))
        #expect(verner.role == "tester")
        #expect(verner.roleID == 2)
    }

    @Test("8. role.personas lists the role's personas")
    func rolePersonas() throws {
        let database = try TestDatabase()
        try database.execute("""
            INSERT INTO role (name) VALUES ('developer'), ('tester'), ('pm');
            INSERT INTO persona (name, role_id) VALUES ('Con', 1), ('Verner', 2), ('Gavin', 1);
            """)
        let connection = try database.connect()
        let developers = try PersonaQueries(.prd).list(role: "developer", status: nil, on: connection)
        #expect(developers.map(\.name) == ["Con", "Gavin"])
        #expect(try PersonaQueries(.prd).list(role: "pm", status: nil, on: connection).isEmpty)
        let counts = try RoleQueries(.prd).all(on: connection).map { [$0.name: $0.personaCount] }
        #expect(counts == [["developer": 2], ["pm": 0], ["tester": 1]])
    }

    @Test("9. status defaults to active, accepts archived and refuses anything else")
    func statusValues() throws {
        let database = try TestDatabase()
        try database.execute("INSERT INTO role (name) VALUES ('developer')")
        #expect(try database.query("INSERT INTO persona (name, role_id) VALUES ('Con', 1) RETURNING status").scalar == "active")
        #expect(try database.query("UPDATE persona SET status = 'archived' RETURNING status").scalar == "archived")
        for bad in ["deleted", "Active", ""] {
            let error = postgresError { try database.query("UPDATE persona SET status = $1", [bad]) }
            #expect(error?.code == .checkViolation)
            #expect(error?.constraint == "persona_status_check")
        }
        let null = postgresError { try database.query("UPDATE persona SET status = NULL") }
        #expect(null?.code == .notNullViolation)
    }

    @Test("NFR3: NULL names are refused by the database")
    func nullNames() throws {
        let database = try TestDatabase()
        #expect(postgresError { try database.query("INSERT INTO role (name) VALUES (NULL)") }?.code == .notNullViolation)
        try database.execute("INSERT INTO role (name) VALUES ('developer')")
        #expect(postgresError { try database.query("INSERT INTO persona (name, role_id) VALUES (NULL, 1)") }?.code == .notNullViolation)
        #expect(postgresError { try database.query("INSERT INTO persona (name) VALUES ('Con')") }?.code == .notNullViolation)
    }

    @Test("NFR3: a duplicate slug is refused by a unique constraint of the database")
    func duplicateSlug() throws {
        let database = try TestDatabase()
        try database.insertRole("developer", personas: "Con")
        // Bypass the generating trigger to reach the constraint itself.
        let error = postgresError {
            try database.execute("""
                ALTER TABLE persona DISABLE TRIGGER persona_registry_slug;
                INSERT INTO persona (name, role_id, slug) VALUES ('Con', 1, 'developer-con-1');
                """)
        }
        #expect(error?.code == .uniqueViolation)
        #expect(error?.constraint == "persona_slug_key")
    }
}
