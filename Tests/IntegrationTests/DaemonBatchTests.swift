import Foundation
import Testing
import TestSupport
import RegistryCore

/// Many rows at once, rows present before the daemon starts, and a daemon
/// killed in the middle of a burst.
@Suite("serve: batches, start-up and crashes")
struct DaemonBatchTests: DaemonFixture {
    /// The slugs of every persona, by id.
    static func slugs(_ database: TestDatabase) throws -> [String] {
        try database.query("SELECT slug FROM persona ORDER BY id").rows.map { $0[0]! }
    }

    /// The persona directories present in the tree.
    static func directories(_ tree: TemporaryTree) throws -> Set<String> {
        Set(try tree.entries().filter { !$0.hasPrefix(".") })
    }

    @Test("10,000 personas inserted in one transaction all get a directory, each created once")
    func tenThousandInOneTransaction() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        let daemon = try Self.started(database, tree)
        try database.insertRole("developer", personasNamed: "p", count: 10_000)
        let slugs = try Self.slugs(database)
        #expect(slugs.count == 10_000)
        // Rows are applied in id order: the last one's identity file comes last (a cheap check to wait on).
        let last = try #require(slugs.last)
        #expect(waitUntil(timeout: 300) { tree.exists(last + "/identity.yaml") }, "\(daemon.log.suffix(2000))")
        #expect(try Self.directories(tree) == Set(slugs))
        // The log lines follow the batch; give them time, then count.
        let logged = waitUntil(timeout: 60) {
            usleep(100_000)
            return daemon.lines(.directoryCreated).count >= 10_000
        }
        #expect(logged)
        let created = daemon.lines(.directoryCreated)
        #expect(created.count == 10_000, "a directory was created twice or not logged")
        for slug in slugs.shuffled().prefix(50) {
            let fields = try IdentityDecoder.decode(Array(try tree.read(slug + "/identity.yaml").utf8))
            #expect(fields[.slug]?.text == slug)
        }
        // The directories were staged ahead a run at a time (`StagedAhead`): none is left
        // staged, and none of the daemon's own writes was taken for a person's change (no
        // finding, no overflowed queue).
        let staging = try FileManager.default.contentsOfDirectory(atPath: tree.tree).filter { $0.hasPrefix(StagingName.prefix) }
        #expect(staging.count <= 1 && staging.allSatisfy { StagingName.writerPID($0) == daemon.pid }, "\(staging.prefix(5))")
        #expect(try staging.allSatisfy { try tree.names($0).isEmpty }, "only the spare, empty, may stay")
        #expect(daemon.lines(.finding).isEmpty && daemon.lines(.sweepNeeded).isEmpty, "\(daemon.log.suffix(2000))")
    }

    @Test("rows present before start-up: every directory exists when READY=1 reaches the notify socket")
    func readyAfterFirstSweep() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        try database.execute("""
            INSERT INTO role (name) VALUES ('developer'), ('tester');
            INSERT INTO persona (name, role_id) SELECT 'p' || g, 1 + g % 2 FROM generate_series(1, 500) AS g;
            UPDATE persona SET status = 'archived' WHERE id = 500;
            """)
        let notified = try Self.startedNotifying(database, tree)
        let ready = notified.ready
        // Checked the moment READY=1 arrived: the archived persona gets no directory.
        let active = try Self.slugs(database).filter { $0 != (try? database.query("SELECT slug FROM persona WHERE id = 500").scalar) }
        #expect(try Self.directories(tree) == Set(active))
        #expect(ready.contains("STATUS=500 personas (499 active)"), "\(ready)")
        withExtendedLifetime(notified) {}
    }

    @Test("SIGKILL during a burst, then a restart: every persona has a complete identity file, no temp files or staging directories remain")
    func killedDuringBurst() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        try database.insertRole("developer")
        let first = try Self.started(database, tree)
        // A burst of small transactions from another connection, killed part-way through.
        let connection = try database.connect()
        for batch in 0..<40 {
            try connection.execute("INSERT INTO persona (name, role_id) SELECT 'b\(batch)-' || g, 1 FROM generate_series(1, 50) AS g")
            if batch == 20 {
                #expect(waitUntil { (try? Self.directories(tree).count) ?? 0 > 0 })
                first.killHard()
            }
        }
        let second = try Self.started(database, tree, timeout: 120)
        let slugs = try Self.slugs(database)
        #expect(slugs.count == 2_000)
        #expect(try Self.directories(tree) == Set(slugs))
        var leftovers: [String] = []
        for slug in slugs {
            let bytes = Array(try tree.read(slug + "/identity.yaml").utf8)
            let fields = try IdentityDecoder.decode(bytes)
            #expect(fields[.slug]?.text == slug)
            leftovers += try FileManager.default.contentsOfDirectory(atPath: tree.path(slug)).filter { $0.hasPrefix(".") }
        }
        #expect(leftovers.isEmpty, "temp files left behind: \(leftovers.prefix(5))")
        // A directory being built when the first daemon died, and its spare, are removed by the
        // second's sweep; the second keeps one spare of its own, empty.
        let staging = try FileManager.default.contentsOfDirectory(atPath: tree.tree).filter { $0.hasPrefix(StagingName.prefix) }
        #expect(staging.allSatisfy { StagingName.writerPID($0) == second.pid } && staging.count <= 1,
                "staging directories left behind: \(staging.prefix(5))")
        #expect(try staging.allSatisfy { try tree.names($0).isEmpty })
        #expect(second.lines(.finding).isEmpty, "\(second.lines(.finding).prefix(5))")
    }
}
