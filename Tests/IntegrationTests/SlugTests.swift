import Foundation
import Testing
import RegistryCore

@Suite("slug generation in the database")
struct SlugTests {
    static func database() throws -> TestDatabase {
        let database = try TestDatabase()
        try database.insertRole("developer")
        return database
    }

    @Test("a plain INSERT that supplies no slug gets one from the database")
    func generatedWithoutSlug() throws {
        let database = try Self.database()
        #expect(try database.query("INSERT INTO persona (name, role_id) VALUES ('Con', 1) RETURNING slug").scalar == "developer-con-1")
    }

    @Test("a slug supplied by the client is replaced")
    func suppliedSlugReplaced() throws {
        let database = try Self.database()
        let slug = try database.query(
            "INSERT INTO persona (name, role_id, slug) VALUES ('Con', 1, '../../etc') RETURNING slug").scalar
        #expect(slug == "developer-con-1")
    }

    @Test("changing a slug is refused; writing the same value is harmless; renames keep it")
    func slugImmutable() throws {
        let database = try Self.database()
        try database.execute("INSERT INTO persona (name, role_id) VALUES ('Con', 1)")
        let error = postgresError { try database.query("UPDATE persona SET slug = 'developer-connor-1'") }
        #expect(error?.code == .checkViolation)
        #expect(error?.constraint == "persona_slug_immutable")
        #expect(try database.query("UPDATE persona SET slug = slug").affectedRows == 1)
        try database.execute("UPDATE persona SET name = 'Connor'; UPDATE role SET name = 'engineer'")
        #expect(try database.query("SELECT slug, name FROM persona").rows == [["developer-con-1", "Connor"]])
        let idChange = postgresError { try database.query("UPDATE persona SET id = 7") }
        #expect(idChange?.constraint == "persona_slug_immutable")
    }

    static let awkward: [(name: String, slug: String)] = [
        ("Mary  Jane", "developer-mary-jane-1"),
        ("Con!!!", "developer-con-2"),
        ("../..", "developer-persona-3"),
        ("a/b", "developer-a-b-4"),
        ("Zoë", "developer-zoe-5"),
        ("Renée O'Brien", "developer-renee-o-brien-6"),
        ("日本", "developer-persona-7"),
        ("🙂 Smile 🙂", "developer-smile-8"),
        ("Straße Ærø Œuvre", "developer-strasse-aero-oeuvre-9"),
        ("  -Con-  ", "developer-con-10"),
        ("\"quoted\" 'name'", "developer-quoted-name-11"),
        ("CON", "developer-con-12"),
        ("Łukasz Żółć", "developer-lukasz-zolc-13"),
    ]

    @Test("awkward names become filesystem-safe slugs")
    func awkwardNames() throws {
        let database = try Self.database()
        for (name, expected) in Self.awkward {
            let slug = try database.query("INSERT INTO persona (name, role_id) VALUES ($1, 1) RETURNING slug", [name]).scalar
            #expect(slug == expected, "name \(name)")
            #expect(Slug.isValid(slug ?? ""))
        }
    }

    @Test("names over the length limit are refused, including 10,000 characters")
    func lengthLimit() throws {
        let database = try Self.database()
        let hundred = String(repeating: "x", count: 100)
        let slug = try database.query("INSERT INTO persona (name, role_id) VALUES ($1, 1) RETURNING slug", [hundred]).scalar
        #expect(slug == "developer-" + hundred + "-1")
        for length in [101, 10_000] {
            let error = postgresError {
                try database.query("INSERT INTO persona (name, role_id) VALUES ($1, 1)", [String(repeating: "é", count: length)])
            }
            #expect(error?.constraint == "persona_name_length")
        }
        let longRole = postgresError { try database.query("INSERT INTO role (name) VALUES ($1)", [String(repeating: "r", count: 65)]) }
        #expect(longRole?.constraint == "role_name_length")
    }

    @Test("the longest names still give a slug well under NAME_MAX")
    func longestSlug() throws {
        let database = try TestDatabase()
        try database.query("INSERT INTO role (name) VALUES ($1)", [String(repeating: "ß", count: 64)])
        let slug = try #require(try database.query(
            "INSERT INTO persona (name, role_id, id) VALUES ($1, 1, 2147483647) RETURNING slug",
            [String(repeating: "æ", count: 100)]).scalar)
        #expect(slug.utf8.count <= Slug.maximumLength)
        #expect(Slug.isValid(slug))
    }

    @Test("blank names and names with control characters are refused")
    func blankAndControl() throws {
        let database = try Self.database()
        for name in ["", "   "] {
            let error = postgresError { try database.query("INSERT INTO persona (name, role_id) VALUES ($1, 1)", [name]) }
            #expect(error?.constraint == "persona_name_not_blank", "name \(Quoted(name))")
        }
        let control = postgresError { try database.query("INSERT INTO persona (name, role_id) VALUES ($1, 1)", ["Con\nRm"]) }
        #expect(control?.constraint == "persona_name_no_control")
        let whitespaceControl = postgresError { try database.query("INSERT INTO persona (name, role_id) VALUES ($1, 1)", ["\t\n"]) }
        #expect(whitespaceControl?.code == .checkViolation)
        #expect(try database.query("SELECT count(*) FROM persona").scalar == "0")
    }

    /// Inputs shared with the Python host kit's test of the same rules
    /// (integrations/headspace/tests/test_persona_slug.py): both compare their
    /// mirror with the database on them and on random strings of the alphabet.
    struct SharedInputs: Decodable {
        var inputs: [String]
        var alphabet: String
    }

    @Test("the Swift slug rules agree with the database's on every input")
    func swiftMirrorsDatabase() throws {
        let database = try TestDatabase()
        let connection = try database.connect()
        let shared = try JSONDecoder().decode(SharedInputs.self, from: Data(contentsOf: URL(fileURLWithPath: Repository.slugInputs)))
        var inputs = shared.inputs
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array(shared.alphabet.unicodeScalars)  // one scalar per pick, as in Python
        for _ in 0..<300 {
            var scalars = String.UnicodeScalarView()
            scalars.append(contentsOf: (0..<Int.random(in: 0...24, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            inputs.append(String(scalars))
        }
        for (fallback, limit) in [("persona", 100), ("role", 64), ("x", 4)] {
            for input in inputs {
                let fromDatabase = try connection.query("SELECT persona_registry_slug_part($1, $2, $3)", [input, fallback, String(limit)]).scalar
                #expect(fromDatabase == Slug.part(input, fallback: fallback, limit: limit), "input \(Quoted(input)), limit \(limit)")
            }
        }
    }
}
