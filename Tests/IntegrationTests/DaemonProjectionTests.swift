import Foundation
import Testing
import RegistryCore
import TestSupport

/// `persona-registry serve`: a row inserted by plain SQL becomes a directory with an exact identity file.
@Suite("serve: inserted rows become directories")
struct DaemonProjectionTests: DaemonFixture {
    static let awkwardNames = [
        "yes", "no", "on", "off", "y", "n", "null", "~", "1e3", "0x1F", "12:30", "2026-11-24", "a: b",
        "  leading spaces", "trailing ", "'single'", "\"double\"", "#hash", "- dash", "true", "False", "NULL",
        ".inf", "-.5", "0o17", "1_000", "@at", "`tick`", "[list]", "{map}", "key: value # c", "Zoë", "日本", "!tag", "&anchor", "*alias", "%percent",
    ]

    @Test("a persona inserted by plain SQL gets its directory, an exact identity file and seed files")
    func insertCreatesDirectory() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        let daemon = try Self.started(database, tree)
        try database.insertRole("developer")
        let row = try database.query("""
            INSERT INTO persona (name, description, role_id) VALUES ('Con', 'Backend Python development', 1)
            RETURNING slug, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
            """).rows[0]
        let slug = try #require(row[0])
        #expect(slug == "developer-con-1")
        #expect(waitUntil { tree.exists(slug + "/identity.yaml") }, "no identity file:\n\(daemon.log)")
        #expect(try tree.read(slug + "/identity.yaml") == """
            # Managed by persona-registry from the persona table. Edit the database, not this file.
            id: 1
            slug: developer-con-1
            name: Con
            role: developer
            status: active
            description: Backend Python development
            created_at: \(row[1]!)

            """)
        let skill = try tree.read(slug + "/skill.md")
        #expect(skill.contains("You are Con, the developer persona `developer-con-1`"))
        #expect(try tree.read(slug + "/experience.md").hasPrefix("# Con: experience"))
        #expect(waitUntil { daemon.lines(.directoryCreated).contains { $0.contains("slug=\(slug)") } },
                "\(daemon.log)")
    }

    @Test("names YAML would mistake come back as the same strings, through our parser and through PyYAML")
    func awkwardNamesRoundTrip() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        let daemon = try Self.started(database, tree)
        let description = "line one\nline two: with colon\n  indented \"quoted\" 'single' # not a comment\n"
        try database.execute("INSERT INTO role (name) VALUES ('yes')")
        var expected: [(slug: String, name: String)] = []
        let connection = try database.connect()
        for name in Self.awkwardNames {
            let slug = try #require(try connection.query(
                "INSERT INTO persona (name, description, role_id) VALUES ($1, $2, 1) RETURNING slug", [name, description]).scalar)
            expected.append((slug, name))
        }
        #expect(waitUntil { expected.allSatisfy { tree.exists($0.slug + "/identity.yaml") } }, "missing directories:\n\(daemon.log)")
        let python = try PythonYAML.load(expected.map { tree.path($0.slug + "/identity.yaml") })
        for ((slug, name), host) in zip(expected, python) {
            let fields = try IdentityDecoder.decode(Array(try tree.read(slug + "/identity.yaml").utf8))
            #expect(fields[.name]?.text == name, "our parser read \(Quoted(fields[.name]?.text ?? "(absent)")) for \(Quoted(name))")
            #expect(fields[.role]?.text == "yes")
            #expect(fields[.description]?.text == description)
            #expect(host["name"] == ["type": "str", "value": name], "PyYAML read \(host["name"] ?? [:]) for \(Quoted(name))")
            #expect(host["role"] == ["type": "str", "value": "yes"])
            #expect(host["slug"] == ["type": "str", "value": slug])
            #expect(host["description"] == ["type": "str", "value": description])
            #expect(host["status"] == ["type": "str", "value": "active"])
            #expect(host["id"]?["type"] == "int")
        }
    }
}
