import Foundation
import Testing
import TestSupport
@testable import RegistryCore
@testable import RegistryTree

/// The daemon's notification path (`apply`) and re-checks (`recheck`) on a real
/// temporary tree: each entry inspected, planned under the policy and executed as
/// planned, what its `SyncResult` says matching what is on disk.
@Suite struct TreeSyncTests {
    static func persona(_ id: Int, _ name: String, role: String = "developer", status: PersonaStatus = .active) -> Persona {
        Persona(id: id, slug: "developer-\(name.lowercased())-\(id)", name: name, role: role, roleID: 1,
                status: status, description: nil, createdAt: "2026-11-24T17:22:53Z")
    }

    static func synchronizer(_ temp: TemporaryTree) throws -> TreeSync {
        TreeSync(tree: try PersonaTree(path: temp.tree, create: true), templates: try SeedTemplates(directory: temp.templates))
    }

    static func identity(_ persona: Persona) -> String {
        String(decoding: IdentityEncoder.encode(persona), as: UTF8.self)
    }

    /// A directory in step with `persona`, made as the daemon makes one.
    static func inStep(_ sync: TreeSync, _ persona: Persona) throws {
        #expect(try sync.apply([persona], progress: {}).created.map(\.id) == [persona.id])
    }

    @Test func applyMakesANewActivePersonasDirectoryWholeAndLeavesTheFlushToTheCaller() throws {
        let temp = try TemporaryTree()
        let sync = try Self.synchronizer(temp)
        let ann = Self.persona(1, "Ann")
        var made: [(slug: String, name: String)] = []
        sync.directoryCreated = { made.append(($0, $1)) }
        var progress = 0
        let outcome = try sync.apply([ann], progress: { progress += 1 })
        #expect(outcome.created.map(\.id) == [1])
        #expect(outcome.rewritten.isEmpty && outcome.seeded.isEmpty && outcome.touchedFiles.isEmpty)
        #expect(outcome.remaining.isEmpty && outcome.failures.isEmpty)
        #expect(outcome.wrote, "the daemon flushes once per burst when told something was written")
        #expect(progress == 1)
        // Watched under its staging name, before it appeared under its slug.
        #expect(made.count == 1 && made[0].slug == ann.slug && StagingName.writerPID(made[0].name) != nil)
        #expect(try temp.names(ann.slug) == ["experience.md", "identity.yaml", "skill.md"])
        #expect(temp.contents(ann.slug + "/identity.yaml") == Self.identity(ann))
        #expect(try temp.names() == [ann.slug])
    }

    /// A directory the call made holds just what it wrote: it is not read back for
    /// findings (an insert burst). Shown by taking a seed file out of it before it
    /// is renamed into place: nothing reports it missing.
    @Test func aDirectoryMadeWholeIsNotReadBack() throws {
        let temp = try TemporaryTree()
        let sync = try Self.synchronizer(temp)
        sync.directoryCreated = { _, name in try? FileManager.default.removeItem(atPath: temp.path(name + "/skill.md")) }
        let outcome = try sync.apply([Self.persona(1, "Ann")], progress: {})
        #expect(outcome.created.count == 1 && outcome.remaining.isEmpty)
        #expect(try temp.names("developer-ann-1") == ["experience.md", "identity.yaml"])
        // The next look at it (a re-check after its inotify event) finds it.
        let recheck = try sync.recheck(["developer-ann-1"], personas: [Self.persona(1, "Ann")], policy: .check)
        #expect(recheck.seeded.map(\.files) == [["skill.md"]])
    }

    @Test func applyRewritesAStaleIdentityFileAfterARoleRename() throws {
        let temp = try TemporaryTree()
        let sync = try Self.synchronizer(temp)
        try Self.inStep(sync, Self.persona(1, "Ann"))
        let renamed = Self.persona(1, "Ann", role: "engineer")
        let outcome = try sync.apply([renamed], progress: {})
        #expect(outcome.rewritten.map(\.role) == ["engineer"])
        #expect(outcome.created.isEmpty && outcome.seeded.isEmpty && outcome.remaining.isEmpty && outcome.wrote)
        #expect(temp.contents("developer-ann-1/identity.yaml") == Self.identity(renamed))
        #expect(try temp.names("developer-ann-1") == ["experience.md", "identity.yaml", "skill.md"], "no .rejected- copy")
        // Once in step, the same notification again writes nothing.
        let again = try sync.apply([renamed], progress: {})
        #expect(again.rewritten.isEmpty && !again.wrote && again.remaining.isEmpty)
    }

