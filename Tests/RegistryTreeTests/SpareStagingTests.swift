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

    @Test func aFileAPersonPutInTheSpareIsKeptEvenByASweepAndTheNextAttemptSucceeds() throws {
        let (temp, tree) = try Self.madeTree()
        tree.prepareSpareStaging()
        let spare = try #require(try temp.names().first)
        try temp.write(spare + "/identity.yaml", "a person's")

        #expect(throws: SystemError.self) {
            try tree.materialize(PersonaTreeTests.persona(), templates: PersonaTreeTests.templates, identity: .write)
        }
        // Only the files this process created were removed; the person's stays, as does its directory.
        #expect(try temp.names() == [spare])
        #expect(try temp.names(spare) == ["identity.yaml"])
        #expect(temp.contents(spare + "/identity.yaml") == "a person's")
        // A sweep's leftover removal passes over the spare given up: what is in it may be a person's.
        #expect(tree.newDirectories.removeLeftoverStaging([spare]) == [])
        #expect(temp.contents(spare + "/identity.yaml") == "a person's")

        let outcome = try tree.materialize(PersonaTreeTests.persona(), templates: PersonaTreeTests.templates, identity: .write)
        #expect(outcome.madeWhole)
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
        // The name the spare would get is taken: making it fails.
        let taken = StagingName.make(pid: getpid(), counter: tree.names.nextCounter)
        try FileManager.default.createDirectory(atPath: temp.path(taken), withIntermediateDirectories: false)
        tree.prepareSpareStaging()
        #expect(!tree.wantsSpareStaging)
        #expect(try temp.names() == [taken])

        let outcome = try tree.materialize(PersonaTreeTests.persona(), templates: PersonaTreeTests.templates, identity: .write)
        #expect(outcome.madeWhole)
        #expect(tree.wantsSpareStaging)
        tree.prepareSpareStaging()
        #expect(try temp.names().count == 3)
    }
}
