import Foundation
import Testing
import TestSupport

/// The daemon's sweep read in pages of rows by id (`PagedSweep`, 1,000 rows a page): every
/// row brought in step over several pages, what no row claims found after the last one,
/// and the changes committed while the pages are read right at the end.
@Suite("serve: a sweep read in pages")
struct DaemonPagedSweepTests: DaemonFixture {
    /// The status file's `"personas":N`, once the daemon has written it.
    static func personasInStatus(_ tree: TemporaryTree) -> Int? {
        guard let text = tree.contents(".persona-registry.status"), let range = text.range(of: #""personas":\d+"#, options: .regularExpression)
        else { return nil }
        return Int(text[range].dropFirst(#""personas":"#.count))
    }

    @Test("a start-up sweep over more rows than a page makes every directory; orphans and strays are found after the last page")
    func startUpSweepOverSeveralPages() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        try database.insertRole("developer", personasNamed: "P", count: 2_345)
        try FileManager.default.createDirectory(atPath: tree.path("developer-gone-9999"), withIntermediateDirectories: false)
        try tree.write("notes.txt", "a person's")
        let daemon = try Self.started(database, tree, arguments: ["--sweep-interval", "3600"], timeout: 120)
        #expect(!daemon.lines(.sweepFinished, with: "personas=2345").isEmpty, "\(daemon.log)")
        #expect(daemon.lines(.sweepFinished).first?.contains("created=2345") == true, "\(daemon.log)")
        let made = try tree.names().filter { $0.hasPrefix("developer-p") }
        #expect(made.count == 2_345)
        for id in [1, 1_000, 1_001, 2_000, 2_345] {
            #expect(tree.contents("developer-p\(id)-\(id)/identity.yaml")?.contains("name: P\(id)\n") == true, "persona \(id)")
        }
        #expect(daemon.waitFor(.finding, with: "slug=developer-gone-9999"), "\(daemon.log)")
        #expect(daemon.lines(.finding, with: "slug=developer-gone-9999").first?.contains("kind=orphan_directory") == true)
        #expect(daemon.lines(.finding, with: "slug=notes.txt").first?.contains("kind=unexpected_entry") == true, "\(daemon.log)")
        #expect(waitUntil { Self.personasInStatus(tree) == 2_345 }, "\(tree.contents(".persona-registry.status") ?? "no status file")")
    }

    @Test("a persona inserted, renamed or deleted while a paged sweep runs is right at its end, and the orphan it leaves is found")
    func changesDuringAPagedSweep() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        try database.insertRole("developer", personasNamed: "P", count: 5_000)
        let daemon = try DaemonProcess(database: database, tree: tree, arguments: ["--sweep-interval", "3600"])
        // The first page is being brought in step: the later pages are still to be read.
        try #require(waitUntil(timeout: 60) { tree.exists("developer-p1-1/identity.yaml") }, "\(daemon.log)")
        try database.execute("""
            UPDATE persona SET name = 'Renamed' WHERE id = 2;
            UPDATE persona SET name = 'Late' WHERE id = 4999;
            DELETE FROM persona WHERE id IN (3, 4998);
            INSERT INTO persona (name, role_id) VALUES ('New', 1)
            """)
        let duringSweep = daemon.lines(.sweepFinished).isEmpty
        #expect(daemon.waitFor(.sweepFinished, timeout: 120), "\(daemon.log)")
        #expect(waitUntil { tree.contents("developer-p2-2/identity.yaml")?.contains("name: Renamed\n") == true }, "\(daemon.log)")
        #expect(waitUntil { tree.contents("developer-p4999-4999/identity.yaml")?.contains("name: Late\n") == true }, "\(daemon.log)")
        #expect(waitUntil { tree.exists("developer-new-5001/identity.yaml") }, "\(daemon.log)")
        // The persona deleted after its page: its directory stays, an orphan (found by the
        // deletion's batch or by the pass after the last page, logged once either way).
        #expect(daemon.waitFor(.finding, with: "slug=developer-p3-3"), "\(daemon.log)")
        // The one deleted before its page: no directory, or an orphan if it was made first.
        if tree.exists("developer-p4998-4998") {
            #expect(daemon.waitFor(.finding, with: "slug=developer-p4998-4998"), "\(daemon.log)")
        }
        #expect(waitUntil { Self.personasInStatus(tree) == 4_999 }, "\(tree.contents(".persona-registry.status") ?? "no status file")")
        let drift = try BinaryRunner.run(["drift", "--database-url", database.url, "--data-dir", tree.tree, "--format", "porcelain"])
        let kinds = Set(drift.stdout.split(separator: "\n").compactMap { $0.split(separator: "\t").first.map(String.init) })
        #expect(kinds.isSubset(of: ["orphan_directory"]), "only the deleted personas' directories remain as drift:\n\(drift.stdout)")
        if !duringSweep { print("note: the changes were committed after the sweep had ended; the test ran as a plain one") }
    }
}
