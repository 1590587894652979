import Foundation
import Glibc
import Testing
import TestSupport
@testable import RegistryCore
@testable import RegistrySystem
@testable import RegistryTree

/// A burst's new directories staged ahead of their renames, their writes on two threads
/// (`NewDirectory.stageAhead`, `StagedAhead`).
@Suite struct StagedAheadTests {
    static func burst(_ count: Int) -> [Persona] {
        (1...count).map { TreeSyncTests.persona($0, "Burst") }
    }

    /// A new tree of a test's own, opened, and its templates.
    static func madeTree() throws -> (TemporaryTree, PersonaTree, SeedTemplates) {
        let temp = try TemporaryTree()
        return (temp, try PersonaTree(path: temp.tree, create: true), try SeedTemplates(directory: temp.templates))
    }

    static func stagingNames(_ temp: TemporaryTree) throws -> [String] {
        try temp.names().filter { $0.hasPrefix(StagingName.prefix) }
    }

    @Test func theHelperThreadRunsBesideTheCaller() {
        let (here, there) = HelperThread.run({ pthread_self() }, alongside: { pthread_self() })
        #expect(here == pthread_self())
        #expect(there != here)
        #expect(HelperThread.processors >= 1)
    }

    /// A run is made whole under staging names before the first of it is renamed, and each
    /// directory then appears whole under its slug.
    @Test func aBurstIsStagedAheadAndEachDirectoryAppearsWhole() throws {
        let temp = try TemporaryTree()
        let sync = try TreeSyncTests.synchronizer(temp)
        var stagedAtFirstRename: Int?
        sync.directoryCreated = { _, _ in
            if stagedAtFirstRename == nil { stagedAtFirstRename = (try? Self.stagingNames(temp).count) ?? -1 }
        }
        let personas = Self.burst(300)
        let result = try sync.apply(personas, presumedMissing: Set(personas.map(\.slug)), progress: {})
        #expect(result.created.count == 300 && result.failures.isEmpty && result.remaining.isEmpty)
        #expect(stagedAtFirstRename == StagedAhead.runLength)
        #expect(try Self.stagingNames(temp).isEmpty)
        for persona in personas {
            #expect(try temp.names(persona.slug) == ["experience.md", "identity.yaml", "skill.md"])
            #expect(temp.contents(persona.slug + "/identity.yaml") == TreeSyncTests.identity(persona))
        }
    }

    /// Something put in a staged directory before its rename: the directory is given up and
    /// kept with it (never part of a persona's directory, never removed), and the persona's
    /// directory is made anew.
    @Test func aStagedDirectorySomethingWasPutInIsGivenUpAndKeptWithIt() throws {
        let (temp, tree, templates) = try Self.madeTree()
        let personas = Self.burst(StagedAhead.smallestRun)
        tree.newDirectories.stageAhead(personas, templates: templates)
        let staged = try Self.stagingNames(temp)
        #expect(staged.count == personas.count)
        for name in staged {
            #expect(waitForChangeTimeToPass(temp.path(name)))
            try temp.write(name + "/notes.md", "a person's notes\n")
        }
        for persona in personas {
            #expect(try tree.materialize(persona, templates: templates, identity: .write, missing: true).madeWhole)
            #expect(try temp.names(persona.slug) == ["experience.md", "identity.yaml", "skill.md"])
        }
        tree.newDirectories.discardStagedAhead()
        #expect(try Self.stagingNames(temp) == staged)
        for name in staged {
            #expect(try temp.names(name) == ["experience.md", "identity.yaml", "notes.md", "skill.md"])
            #expect(!tree.names.isLeftoverStaging(name, spare: nil))
        }
    }

    /// What a step did not take is removed at its end; fewer than a run's worth is not staged.
    @Test func whatAStepDidNotTakeIsRemovedAndASmallBatchIsNotStaged() throws {
        let (temp, tree, templates) = try Self.madeTree()
        tree.newDirectories.stageAhead(Self.burst(StagedAhead.smallestRun - 1), templates: templates)
        #expect(try temp.names().isEmpty)
        tree.newDirectories.stageAhead(Self.burst(StagedAhead.smallestRun), templates: templates)
        #expect(try Self.stagingNames(temp).count == StagedAhead.smallestRun)
        tree.newDirectories.discardStagedAhead()
        #expect(try temp.names().isEmpty)
    }

    /// What a step did not take and found changed is kept with what is in it: a person's
    /// file in it, or one of its files replaced, is never removed.
    @Test func aChangedDirectoryNotTakenIsKeptWithWhatIsInIt() throws {
        let (temp, tree, templates) = try Self.madeTree()
        tree.newDirectories.stageAhead(Self.burst(StagedAhead.smallestRun), templates: templates)
        let staged = try Self.stagingNames(temp)
        #expect(staged.count == StagedAhead.smallestRun)
        #expect(waitForChangeTimeToPass(temp.path(staged[0])) && waitForChangeTimeToPass(temp.path(staged[1])))
        try temp.write(staged[0] + "/notes.md", "a person's notes\n")
        try temp.write(staged[1] + "/identity.yaml.new", "a person's identity\n")
        #expect(rename(temp.path(staged[1] + "/identity.yaml.new"), temp.path(staged[1] + "/identity.yaml")) == 0)
        tree.newDirectories.discardStagedAhead()
        #expect(try Self.stagingNames(temp) == Array(staged[..<2]))
        #expect(temp.contents(staged[0] + "/notes.md") == "a person's notes\n")
        #expect(temp.contents(staged[1] + "/identity.yaml") == "a person's identity\n")
        #expect(tree.newDirectories.removeLeftoverStaging(Array(staged[..<2])).isEmpty)
    }

    /// A directory staged now is never taken for a leftover.
    @Test func aStagedDirectoryIsNoLeftover() throws {
        let (temp, tree, templates) = try Self.madeTree()
        tree.newDirectories.stageAhead(Self.burst(StagedAhead.smallestRun), templates: templates)
        let staged = try Self.stagingNames(temp)
        #expect(tree.newDirectories.removeLeftoverStaging(staged).isEmpty)
        #expect(try Self.stagingNames(temp) == staged)
        tree.newDirectories.discardStagedAhead()
        #expect(try temp.names().isEmpty)
    }

    /// A slug given twice is staged once.
    @Test func aSlugGivenTwiceIsStagedOnce() throws {
        let (temp, tree, templates) = try Self.madeTree()
        let personas = Self.burst(StagedAhead.smallestRun)
        tree.newDirectories.stageAhead(personas + personas, templates: templates)
        #expect(try Self.stagingNames(temp).count == personas.count)
        tree.newDirectories.discardStagedAhead()
        #expect(try temp.names().isEmpty)
    }

    /// A directory staged from one row is never renamed for another version of it.
    @Test func aStagedDirectoryServesOnlyTheRowItWasWrittenFrom() throws {
        let (temp, tree, templates) = try Self.madeTree()
        let personas = Self.burst(StagedAhead.smallestRun)
        tree.newDirectories.stageAhead(personas, templates: templates)
        var renamed = personas[0]
        renamed.name = "Changed"
        #expect(try tree.materialize(renamed, templates: templates, identity: .write, missing: true).madeWhole)
        #expect(temp.contents(renamed.slug + "/identity.yaml") == TreeSyncTests.identity(renamed))
        tree.newDirectories.discardStagedAhead()
        #expect(try temp.names() == [renamed.slug])
    }
}
