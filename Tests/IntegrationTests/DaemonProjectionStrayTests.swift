import Foundation
import Testing
import RegistryCore
import TestSupport

/// `persona-registry serve`: a deleted row's directory and a planted symlink, reported and left alone.
@Suite("serve: orphans and strays are reported, never touched")
struct DaemonProjectionStrayTests: DaemonFixture {
    @Test("a delete leaves the directory in place and logs it as an orphan")
    func deleteLeavesOrphan() throws {
        let (database, tree, daemon, slug) = try Self.startedWithPersona(role: "tester", name: "Verner")
        let before = try tree.read(slug + "/identity.yaml")
        try database.execute("DELETE FROM persona WHERE id = 1")
        #expect(daemon.waitFor(.finding, with: "kind=orphan_directory"), "\(daemon.log)")
        #expect(daemon.lines(.finding, with: "kind=orphan_directory").contains { $0.contains("slug=\(slug)") })
        #expect(try tree.read(slug + "/identity.yaml") == before)
        #expect(try tree.entries(servedBy: daemon) == [".persona-registry.lock", slug])
    }

    @Test("a symlink planted where a persona directory should be is reported, never followed")
    func symlinkIsNeverFollowed() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        let outside = try TemporaryTree(createTree: false)
        let target = outside.base + "/elsewhere"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        let daemon = try Self.started(database, tree)
        try FileManager.default.createSymbolicLink(atPath: tree.path("developer-con-1"), withDestinationPath: target)
        try database.insertRole("developer", personas: "Con")
        #expect(daemon.waitFor(.finding, with: "kind=unexpected_entry"), "\(daemon.log)")
        #expect(daemon.lines(.finding, with: "kind=unexpected_entry").contains { $0.contains("slug=developer-con-1") && $0.contains("symbolic link") })
        // A later sweep (SIGHUP) does not follow it either.
        daemon.signal(SIGHUP)
        #expect(daemon.waitFor(.reloaded))
        #expect(waitUntil { daemon.lines(.sweepFinished).count >= 2 }, "\(daemon.log)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: target).isEmpty, "something was written outside the tree")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: tree.path("developer-con-1")) == target)
    }
}
