import Testing
@testable import RegistryCore
@testable import RegistrySystem
@testable import RegistryDatabase

@Suite("dbmate migration files")
struct MigrationFileTests {
    @Test("up and down sections are split at the markers")
    func sections() throws {
        let file = try MigrationFile(name: "0003_x.sql", contents: """
            -- header comment
            -- migrate:up
            CREATE TABLE t (id int);
            -- migrate:down
            DROP TABLE t;
            """)
        #expect(file.version == "0003")
        #expect(file.up.trimmedWhitespace() == "CREATE TABLE t (id int);")
        #expect(file.down.trimmedWhitespace() == "DROP TABLE t;")
        #expect(MigrationFile.hasStatements(file.down))
    }

    @Test("the shipped migration parses and can be reverted")
    func shipped() throws {
        let contents = try TextFile.read(#filePath.replacing("Tests/RegistryDatabaseTests/MigrationFileTests.swift", with: "migrations/0001_role_persona.sql"))
        let file = try MigrationFile(name: "0001_role_persona.sql", contents: contents)
        #expect(file.up.contains("CREATE TABLE role"))
        #expect(file.down.contains("DROP TABLE persona;"))
        let down = file.down
        #expect(down.firstRange(of: "DROP TABLE persona;")!.lowerBound < down.firstRange(of: "DROP TABLE role;")!.lowerBound)
    }

    @Test("malformed files are refused with the file's name", arguments: [
        ("x.sql", "-- migrate:up\nSELECT 1;"),
        ("0001_a.txt", "-- migrate:up\nSELECT 1;"),
        ("0001_a.sql", "SELECT 1;"),
        ("0001_a.sql", "-- migrate:down\nSELECT 1;\n-- migrate:up\nSELECT 1;"),
        ("0001_a.sql", "-- migrate:up\n-- migrate:up\n"),
    ])
    func malformed(name: String, contents: String) {
        let error = #expect(throws: MigrationError.self) { try MigrationFile(name: name, contents: contents) }
        guard case .malformed(let file, _) = error else {
            Issue.record("not a malformed migration: \(String(describing: error))")
            return
        }
        #expect(file == name)
        #expect(error?.description.hasPrefix(name + ": ") == true)
    }

    @Test("a down section of comments only has no statements")
    func emptyDown() throws {
        let file = try MigrationFile(name: "0002_a.sql", contents: "-- migrate:up\nSELECT 1;\n-- migrate:down\n-- nothing\n\n")
        #expect(!MigrationFile.hasStatements(file.down))
    }
}
