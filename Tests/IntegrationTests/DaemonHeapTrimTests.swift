import Testing
import RegistryDaemon
import TestSupport

/// The heap is trimmed once a sweep's last page is in, not between two of its pages: trimmed
/// mid-sweep, the last pages' rows stayed resident for good (bench/RESULTS.md, issue 23).
@Suite("serve: the heap trimmed after a peak")
struct DaemonHeapTrimTests: DaemonFixture {
    @Test("a start-up sweep of three pages is trimmed once, after its last page, for all its personas")
    func trimmedOnceAfterTheLastPage() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        try database.insertRole("developer", personasNamed: "P", count: 2_500)
        let daemon = try Self.started(database, tree, arguments: ["--log-level", "debug"], timeout: 120)
        try #require(daemon.waitFor(.heapTrimmed), "\(daemon.log)")
        let lines = daemon.log.split(separator: "\n")
        let trims = lines.indices.filter { lines[$0].contains(DaemonEvent.heapTrimmed.field) }
        let sweepEnd = try #require(lines.lastIndex { $0.contains(DaemonEvent.sweepFinished.field) })
        #expect(trims.count == 1 && trims[0] > sweepEnd, "one trim, after the sweep:\n\(daemon.log)")
        #expect(lines[trims[0]].split(separator: " ").contains("personas=2500"), "\(lines[trims[0]])")
    }
}
