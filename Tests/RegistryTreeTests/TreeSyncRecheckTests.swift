import Foundation
import Testing
import TestSupport
@testable import RegistryCore
@testable import RegistryTree

/// `TreeSync.recheck`: the same step as a notification's `apply`, under the
/// policy it is given (`.check` after tree events, `.repairSweep` for a retry).
@Suite struct TreeSyncRecheckTests {
    static func persona(_ id: Int, _ name: String, role: String = "developer") -> Persona {
        TreeSyncTests.persona(id, name, role: role)
    }

    static func synchronizer(_ temp: TemporaryTree) throws -> TreeSync { try TreeSyncTests.synchronizer(temp) }
    static func identity(_ persona: Persona) -> String { TreeSyncTests.identity(persona) }
    static func inStep(_ sync: TreeSync, _ persona: Persona) throws { try TreeSyncTests.inStep(sync, persona) }

    @Test func aCheckRecheckCreatesOnlyWhatIsMissing() throws {
        let temp = try TemporaryTree()
        let sync = try Self.synchronizer(temp)
        let (ann, bob, cy) = (Self.persona(1, "Ann"), Self.persona(2, "Bob"), Self.persona(3, "Cy"))
        try Self.inStep(sync, bob)
        try Self.inStep(sync, cy)
        try FileManager.default.removeItem(atPath: temp.path("developer-cy-3/identity.yaml"))
        let renamed = Self.persona(2, "Bob", role: "engineer")
        let staleBefore = temp.contents("developer-bob-2/identity.yaml")
        let outcome = try sync.recheck([ann.slug, bob.slug, cy.slug], personas: [ann, renamed, cy], policy: .check)
        #expect(outcome.created.map(\.id) == [1] && outcome.rewritten.map(\.id) == [3])
        #expect(outcome.remaining.map(\.kind) == [.identityMismatch] && outcome.remaining.map(\.slug) == [bob.slug])
        #expect(temp.contents("developer-bob-2/identity.yaml") == staleBefore)
        #expect(temp.contents("developer-cy-3/identity.yaml") == Self.identity(cy))
        // The retry of a failed repair (`.repairSweep`) rewrites it.
        let retry = try sync.recheck([bob.slug], personas: [renamed], policy: .repairSweep)
        #expect(retry.rewritten.map(\.id) == [2] && retry.remaining.isEmpty)
    }

    @Test func aRecheckReportsStrayEntriesAndOrphansAndSkipsOwnEntries() throws {
        let temp = try TemporaryTree()
        let sync = try Self.synchronizer(temp)
        try FileManager.default.createDirectory(atPath: temp.path("Not A Slug"), withIntermediateDirectories: false)
        try temp.write("README", "x")
        try temp.write(".persona-registry.lock", "")
        try Self.inStep(sync, Self.persona(1, "Ann"))
        let names: Set = ["Not A Slug", "README", ".persona-registry.lock", "Gone Already", "developer-ann-1", "developer-bob-2"]
        let outcome = try sync.recheck(names, personas: [], policy: .check)
        #expect(outcome.remaining.map(\.kind) == [.unexpectedEntry, .unexpectedEntry, .orphanDirectory])
        #expect(outcome.remaining.map(\.slug) == ["Not A Slug", "README", "developer-ann-1"])
        #expect(outcome.remaining.first?.detail == "directory whose name is not a slug")
        #expect(!outcome.wrote && outcome.failures.isEmpty)
        #expect(try temp.names() == [".persona-registry.lock", "Not A Slug", "README", "developer-ann-1"])
    }

    /// A leftover temp file of a writer that is gone is removed by a re-check, a
    /// notification included, and named as the step's own change.
    @Test func aLeftoverTempFileOfAGoneWriterIsRemovedAndNamed() throws {
        let temp = try TemporaryTree()
        let sync = try Self.synchronizer(temp)
        let ann = Self.persona(1, "Ann")
        try Self.inStep(sync, ann)
        // pid 2^22+1 is above the kernel's pid_max limit, so it cannot be alive.
        let leftover = ".identity.yaml.tmp-4194305-7"
        try temp.write("developer-ann-1/" + leftover, "half a file")
        let outcome = try sync.apply([ann], progress: {})
        #expect(outcome.touchedFiles == ["developer-ann-1": [leftover]] && outcome.wrote && outcome.remaining.isEmpty)
        #expect(try temp.names("developer-ann-1") == ["experience.md", "identity.yaml", "skill.md"])
    }
}
