import Foundation
import Testing
import TestSupport

/// An identity file of our own format from another version (a key added or
/// dropped) is stale, not invalid: `drift` reports a mismatch, `serve` rewrites it.
@Suite("identity files of another version")
struct StaleIdentityFileTests: DaemonFixture {
    @Test("a file with an extra key and one with a missing key are mismatches for drift and rewritten by serve")
    func staleFilesAreRewritten() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        try database.insertRole("developer", personas: "Con", "Ann")
        let environment = ["DATABASE_URL": database.url, "PERSONA_DATA_DIR": tree.tree, "PERSONA_TEMPLATES_DIR": tree.templates]
        #expect(try BinaryRunner.run(["reconcile"], environment: environment).status == 0)
        let con = try tree.read("developer-con-1/identity.yaml")
        let ann = try tree.read("developer-ann-2/identity.yaml")
        try tree.write("developer-con-1/identity.yaml", con + "team: core\n")
        try tree.write("developer-ann-2/identity.yaml", ann.replacingOccurrences(of: "description: null\n", with: ""))

        let drift = try BinaryRunner.run(["drift", "--format", "porcelain"], environment: environment)
        #expect(drift.status == 2, "\(drift.stderr)")
        #expect(drift.stdout == """
            identity_mismatch\tdeveloper-ann-2\tdescription\tnull\t(absent)\t
            identity_mismatch\tdeveloper-con-1\tteam\t(absent)\tcore\t

            """)

        let daemon = try Self.started(database, tree)
        #expect(waitUntil { (try? tree.read("developer-con-1/identity.yaml")) == con && (try? tree.read("developer-ann-2/identity.yaml")) == ann },
                "not rewritten:\n\(daemon.log)")
        #expect(daemon.lines(.identityWritten).count == 2, "\(daemon.log)")
        #expect(daemon.lines(.finding, with: "kind=invalid_identity").isEmpty, "\(daemon.log)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.path("developer-con-1")).sorted()
                == ["experience.md", "identity.yaml", "skill.md"], "no .rejected- copy")
        #expect(try BinaryRunner.run(["drift"], environment: environment).status == 0)
    }

    @Test("reconcile rewrites a file of another version like any mismatch, keeping no rejected copy")
    func reconcileRewritesStaleFiles() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        try database.insertRole("developer", personas: "Con")
        let environment = ["DATABASE_URL": database.url, "PERSONA_DATA_DIR": tree.tree, "PERSONA_TEMPLATES_DIR": tree.templates]
        #expect(try BinaryRunner.run(["reconcile"], environment: environment).status == 0)
        let con = try tree.read("developer-con-1/identity.yaml")
        try tree.write("developer-con-1/identity.yaml", con.replacingOccurrences(of: "status: active\n", with: "") + "team: core\n")
        let dry = try BinaryRunner.run(["reconcile", "--dry-run", "--format", "porcelain"], environment: environment)
        #expect(dry.stdout == "repair\trewrite_identity\tdeveloper-con-1\tidentity file (status, team differ)\t\n", "\(dry.stdout)")
        let run = try BinaryRunner.run(["reconcile", "--format", "porcelain"], environment: environment)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout == "repair\trewrite_identity\tdeveloper-con-1\trewrote identity file\t\n", "\(run.stdout)")
        #expect(try tree.read("developer-con-1/identity.yaml") == con)
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.path("developer-con-1")).sorted()
                == ["experience.md", "identity.yaml", "skill.md"], "no .rejected- copy")
    }
}
