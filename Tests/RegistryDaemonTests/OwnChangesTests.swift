import Testing
@testable import RegistryCore
@testable import RegistryDaemon
import RegistryTree

/// The daemon's own changes told apart from a person's, without inotify: the rules alone.
@Suite struct OwnChangesTests {
    static func persona(_ slug: String) -> Persona {
        Persona(id: 1, slug: slug, name: "Con", role: "developer", roleID: 1, status: .active, description: nil,
                createdAt: "2026-11-24T17:22:53Z")
    }

    @Test func aDirectoryTheStepMadeAndItsSeedFilesAreDroppedAsTheyAreRead() {
        var own = OwnChanges()
        own.directoryCreated("developer-con-1")
        own.hold([.directoryAppeared("developer-con-1"), .fileChanged(slug: "developer-con-1", name: "skill.md"),
                  .fileChanged(slug: "developer-con-1", name: "notes.md"), .entry("stray")])
        // A person's file in the new directory is not a seed file: it counts.
        #expect(own.held == [.fileChanged(slug: "developer-con-1", name: "notes.md"), .entry("stray")])
    }

    @Test func theStepsOutcomeDropsEachCreatedDirectoryOnceAndTheFilesItWrote() {
        var own = OwnChanges()
        var outcome = SyncResult()
        outcome.created = [Self.persona("developer-con-1")]
        outcome.touchedFiles = ["developer-ann-2": ["identity.yaml"]]
        let changes: [TreeWatcher.Event] = [
            .directoryAppeared("developer-con-1"), .directoryAppeared("developer-con-1"),
            .fileChanged(slug: "developer-ann-2", name: "identity.yaml"), .fileChanged(slug: "developer-ann-2", name: "skill.md"),
            .needsSweep("overflow"), .rootGone,
        ]
        #expect(own.endStep(changes, after: outcome) == [
            .directoryAppeared("developer-con-1"), .fileChanged(slug: "developer-ann-2", name: "skill.md"),
            .needsSweep("overflow"), .rootGone,
        ])
    }

    @Test func thisProcesssAtomicWriteIsDroppedEvenWhenItsRenameIsReadInTwoHalves() {
        var own = OwnChanges(pid: 4242)
        let temp = ".identity.yaml.tmp-4242-1"
        own.hold([.fileChanged(slug: "developer-con-1", name: temp),
                  .fileRenamed(slug: "developer-con-1", name: temp, cookie: 7, away: true)])
        #expect(own.held == [])
        // The other half, read at the step's end.
        #expect(own.endStep([.fileRenamed(slug: "developer-con-1", name: "identity.yaml", cookie: 7, away: false)], after: nil) == [])
    }

    @Test func anotherWritersTempFileAndAPersonsRenameAreChanges() {
        var own = OwnChanges(pid: 4242)
        let other = ".identity.yaml.tmp-99-1"
        let changes: [TreeWatcher.Event] = [
            .fileChanged(slug: "developer-con-1", name: other),
            .fileRenamed(slug: "developer-con-1", name: ".identity.yaml.swp", cookie: 8, away: true),
            .fileRenamed(slug: "developer-con-1", name: "identity.yaml", cookie: 8, away: false),
        ]
        #expect(own.endStep(changes, after: nil) == [
            .fileChanged(slug: "developer-con-1", name: other),
            .fileChanged(slug: "developer-con-1", name: ".identity.yaml.swp"),
            .fileChanged(slug: "developer-con-1", name: "identity.yaml"),
        ])
    }

    @Test func aFailedStepOwnsNothingAndEndingAStepForgetsIt() {
        var own = OwnChanges()
        own.directoryCreated("developer-con-1")
        own.hold([.entry("a")])
        #expect(own.endStep([.directoryAppeared("developer-con-1")], after: nil) == [.entry("a"), .directoryAppeared("developer-con-1")])
        #expect(own.held.isEmpty && own.created.isEmpty)
        own.hold([.directoryAppeared("developer-con-1")])
        #expect(own.held == [.directoryAppeared("developer-con-1")])
    }

    @Test func theQueueIsReadEveryReadIntervalEntries() {
        var own = OwnChanges()
        let reads = (1...(3 * DaemonPacing.inotifyReadInterval)).filter { _ in own.entryHandled() }
        #expect(reads.count == 3)
        _ = own.endStep(after: nil)
        #expect((1..<DaemonPacing.inotifyReadInterval).allSatisfy { _ in !own.entryHandled() })
    }
}
