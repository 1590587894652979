import Foundation
import Testing
import TestSupport

/// The daemon's inotify watches report its own writes too (the directories it
/// makes, seed files, identity files it rewrites); those must not come back
/// as re-checks, while a person's changes still do.
@Suite("serve: the daemon's own changes")
struct DaemonOwnChangesTests: DaemonFixture {
    @Test("directories created for an insert of 50 rows and identity files rewritten for a role rename are not re-checked")
    func ownWritesAreNotRechecked() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        let daemon = try Self.started(database, tree, arguments: ["--log-level", "debug"])
        let values = (1...50).map { "('P\($0)', 1)" }.joined(separator: ", ")
        try database.execute("""
            BEGIN; INSERT INTO role (name) VALUES ('developer');
            INSERT INTO persona (name, role_id) VALUES \(values); COMMIT;
            """)
        let slugs = Set(try database.query("SELECT slug FROM persona").rows.map { $0[0]! })
        try #require(slugs.count == 50)
        #expect(waitUntil { slugs.allSatisfy { tree.exists("\($0)/identity.yaml") } }, "\(daemon.log)")
        // Existing, watched directories: each identity file is rewritten (temp file + rename).
        try database.execute("UPDATE role SET name = 'engineer' WHERE id = 1")
        #expect(waitUntil {
            slugs.allSatisfy { ((try? tree.read("\($0)/identity.yaml")) ?? "").contains("role: engineer") }
        }, "\(daemon.log)")

        // A person's change made after all of the daemon's writes: once its re-check is
        // logged, any re-check the daemon's own events caused has been logged before it or with it.
        try tree.write("marker", "")
        #expect(waitUntil { Self.rechecked(daemon).contains("marker") }, "\(daemon.log)")
        let ownRechecked = Self.rechecked(daemon).intersection(slugs)
        #expect(ownRechecked.isEmpty, "re-checked its own directories \(ownRechecked.sorted()):\n\(daemon.log)")
        #expect(daemon.lines(.sweepNeeded).isEmpty, "\(daemon.log)")

        // A person's edit inside one of those directories is still re-checked.
        let slug = try #require(slugs.sorted().first)
        try tree.write("\(slug)/notes.md", "mine")
        #expect(waitUntil { Self.rechecked(daemon).contains(slug) }, "\(daemon.log)")
    }

    @Test("an identity file a person deleted is made again (by a link that replaces nothing) without re-checking its own write")
    func aMissingIdentityFileMadeAgainIsNotRecheckedAgain() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        let daemon = try Self.started(database, tree, arguments: ["--log-level", "debug"])
        try database.insertRole("developer", personas: "Con")
        let slug = "developer-con-1"
        #expect(waitUntil { tree.exists(slug + "/identity.yaml") }, "\(daemon.log)")
        try FileManager.default.removeItem(atPath: tree.path(slug + "/identity.yaml"))
        #expect(waitUntil { tree.exists(slug + "/identity.yaml") }, "\(daemon.log)")
        // As above: once the marker's re-check is logged, the write's own would have been too.
        try tree.write("marker", "")
        #expect(waitUntil { Self.rechecked(daemon).contains("marker") }, "\(daemon.log)")
        let ofSlug = daemon.lines(.recheck).filter { $0.contains(slug) }
        #expect(ofSlug.count == 1, "the person's deletion re-checked once, the daemon's write not at all:\n\(daemon.log)")
    }

    /// Every root entry named in a debug `re-check entries=a,b,c` log line.
    static func rechecked(_ daemon: DaemonProcess) -> Set<String> {
        var names: Set<String> = []
        for line in daemon.lines(.recheck) {
            guard let range = line.range(of: " entries=") else { continue }
            let value = line[range.upperBound...].prefix { $0 != " " }
            names.formUnion(value.split(separator: ",").map(String.init))
        }
        return names
    }
}
