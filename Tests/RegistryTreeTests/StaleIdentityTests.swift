import Testing
import TestSupport
@testable import RegistryCore
@testable import RegistryTree

/// Identity files of our own format from another version: stale, not invalid.
@Suite struct StaleIdentityTests {
    static let con = PersonaTreeTests.persona(id: 1, name: "Con")

    static func state(_ text: String) -> IdentityState {
        IdentityState(.contents(Array(text.utf8)))
    }

    @Test func aKeyAddedOrDroppedIsAMismatchWithTheKeyAbsentOnOneSide() {
        let current = String(decoding: IdentityEncoder.encode(Self.con), as: UTF8.self)
        let added = DriftEngine.identityFindings(slug: Self.con.slug, persona: Self.con, identity: Self.state(current + "team: core\n"))
        #expect(added.map(\.kind) == [.identityMismatch])
        #expect(added.first?.differences == [FieldDifference(field: "team", database: "(absent)", file: "core")])
        let dropped = current.replacingOccurrences(of: "description: null\n", with: "")
        let older = DriftEngine.identityFindings(slug: Self.con.slug, persona: Self.con, identity: Self.state(dropped))
        #expect(older.first?.differences == [FieldDifference(field: "description", database: "null", file: "(absent)")])
        #expect(older.first?.detail == "description: database null, file (absent)")
        // An unknown key is text from the file: shown escaped.
        let odd = DriftEngine.identityFindings(slug: Self.con.slug, persona: Self.con, identity: Self.state(current + "\"a\\u001Bb\": x\n"))
        #expect(odd.first?.differences.first?.field == "\"a\\u001bb\"")
    }

    @Test func withoutOurHeaderTheSameFileIsInvalid() {
        let body = String(decoding: IdentityEncoder.encode(Self.con), as: UTF8.self)
            .replacingOccurrences(of: IdentityEncoder.header, with: "")
        let findings = DriftEngine.identityFindings(slug: Self.con.slug, persona: Self.con, identity: Self.state(body + "team: core\n"))
        #expect(findings.map(\.kind) == [.invalidIdentity])
        #expect(findings.first?.reason == .unknownKey("team"))
    }

    @Test func repairSweepsRewriteAStaleFileAndChecksOnlyReportIt() throws {
        let temp = try TemporaryTree(createTree: false)
        let tree = try PersonaTree(path: temp.tree, create: true)
        _ = try tree.materialize(Self.con, templates: PersonaTreeTests.templates, identity: .write)
        let current = try #require(temp.contents("developer-con-1/identity.yaml"))
        try temp.write("developer-con-1/identity.yaml", current + "team: core\n")
        let check = try TreeSync(tree: tree, templates: PersonaTreeTests.templates).sweep(personas: [Self.con], policy: .check)
        #expect(check.remaining.map(\.kind) == [.identityMismatch])
        let repair = try TreeSync(tree: tree, templates: PersonaTreeTests.templates).sweep(personas: [Self.con], policy: .repairSweep)
        #expect(repair.remaining.isEmpty)
        #expect(temp.contents("developer-con-1/identity.yaml") == current)
        #expect(try temp.names("developer-con-1") == ["experience.md", "identity.yaml", "skill.md"], "no .rejected- copy")
    }
}
