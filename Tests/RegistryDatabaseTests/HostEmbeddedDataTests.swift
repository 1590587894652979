import Testing
@testable import RegistryCore
@testable import RegistryDatabase
@testable import RegistryTree

/// The binary's copy of the headspace layout's files is the files'.
@Suite("the headspace layout's migrations and templates compiled into the binary")
struct HostEmbeddedDataTests {
    static let root = EmbeddedDataTests.root

    @Test("the built-in headspace migrations are migrations/headspace/*.sql, byte for byte, in version order")
    func migrationsAreTheFiles() throws {
        let builtIn = try MigrationSource.builtIn.load(.headspace)
        let files = try MigrationSource.directory(Self.root + "/migrations/headspace").load()
        #expect(builtIn.map(\.name) == ["1001_host_tables.sql", "1002_host_rules.sql"])
        #expect(builtIn.map { Array($0.contents.utf8) } == files.map { Array($0.contents.utf8) })
        // No version of one layout is a version of the other: the records tell the layouts apart.
        let prd = Set(try MigrationSource.builtIn.load(.prd).map(\.version))
        #expect(prd.isDisjoint(with: builtIn.map(\.version)))
    }

    @Test("the headspace templates are data/templates-headspace and give the host's own text")
    func templatesAreTheFiles() throws {
        let files = try SeedTemplates(directory: Self.root + "/data/templates-headspace")
        #expect(SeedTemplates.builtIn(for: .headspace) == files)
        #expect(try SeedTemplates.load(nil, layout: .headspace) == files)
        #expect(SeedTemplates.builtIn(for: .prd) == SeedTemplates.builtIn)
        let persona = Persona(id: 2, slug: "developer-zo-stra-e-2", name: "Zoë Straße", role: "developer", roleID: 1,
                              status: .active, description: nil, createdAt: "2026-03-02T23:39:00Z", personaType: "agent")
        let rendered = Dictionary(uniqueKeysWithValues: files.render(for: persona).map { ($0.name, $0.text) })
        #expect(rendered["skill.md"]?.hasPrefix("# Zoë Straße — developer\n\n## Core Identity\n") == true)
        #expect(rendered["experience.md"] == "# Experience Log — Zoë Straße\n\n<!-- Append-only. New entries added at the top. -->\n"
            + "<!-- Periodically curated to remove outdated learnings. -->\n")
        var person = persona
        person.personaType = "person"
        #expect(files.render(for: person).isEmpty)
    }
}
