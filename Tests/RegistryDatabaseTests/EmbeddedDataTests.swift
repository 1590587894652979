import Foundation
import Testing
@testable import RegistryCore
@testable import RegistryDatabase
@testable import RegistryTree

/// The binary's copy of migrations/ and data/templates/ is the files' (the
/// EmbedDataPlugin's output is never out of date without this failing).
@Suite("migrations and templates compiled into the binary")
struct EmbeddedDataTests {
    static let root = #filePath.replacing("/Tests/RegistryDatabaseTests/EmbeddedDataTests.swift", with: "")

    @Test("the built-in migrations are every .sql file of migrations/, byte for byte, in version order")
    func migrationsAreTheFiles() throws {
        let builtIn = try MigrationSource.builtIn.load()
        let files = try MigrationSource.directory(Self.root + "/migrations").load()
        #expect(!builtIn.isEmpty)
        #expect(builtIn.map(\.name) == files.map(\.name))
        #expect(builtIn.map(\.contents) == files.map(\.contents))
        #expect(builtIn.map { Array($0.contents.utf8) } == files.map { Array($0.contents.utf8) })
    }

    @Test("the built-in seed templates are data/templates")
    func templatesAreTheFiles() throws {
        let files = try SeedTemplates(directory: Self.root + "/data/templates")
        #expect(SeedTemplates.builtIn == files)
        #expect(Set(SeedTemplates.builtIn.templates.keys) == Set(SeedTemplates.seedFileNames))
        #expect(try SeedTemplates.load(nil) == files)
    }

    @Test("migrations are ordered by version number, duplicates refused")
    func ordering() throws {
        let file = { (name: String) in try MigrationFile(name: name, contents: "-- migrate:up\nSELECT 1;\n") }
        let ordered = try MigrationDirectory.ordered([file("10_c.sql"), file("0002_b.sql"), file("9_a.sql")])
        #expect(ordered.map(\.name) == ["0002_b.sql", "9_a.sql", "10_c.sql"])
        #expect(throws: MigrationError.self) { try MigrationDirectory.ordered([file("0002_a.sql"), file("2_b.sql")]) }
    }

    @Test("the source: --migrations-dir, else PERSONA_REGISTRY_MIGRATIONS, else built in")
    func source() {
        #expect(MigrationSource.resolve(explicit: "/m", environment: ["PERSONA_REGISTRY_MIGRATIONS": "/e"]) == .directory("/m"))
        #expect(MigrationSource.resolve(explicit: nil, environment: ["PERSONA_REGISTRY_MIGRATIONS": "/e"]) == .directory("/e"))
        #expect(MigrationSource.resolve(explicit: nil, environment: ["PERSONA_REGISTRY_MIGRATIONS": ""]) == .builtIn)
        #expect(MigrationSource.resolve(explicit: nil, environment: [:]) == .builtIn)
    }
}
