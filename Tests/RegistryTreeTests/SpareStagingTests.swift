import Foundation
import Glibc
import Testing
import TestSupport
@testable import RegistryCore
@testable import RegistrySystem
@testable import RegistryTree

/// The staging directory made ahead of the next new persona (`SpareStaging`): used when
/// its name is still the directory made, given up otherwise, and never a way to remove
/// or follow what a person put there.
@Suite struct SpareStagingTests {
    static func inode(_ path: String) throws -> UInt64 {
        var info = stat()
        guard lstat(path, &info) == 0 else { throw SystemError(errno: .current, operation: "lstat", path: path) }
        return UInt64(info.st_ino)
    }

    static func madeTree() throws -> (TemporaryTree, PersonaTree) {
        let temp = try TemporaryTree(createTree: false)
        return (temp, try PersonaTree(path: temp.tree, create: true))
    }

    @Test func thePreparedSpareBecomesTheNextNewDirectory() throws {
        let (temp, tree) = try Self.madeTree()
        #expect(tree.wantsSpareStaging)
        tree.prepareSpareStaging()
        #expect(!tree.wantsSpareStaging)
        let spare = try temp.names()
        #expect(spare.count == 1 && StagingName.writerPID(spare[0]) == getpid())
        #expect(try temp.names(spare[0]) == [])
        let spareInode = try Self.inode(temp.path(spare[0]))

        let outcome = try tree.materialize(PersonaTreeTests.persona(), templates: PersonaTreeTests.templates, identity: .write)
        #expect(outcome.madeWhole)
        #expect(try temp.names() == ["developer-con-1"])
        #expect(try Self.inode(temp.path("developer-con-1")) == spareInode)
        #expect(try temp.names("developer-con-1") == ["experience.md", "identity.yaml", "skill.md"])
        // Used: the next one is wanted.
        #expect(tree.wantsSpareStaging)
    }

    @Test func aSpareMovedAwayAndALinkPutAtItsNameAreLeftAlone() throws {
        let (temp, tree) = try Self.madeTree()
        tree.prepareSpareStaging()
        let spare = try #require(try temp.names().first)
        let outside = try TemporaryTree()
        try FileManager.default.moveItem(atPath: temp.path(spare), toPath: temp.path("moved-by-a-person"))
        try FileManager.default.createSymbolicLink(atPath: temp.path(spare), withDestinationPath: outside.tree)

        let outcome = try tree.materialize(PersonaTreeTests.persona(), templates: PersonaTreeTests.templates, identity: .write)
        #expect(outcome.madeWhole)
        #expect(try temp.names() == [spare, "developer-con-1", "moved-by-a-person"].sorted())
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: temp.path(spare)) == outside.tree)
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.tree) == [])
        #expect(try temp.names("moved-by-a-person") == [])
        #expect(try temp.names("developer-con-1") == ["experience.md", "identity.yaml", "skill.md"])
    }

    /// Anything put in the spare changes its change time: it is given up before anything is
    /// written in it, the new directory made in a staging directory of its own, and the spare,
    /// with what a person put there, is never taken for a leftover by this process's sweeps.
    @Test func aSpareSomethingWasPutInIsGivenUpAndKeptWithIt() throws {
        let (temp, tree) = try Self.madeTree()
        tree.prepareSpareStaging()
        let spare = try #require(try temp.names().first)
        #expect(waitForChangeTimeToPass(temp.path(spare)))
        try temp.write(spare + "/identity.yaml", "a person's")

        let outcome = try tree.materialize(PersonaTreeTests.persona(), templates: PersonaTreeTests.templates, identity: .write)
        #expect(outcome.madeWhole)
        #expect(try temp.names() == [spare, "developer-con-1"].sorted())
        #expect(try temp.names(spare) == ["identity.yaml"])
        #expect(temp.contents(spare + "/identity.yaml") == "a person's")
        #expect(tree.newDirectories.removeLeftoverStaging([spare]) == [])
        tree.discardSpareStaging()
        #expect(temp.contents(spare + "/identity.yaml") == "a person's")
    }

    /// A staging directory with this process's pid that it did not make is an earlier
    /// process's (in a container the daemon is always pid 1): a leftover, removed while it
    /// holds only the registry's files. The spare ready now, and one this process kept
    /// (given up), are not, even in the tree made again after a move.
    @Test func aStagingDirectoryWithThisPidThatThisProcessDidNotMakeIsALeftover() throws {
        let (temp, tree) = try Self.madeTree()
        let earlier = StagingName.make(pid: getpid(), counter: tree.names.nextCounter + 1_000)
        try FileManager.default.createDirectory(atPath: temp.path(earlier), withIntermediateDirectories: false)
        try temp.write(earlier + "/skill.md", "seeded by the killed run")
        tree.prepareSpareStaging()
        let spare = try #require(try temp.names().first { $0 != earlier })
        #expect(tree.newDirectories.removeLeftoverStaging([earlier, spare]) == [earlier])
        #expect(try temp.names() == [spare])

        // Given up (its name replaced by another directory), then the tree made again: still kept.
        try FileManager.default.removeItem(atPath: temp.path(spare))
        try FileManager.default.createDirectory(atPath: temp.path(spare), withIntermediateDirectories: false)
        _ = try tree.materialize(PersonaTreeTests.persona(), templates: PersonaTreeTests.templates, identity: .write)
        let again = try PersonaTree.remade(at: temp.tree, after: tree)
        #expect(again.newDirectories.removeLeftoverStaging([spare]) == [])
        #expect(try temp.names() == [spare, "developer-con-1"].sorted())
    }

    @Test func discardRemovesTheSpareOnlyWhileItIsEmpty() throws {
        let (temp, tree) = try Self.madeTree()
        tree.prepareSpareStaging()
        tree.discardSpareStaging()
        #expect(try temp.names() == [])

        tree.prepareSpareStaging()
        let spare = try #require(try temp.names().first)
        try temp.write(spare + "/notes.md", "a person's notes")
        tree.discardSpareStaging()
        #expect(try temp.names() == [spare])
        #expect(temp.contents(spare + "/notes.md") == "a person's notes")
    }

    @Test func aFailedSpareIsNotTriedAgainUntilADirectoryIsMadeWithoutIt() throws {
        let (temp, tree) = try Self.madeTree()
        // Every name the spare may try is taken (a name taken is stepped past): making it fails.
        let taken = (0..<TempNames.stagingAttempts).map { StagingName.make(pid: getpid(), counter: tree.names.nextCounter + $0) }
        for name in taken { try FileManager.default.createDirectory(atPath: temp.path(name), withIntermediateDirectories: false) }
        tree.prepareSpareStaging()
        #expect(!tree.wantsSpareStaging)
        #expect(try temp.names() == taken.sorted())

        let outcome = try tree.materialize(PersonaTreeTests.persona(), templates: PersonaTreeTests.templates, identity: .write)
        #expect(outcome.madeWhole)
        #expect(tree.wantsSpareStaging)
        tree.prepareSpareStaging()
        #expect(try temp.names().count == taken.count + 2)
    }
}
