import Testing
import PersonaRegistry

@Suite("persona queries the daemon batches with")
struct PersonaQueriesTests {
    @Test("ids or role ids: the union, each persona once, by id, in one query")
    func idsOrRoleIDs() throws {
        let database = try TestDatabase()
        try database.execute("""
            INSERT INTO role (name) VALUES ('developer'), ('tester'), ('pm');
            INSERT INTO persona (name, role_id) VALUES ('Con', 1), ('Verner', 2), ('Gavin', 1), ('Sam', 3);
            """)
        let connection = try database.connect()
        let found = try PersonaQueries.withIDs([2, 3, 99], orRoleIDs: [1], on: connection)
        #expect(found.map(\.id) == [1, 2, 3])
        #expect(try PersonaQueries.withIDs([], orRoleIDs: [], on: connection).isEmpty)
        #expect(try PersonaQueries.withIDs([], orRoleIDs: [3], on: connection).map(\.slug) == ["pm-sam-4"])
    }

    @Test("slugs: strings that are not slugs match nothing and never reach SQL as array syntax")
    func slugs() throws {
        let database = try TestDatabase()
        try database.execute("INSERT INTO role (name) VALUES ('developer'); INSERT INTO persona (name, role_id) VALUES ('Con', 1)")
        let connection = try database.connect()
        let found = try PersonaQueries.withSlugs(["developer-con-1", "a,b", "x}", "\"", "../etc"], on: connection)
        #expect(found.map(\.slug) == ["developer-con-1"])
        #expect(try PersonaQueries.withSlugs(["{}"], on: connection).isEmpty)
    }
}