    @Test func applyRewritesAMissingOrEmptyIdentityFileButLeavesAnInvalidOneReported() throws {
        let temp = try TemporaryTree()
        let sync = try Self.synchronizer(temp)
        let ann = Self.persona(1, "Ann")
        try Self.inStep(sync, ann)
        let damages: [() throws -> Void] = [{ try FileManager.default.removeItem(atPath: temp.path("developer-ann-1/identity.yaml")) },
                                            { try temp.write("developer-ann-1/identity.yaml", "") }]
        for damage in damages {
            try damage()
            let outcome = try sync.apply([ann], progress: {})
            #expect(outcome.rewritten.map(\.id) == [1] && outcome.remaining.isEmpty && outcome.wrote)
            #expect(temp.contents("developer-ann-1/identity.yaml") == Self.identity(ann))
        }
        // A person's bytes (perhaps mid-edit): reported, left for `reconcile`.
        try temp.write("developer-ann-1/identity.yaml", "name: [Ann, by hand\n")
        let outcome = try sync.apply([ann], progress: {})
        #expect(outcome.remaining.map(\.kind) == [.invalidIdentity])
        #expect(outcome.rewritten.isEmpty && outcome.failures.isEmpty && !outcome.wrote)
        #expect(temp.contents("developer-ann-1/identity.yaml") == "name: [Ann, by hand\n")
        #expect(try temp.names("developer-ann-1") == ["experience.md", "identity.yaml", "skill.md"])
    }

    /// An archived persona gets no directory; one it has is kept in step like any other.
    @Test func applyOfAnArchivedPersonaCreatesNothingButKeepsItsDirectoryInStep() throws {
        let temp = try TemporaryTree()
        let sync = try Self.synchronizer(temp)
        let none = try sync.apply([Self.persona(1, "Ann", status: .archived)], progress: {})
        #expect(none.created.isEmpty && none.remaining.isEmpty && !none.wrote)
        #expect(try temp.names() == [])
        try Self.inStep(sync, Self.persona(2, "Bob"))
        try FileManager.default.removeItem(atPath: temp.path("developer-bob-2/skill.md"))
        let archived = Self.persona(2, "Bob", status: .archived)
        let outcome = try sync.apply([archived], progress: {})
        #expect(outcome.rewritten.map(\.id) == [2] && outcome.seeded.map(\.files) == [["skill.md"]])
        #expect(temp.contents("developer-bob-2/identity.yaml") == Self.identity(archived))
    }

    @Test func applyFillsMissingSeedFilesAndNamesThemAsItsOwnChanges() throws {
        let temp = try TemporaryTree()
        let sync = try Self.synchronizer(temp)
        let ann = Self.persona(1, "Ann")
        try Self.inStep(sync, ann)
        try FileManager.default.removeItem(atPath: temp.path("developer-ann-1/skill.md"))
        try temp.write("developer-ann-1/experience.md", "Ann's own experience\n")
        let outcome = try sync.apply([ann], progress: {})
        #expect(outcome.seeded.map(\.persona.id) == [1] && outcome.seeded.map(\.files) == [["skill.md"]])
        #expect(outcome.touchedFiles == ["developer-ann-1": ["skill.md"]])
        #expect(outcome.created.isEmpty && outcome.rewritten.isEmpty && outcome.remaining.isEmpty && outcome.wrote)
        #expect(temp.contents("developer-ann-1/experience.md") == "Ann's own experience\n")
        #expect(temp.contents("developer-ann-1/skill.md")?.contains("Ann") == true)
    }

    /// Nothing is decided by the tree: what a person wrote is never overwritten, a
    /// non-directory where the directory should be is reported (not a failure), and
    /// an entry that cannot be handled fails alone while the others are done.
    @Test func applyExecutesThePlanAndNothingElse() throws {
        let temp = try TemporaryTree()
        let sync = try Self.synchronizer(temp)
        let (ann, bob, cy) = (Self.persona(1, "Ann"), Self.persona(2, "Bob"), Self.persona(3, "Cy"))
        try Self.inStep(sync, ann)
        try temp.write("developer-ann-1/skill.md", "Ann's own skills\n")
        try temp.write("developer-ann-1/notes.md", "Ann's notes\n")
        try FileManager.default.removeItem(atPath: temp.path("developer-ann-1/experience.md"))
        try FileManager.default.createSymbolicLink(atPath: temp.path("developer-ann-1/experience.md"), withDestinationPath: "/etc/hostname")
        try temp.write("developer-bob-2", "a person's file\n")
        var bad = Self.persona(4, "Di")
        bad.slug = "not/a-slug"
        var progress = 0
        let outcome = try sync.apply([ann, bob, bad, cy], progress: { progress += 1 })
        #expect(progress == 4)
        #expect(outcome.created.map(\.id) == [3] && outcome.rewritten.isEmpty && outcome.seeded.isEmpty)
        #expect(outcome.remaining.map(\.kind) == [.escapingSeedFile, .unexpectedEntry, .unexpectedEntry])
        #expect(outcome.remaining.map(\.slug) == [ann.slug, bob.slug, "not/a-slug"])
        #expect(outcome.failures.map(\.slug) == ["not/a-slug"])
        #expect(temp.contents("developer-ann-1/skill.md") == "Ann's own skills\n")
        #expect(temp.contents("developer-ann-1/notes.md") == "Ann's notes\n")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: temp.path("developer-ann-1/experience.md")) == "/etc/hostname")
        #expect(temp.contents("developer-bob-2") == "a person's file\n")
        #expect(try temp.names() == [ann.slug, bob.slug, cy.slug])
    }
}
