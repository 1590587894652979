import Testing
import RegistryDatabase

@Suite("persona queries the daemon batches with")
struct PersonaQueriesTests {
    @Test("ids or renamed roles: the union, each persona once, by id, in one query; a role whose name is unchanged adds nothing")
    func idsOrRenamedRoles() throws {
        let database = try TestDatabase()
        try database.execute("""
            INSERT INTO role (name) VALUES ('developer'), ('tester'), ('pm');
            INSERT INTO persona (name, role_id) VALUES ('Con', 1), ('Verner', 2), ('Gavin', 1), ('Sam', 3);
            """)
        let connection = try database.connect()
        #expect(try PersonaQueries(.prd).withIDs([2, 3, 99], orRolesRenamedFrom: [1: "developer"], on: connection).map(\.id) == [2, 3])
        #expect(try PersonaQueries(.prd).withIDs([2, 3, 99], orRolesRenamedFrom: [1: "dev"], on: connection).map(\.id) == [1, 2, 3])
        #expect(try PersonaQueries(.prd).withIDs([], orRolesRenamedFrom: [:], on: connection).isEmpty)
        #expect(try PersonaQueries(.prd).withIDs([], orRolesRenamedFrom: [3: "pm", 2: "tester"], on: connection).isEmpty)
        // Names that are array syntax or escapes in a text[] literal are compared as they are.
        let awkward = #"a "b", {c}\ d"#
        try database.query("UPDATE role SET name = $1 WHERE id = 3", [awkward])
        #expect(try PersonaQueries(.prd).withIDs([], orRolesRenamedFrom: [3: awkward], on: connection).isEmpty)
        #expect(try PersonaQueries(.prd).withIDs([], orRolesRenamedFrom: [3: "pm"], on: connection).map(\.slug) == ["pm-sam-4"])
    }

    @Test("slugs: strings that are not slugs match nothing and never reach SQL as array syntax")
    func slugs() throws {
        let database = try TestDatabase()
        try database.insertRole("developer", personas: "Con")
        let connection = try database.connect()
        let found = try PersonaQueries(.prd).withSlugs(["developer-con-1", "a,b", "x}", "\"", "../etc"], on: connection)
        #expect(found.map(\.slug) == ["developer-con-1"])
        #expect(try PersonaQueries(.prd).withSlugs(["{}"], on: connection).isEmpty)
    }
}
