import Foundation
import Testing
import TestSupport

/// Terminal escapes and bidirectional controls from the tree, from identity
/// files and from the tables never reach the built binary's output raw.
@Suite("hostile names in output, run as a subprocess")
struct OutputEscapingTests: CommandFixture {
    let database: TestDatabase
    let tree: TemporaryTree

    init() throws {
        database = try TestDatabase()
        tree = try TemporaryTree()
    }

    /// Characters a terminal acts on or reorders by, apart from the line breaks
    /// and tabs a format uses itself: C0 (but tab and newline), DEL, C1, bidi controls.
    static func raw(_ output: String) -> [String] {
        output.unicodeScalars.filter { scalar in
            switch scalar.value {
            case 0x09, 0x0A: false
            case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
            default: false
            }
        }.map { "U+" + String($0.value, radix: 16, uppercase: true) }
    }

    @Test("drift: ESC [31m and U+202E in entry names and in an identity file, escaped in text, porcelain and json")
    func driftEscapes() throws {
        try database.insertRole("developer", personas: "Con")
        #expect(try cli("reconcile").status == 0)
        try FileManager.default.createDirectory(atPath: tree.path("\u{1B}[31mred"), withIntermediateDirectories: false)
        try tree.write("evil\u{202E}hs.gpj", "x")
        let identity = try tree.read("developer-con-1/identity.yaml")
        try tree.write("developer-con-1/identity.yaml",
                       identity.replacingOccurrences(of: "name: Con\n", with: "name: \"Con\\e[2J\\u202Ex\\N\"\n"))

        let text = try cli("drift")
        #expect(text.status == 2, "\(text.stderr)")
        #expect(Self.raw(text.stdout) == [], "text: \(text.stdout.debugDescription)")
        #expect(text.stdout.contains("\\u001b[31mred"))
        #expect(text.stdout.contains("evil\\u202ehs.gpj"))
        #expect(text.stdout.contains("file \"Con\\u001b[2J\\u202ex\\u0085\""), "text: \(text.stdout.debugDescription)")

        let porcelain = try cli("drift", "--format", "porcelain")
        #expect(porcelain.status == 2)
        #expect(Self.raw(porcelain.stdout) == [], "porcelain: \(porcelain.stdout.debugDescription)")
        let lines = porcelain.stdout.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        #expect(lines.allSatisfy { $0.count == 6 })
        #expect(lines.contains { $0[1] == "\\u001b[31mred" })
        #expect(lines.contains { $0[1] == "evil\\u202ehs.gpj" })
        // The field holds the notation drift's text shows, escaped once more as every porcelain field is.
        #expect(lines.contains { $0[2] == "name" && $0[4] == "\"Con\\\\u001b[2J\\\\u202ex\\\\u0085\"" })

        let json = try cli("drift", "--format", "json")
        #expect(Self.raw(json.stdout) == [], "json: \(json.stdout.debugDescription)")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let slugs = (object?["findings"] as? [[String: Any]])?.compactMap { $0["slug"] as? String } ?? []
        #expect(slugs.contains("\u{1B}[31mred") && slugs.contains("evil\u{202E}hs.gpj"), "json decodes to the names: \(slugs)")

        for arguments in [["reconcile", "--dry-run"], ["reconcile", "--dry-run", "--format", "porcelain"], ["reconcile"]] {
            let run = try BinaryRunner.run(arguments, environment: ["DATABASE_URL": database.url, "PERSONA_DATA_DIR": tree.tree,
                                                                   "PERSONA_TEMPLATES_DIR": tree.templates])
            #expect(run.status == 2, "\(arguments): \(run.stderr)")
            #expect(run.stdout.contains("\\u001b[31mred"), "\(arguments): \(run.stdout)")
            #expect(Self.raw(run.stdout) == [], "\(arguments): \(run.stdout.debugDescription)")
        }
    }

    @Test("role and persona lists: controls in descriptions escaped in text and json")
    func listsEscape() throws {
        try database.execute("""
            INSERT INTO role (name, description) VALUES ('developer', E'red \\x1b[31m\\u202e\\u0085 text');
            INSERT INTO persona (name, role_id, description) VALUES ('Con', 1, E'\\u2067bidi\\x1b]0;title\\x07');
            """)
        for arguments in [["role", "list"], ["role", "list", "--format", "json"],
                          ["persona", "list"], ["persona", "list", "--format", "json"]] {
            let run = try BinaryRunner.run(arguments, environment: ["DATABASE_URL": database.url])
            #expect(run.status == 0, "\(arguments): \(run.stderr)")
            #expect(Self.raw(run.stdout) == [], "\(arguments): \(run.stdout.debugDescription)")
        }
        let text = try BinaryRunner.run(["role", "list"], environment: ["DATABASE_URL": database.url])
        #expect(text.stdout.contains("red \\u001b[31m\\u202e\\u0085 text"))
        let json = try BinaryRunner.run(["persona", "list", "--format", "json"], environment: ["DATABASE_URL": database.url])
        let personas = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect(personas?.first?["description"] as? String == "\u{2067}bidi\u{1B}]0;title\u{7}")
    }
}
