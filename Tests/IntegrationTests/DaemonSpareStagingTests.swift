import Foundation
import Glibc
import Testing
import TestSupport

/// The staging directory a serving daemon makes ahead of the next new persona: one, empty,
/// used by the next insert, and gone when the daemon stops.
@Suite("serve: the spare staging directory")
struct DaemonSpareStagingTests: DaemonFixture {
    static func inode(_ path: String) -> UInt64? {
        var info = stat()
        return lstat(path, &info) == 0 ? UInt64(info.st_ino) : nil
    }

    @Test("one empty spare is kept, the next insert's directory is it, and a stopped daemon leaves none")
    func spareIsUsedAndRemoved() throws {
        let (database, tree, daemon, _) = try Self.startedWithPersona(role: "developer", name: "Con")
        #expect(waitUntil { (try? tree.stagingDirectories(of: daemon.pid).count) == 1 }, "\((try? tree.names()) ?? [])")
        let spare = try #require(try tree.stagingDirectories(of: daemon.pid).first)
        #expect(try tree.names(spare).isEmpty)
        let spareInode = try #require(Self.inode(tree.path(spare)))

        let slug = try #require(try database.query("INSERT INTO persona (name, role_id) VALUES ('Vera', 1) RETURNING slug").scalar)
        #expect(waitUntil { tree.exists(slug + "/identity.yaml") }, "\(daemon.log)")
        #expect(Self.inode(tree.path(slug)) == spareInode, "the new directory is the spare, renamed")
        // Another is made for the insert after, and no finding is reported for either.
        #expect(waitUntil { (try? tree.stagingDirectories(of: daemon.pid)).map { $0.count == 1 && $0 != [spare] } == true },
                "\((try? tree.names()) ?? [])")
        #expect(daemon.lines(.finding).isEmpty, "\(daemon.log)")

        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0, "\(daemon.log)")
        #expect(try tree.stagingDirectories(of: daemon.pid).isEmpty, "\((try? tree.names()) ?? [])")
    }
}
