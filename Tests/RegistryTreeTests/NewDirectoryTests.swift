import CSystemExtras
import Foundation
import Glibc
import Testing
import TestSupport
@testable import RegistryCore
@testable import RegistrySystem
@testable import RegistryTree

/// A new persona directory is built under a staging name and renamed into place whole.
@Suite struct NewDirectoryTests {
    @Test func aNewDirectoryAppearsOnlyByRenameWithEveryFileInIt() throws {
        let temp = try TemporaryTree(createTree: false)
        let tree = try PersonaTree(path: temp.tree, create: true)
        let inotify = try Inotify()
        _ = try inotify.addWatch(temp.tree)
        var seen: [(slug: String, name: String)] = []
        let outcome = try tree.materialize(PersonaTreeTests.persona(), templates: PersonaTreeTests.templates, identity: .write,
                                           directoryCreated: { seen.append(($0, $1)) })
        #expect(outcome.createdDirectory && outcome.identity == .created)
        #expect(outcome.seeded == ["skill.md", "experience.md"])
        #expect(seen.count == 1 && seen[0].slug == "developer-con-1" && StagingName.writerPID(seen[0].name) == getpid())

        let events = try inotify.readEvents()
        // The slug never appears empty (no IN_CREATE of it): only by the rename of a
        // staging directory whose files were all written before.
        #expect(!events.contains { $0.name == "developer-con-1" && $0.has(IN_CREATE) })
        #expect(events.contains { $0.name == "developer-con-1" && $0.has(IN_MOVED_TO) && $0.isDirectory })
        #expect(events.contains { $0.name == seen[0].name && $0.has(IN_CREATE) })
        #expect(try temp.names() == ["developer-con-1"])
        #expect(try temp.names("developer-con-1") == ["experience.md", "identity.yaml", "skill.md"])
        #expect(temp.contents("developer-con-1/identity.yaml") == String(decoding: IdentityEncoder.encode(PersonaTreeTests.persona()), as: UTF8.self))
        #expect(temp.contents("developer-con-1/skill.md") == "# Con: skills (developer, developer-con-1) {{other}}\n")
    }

    @Test func aSlugThatAppearedMeanwhileIsLeftAsItIsAndNothingStays() throws {
        let (temp, tree) = try PersonaTree.withConDirectory()
        try temp.write("developer-con-1/notes.md", "a person's notes")
        var called = 0
        let result = try tree.newDirectories.createWhole(slug: "developer-con-1", persona: PersonaTreeTests.persona(), identity: { Array("id: 1\n".utf8) },
                                          seeds: { [("skill.md", Array("seed".utf8))] }, directoryCreated: { _, _ in called += 1 })
        #expect(result == nil)
        #expect(called == 1)
        #expect(try temp.names() == ["developer-con-1"])
        #expect(try temp.names("developer-con-1") == ["notes.md"])
        #expect(temp.contents("developer-con-1/notes.md") == "a person's notes")
    }

    @Test func aStagingNameLeftByAnEarlierProcessWithTheSamePidIsStepped() throws {
        let temp = try TemporaryTree(createTree: false)
        let tree = try PersonaTree(path: temp.tree, create: true)
        let next = tree.names.nextCounter
        let taken = StagingName.make(pid: getpid(), counter: next)
        try FileManager.default.createDirectory(atPath: temp.path(taken), withIntermediateDirectories: false)
        try temp.write(taken + "/identity.yaml", "an earlier run's")
        let outcome = try tree.materialize(PersonaTreeTests.persona(), templates: PersonaTreeTests.templates, identity: .write)
        #expect(outcome.madeWhole)
        #expect(try temp.names() == [taken, "developer-con-1"].sorted())
        #expect(temp.contents(taken + "/identity.yaml") == "an earlier run's")
    }

    @Test func tempFileNamesLeftByAnEarlierProcessWithTheSamePidAreStepped() throws {
        let (temp, tree) = try PersonaTree.withConDirectory()
        // A daemon killed mid-write in a container, where every run is pid 1: its temp names come again.
        let taken = (0..<8).map { TempFileName.make(pid: getpid(), counter: tree.names.nextCounter + $0) }
        for name in taken { try temp.write("developer-con-1/" + name, "an earlier run's") }
        let outcome = try tree.materialize(PersonaTreeTests.persona(), templates: PersonaTreeTests.templates, identity: .write)
        #expect(outcome.seeded == ["experience.md", "skill.md"] || outcome.seeded == ["skill.md", "experience.md"])
        #expect(outcome.identity == .created)
        var renamed = PersonaTreeTests.persona()
        renamed.name = "Connor"
        #expect(try tree.materialize(renamed, templates: PersonaTreeTests.templates, identity: .rewrite).identity == .rewritten(preservedAs: nil))
        #expect(temp.contents("developer-con-1/identity.yaml") == String(decoding: IdentityEncoder.encode(renamed), as: UTF8.self))
        #expect(try temp.names("developer-con-1") == (taken + ["experience.md", "identity.yaml", "skill.md"]).sorted())
        #expect(taken.allSatisfy { temp.contents("developer-con-1/" + $0) == "an earlier run's" })
    }

    @Test func materializeCompletesADirectoryAPersonMadeInstead() throws {
        let (temp, tree) = try PersonaTree.withConDirectory()
        try temp.write("developer-con-1/skill.md", "a person's skills")
        let outcome = try tree.materialize(PersonaTreeTests.persona(), templates: PersonaTreeTests.templates, identity: .write)
        #expect(!outcome.createdDirectory)
        #expect(outcome.seeded == ["experience.md"])
        #expect(temp.contents("developer-con-1/skill.md") == "a person's skills")
        #expect(try temp.names() == ["developer-con-1"])
    }

    @Test func onlyASweepRemovesStagingLeftByAGoneWriterAndOnlyWhenItHoldsNothingElse() throws {
        let temp = try TemporaryTree(createTree: false)
        let tree = try PersonaTree(path: temp.tree, create: true)
        // pid 2^22+1 is above the kernel's pid_max limit, so it cannot be alive.
        let ours = ".persona-registry-new-4194305-1"
        let withNotes = ".persona-registry-new-4194305-2"
        let live = ".persona-registry-new-1-3"  // pid 1 is alive
        for name in [ours, withNotes, live] {
            try FileManager.default.createDirectory(atPath: temp.path(name), withIntermediateDirectories: false)
            try temp.write(name + "/skill.md", "seed")
            try temp.write(name + "/identity.yaml", "id: 1\n")
        }
        try temp.write(withNotes + "/notes.md", "somebody's")

        let dry = try TreeSync(tree: tree, templates: nil).sweep(personas: [], policy: .reconcile, dryRun: true)
        #expect(dry.found.isEmpty)
        #expect(try temp.names() == [ours, withNotes, live].sorted())

        let swept = try TreeSync(tree: tree, templates: nil).sweep(personas: [], policy: .check)
        #expect(swept.found.isEmpty)
        #expect(try temp.names() == [live, withNotes].sorted())
        #expect(try temp.names(withNotes) == ["identity.yaml", "notes.md", "skill.md"])
        #expect(try temp.names(live) == ["identity.yaml", "skill.md"])
    }
}
