import Foundation
import Testing
import TestSupport

/// inotify: changes a person makes in the tree are re-checked against the
/// database after a debounce; each finding is logged once, and resolved once.
@Suite("serve: watching the tree")
struct DaemonWatchTests: DaemonFixture {
    @Test("a hand-edited identity file is reported once (not rewritten), and its repair is logged as resolved")
    func handEditReportedOnce() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        let daemon = try Self.started(database, tree)
        try database.insertRole("developer", personas: "Con")
        let identity = "developer-con-1/identity.yaml"
        #expect(waitUntil { tree.exists(identity) }, "\(daemon.log)")
        let original = try tree.read(identity)
        let edited = original.replacingOccurrences(of: "name: Con", with: "name: Conrad")
        for round in 0..<3 {
            try tree.write(identity, edited + String(repeating: "\n", count: round))
            // A marker written after the edit: once it is reported, the edit's re-check has run too.
            let marker = "marker-\(round)"
            try tree.write(marker, "")
            #expect(waitUntil { daemon.lines(.finding, with: "kind=unexpected_entry").contains { $0.contains("slug=\(marker)") } },
                    "\(daemon.log)")
            #expect(daemon.lines(.finding, with: "kind=identity_mismatch").count == 1, "round \(round):\n\(daemon.log)")
        }
        #expect(daemon.lines(.finding, with: "kind=identity_mismatch").first?.contains("name: database Con, file Conrad") == true)
        #expect(try tree.read(identity) == edited + "\n\n", "a periodic re-check never rewrites a person's edit")

        try tree.write(identity, original)
        #expect(waitUntil { daemon.lines(.resolved, with: "kind=identity_mismatch").count == 1 }, "\(daemon.log)")
    }

    @Test("a directory that was there before its row (an orphan at start-up) is filled, then watched like the others")
    func orphanWhoseRowArrivesIsWatched() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        try FileManager.default.createDirectory(atPath: tree.path("developer-con-1"), withIntermediateDirectories: true)
        let daemon = try Self.started(database, tree)
        #expect(daemon.lines(.finding, with: "kind=orphan_directory").count == 1, "\(daemon.log)")
        try database.insertRole("developer", personas: "Con")
        #expect(waitUntil { tree.exists("developer-con-1/identity.yaml") && tree.exists("developer-con-1/skill.md") }, "\(daemon.log)")
        #expect(waitUntil { daemon.lines(.resolved, with: "kind=orphan_directory").count == 1 }, "\(daemon.log)")
        // A hand edit inside it is seen by inotify, not only by the next periodic sweep.
        try tree.write("developer-con-1/identity.yaml", "not: [valid")
        #expect(waitUntil { daemon.lines(.finding, with: "kind=invalid_identity").count == 1 }, "\(daemon.log)")
    }

    @Test("after a restart, directories that were already there are watched: a hand edit is seen by inotify")
    func existingDirectoriesWatchedAfterRestart() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        let first = try Self.started(database, tree)
        try database.insertRole("developer", personas: "Con")
        #expect(waitUntil { tree.exists("developer-con-1/identity.yaml") }, "\(first.log)")
        first.signal(SIGTERM)
        #expect(first.waitForExit() == 0, "\(first.log)")

        let second = try Self.started(database, tree)
        try tree.write("developer-con-1/identity.yaml", "not: [valid")
        #expect(waitUntil { second.lines(.finding, with: "kind=invalid_identity").count == 1 }, "\(second.log)")
    }

    @Test("a persona directory removed by hand is created again")
    func removedDirectoryComesBack() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        let daemon = try Self.started(database, tree)
        try database.insertRole("tester", personas: "Verner")
        #expect(waitUntil { tree.exists("tester-verner-1/identity.yaml") }, "\(daemon.log)")
        try FileManager.default.removeItem(atPath: tree.path("tester-verner-1"))
        #expect(waitUntil { tree.exists("tester-verner-1/identity.yaml") && tree.exists("tester-verner-1/skill.md") }, "\(daemon.log)")
        #expect(waitUntil { daemon.lines(.directoryCreated).count == 2 }, "\(daemon.log)")
    }

    @Test("the tree root moved away while serving: the configured root is made again and swept, the moved one untouched")
    func rootMovedAway() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        let daemon = try Self.started(database, tree)
        try database.insertRole("pm", personas: "Gavin")
        #expect(waitUntil { tree.exists("pm-gavin-1/identity.yaml") }, "\(daemon.log)")
        let moved = tree.data + "/moved-personas"
        try FileManager.default.moveItem(atPath: tree.tree, toPath: moved)
        #expect(daemon.waitFor(.treeLost), "\(daemon.log)")
        #expect(waitUntil { tree.exists("pm-gavin-1/identity.yaml") }, "\(daemon.log)")
        try database.execute("INSERT INTO persona (name, role_id) VALUES ('Later', 1)")
        #expect(waitUntil { tree.exists("pm-later-2/identity.yaml") }, "\(daemon.log)")
        // The status file and the repair record went with the tree; nothing was written there since.
        #expect(try FileManager.default.contentsOfDirectory(atPath: moved).filter { !TemporaryTree.serviceFiles.contains($0) }.sorted()
                == [".persona-registry.lock", "pm-gavin-1"])
        #expect(daemon.process.isRunning)
    }

    @Test("the periodic sweep (--sweep-interval) runs on its own and creates a directory the events did not")
    func periodicSweep() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        let daemon = try Self.started(database, tree, arguments: ["--sweep-interval", "1"])
        // Rows written with triggers disabled send no notification: only a sweep can find them.
        try database.execute("""
            INSERT INTO role (name) VALUES ('developer');
            ALTER TABLE persona DISABLE TRIGGER persona_registry_notify;
            INSERT INTO persona (name, role_id) VALUES ('Quiet', 1);
            ALTER TABLE persona ENABLE TRIGGER persona_registry_notify;
            """)
        #expect(waitUntil(timeout: 30) { tree.exists("developer-quiet-1/identity.yaml") }, "\(daemon.log)")
        #expect(waitUntil(timeout: 30) { daemon.lines(.sweepFinished, with: "policy=check").count >= 2 }, "\(daemon.log)")
    }
}
