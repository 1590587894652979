import Testing

/// `grants` names the database the connection names, not a default that may be another one.
@Suite("grants: the connected database")
struct GrantsDatabaseTests {
    @Test("with DATABASE_URL, the grants are for that database and its layout; without, for headspace, said in the header")
    func connectedDatabase() throws {
        let database = try TestDatabase()
        let connected = try BinaryRunner.run(["grants"], environment: ["DATABASE_URL": database.url])
        #expect(connected.status == 0, "\(connected.stderr)")
        #expect(connected.stdout.contains("GRANT CONNECT ON DATABASE \(database.name) TO persona_registry_daemon;"))
        #expect(!connected.stdout.contains("DATABASE headspace"))
        #expect(connected.stdout.hasPrefix("-- Database \(database.name) (the connected database), layout prd"))
        let given = try BinaryRunner.run(["grants", "--database", "other"], environment: ["DATABASE_URL": database.url])
        #expect(given.stdout.contains("GRANT CONNECT ON DATABASE other TO"))
        let offline = try BinaryRunner.run(["grants"])
        #expect(offline.stdout.hasPrefix("-- Database headspace (the default: --database or a connection"))
    }
}
