import Foundation
import Testing
import TestSupport
@testable import RegistryCore
@testable import RegistryTree

/// `apply` with a new persona presumed missing (its slug not looked up first; the new
/// directory's rename without replacing is the look) ends as `apply` with the lookup does,
/// whatever is at the slug already: the same outcome, the same tree, nothing of a refused
/// attempt left behind.
@Suite struct TreeSyncPresumedMissingTests {
    /// What is at the slug before the row is applied.
    enum Before: String, CaseIterable, Sendable {
        case nothing
        /// The daemon's directory, written with the role's old name.
        case staleDirectory
        /// A directory a person made: one seed file of their own, a note, no identity file.
        case personsDirectory
        case symbolicLink
        case regularFile
    }

    /// Everything `apply` says and leaves, to compare the two ways.
    struct Ending: Equatable {
        var created: [Int]
        var rewritten: [Int]
        var seeded: [[String]]
        var remaining: [Finding.Kind]
        var failures: [String]
        var wrote: Bool
        var root: [String]
        var directory: [String: String?]
    }

    static let persona = TreeSyncTests.persona(1, "Ann")

    static func prepare(_ before: Before, _ temp: TemporaryTree, _ sync: TreeSync) throws {
        let slug = persona.slug
        switch before {
        case .nothing:
            break
        case .staleDirectory:
            try TreeSyncTests.inStep(sync, TreeSyncTests.persona(1, "Ann", role: "engineer"))
        case .personsDirectory:
            try FileManager.default.createDirectory(atPath: temp.path(slug), withIntermediateDirectories: false)
            try temp.write(slug + "/skill.md", "Ann's own skills\n")
            try temp.write(slug + "/notes.md", "Ann's notes\n")
        case .symbolicLink:
            try FileManager.default.createSymbolicLink(atPath: temp.path(slug), withDestinationPath: "/etc")
        case .regularFile:
            try temp.write(slug, "a person's file\n")
        }
    }

    /// New personas applied beside `persona` in a burst: enough for a run staged ahead
    /// (`StagedAhead`), with `persona` in the middle of it.
    static let companions = (2...20).map { TreeSyncTests.persona($0, "Burst") }

    static func run(_ before: Before, presumed: Bool, burst: Bool = false) throws -> Ending {
        let temp = try TemporaryTree()
        let sync = try TreeSyncTests.synchronizer(temp)
        try prepare(before, temp, sync)
        let slug = persona.slug
        let personas = burst ? Array(companions[..<10]) + [persona] + companions[10...] : [persona]
        let outcome = try sync.apply(personas, presumedMissing: presumed ? Set(personas.map(\.slug)) : [], progress: {})
        var isDirectory: ObjCBool = false
        let listed = FileManager.default.fileExists(atPath: temp.path(slug), isDirectory: &isDirectory) && isDirectory.boolValue
            && (try? FileManager.default.destinationOfSymbolicLink(atPath: temp.path(slug))) == nil
        var directory: [String: String?] = [:]
        if listed {
            for name in try temp.names(slug) { directory[name] = temp.contents(slug + "/" + name) }
        }
        return Ending(created: outcome.created.map(\.id).sorted(), rewritten: outcome.rewritten.map(\.id),
                      seeded: outcome.seeded.map(\.files), remaining: outcome.remaining.map(\.kind),
                      failures: outcome.failures.map(\.slug), wrote: outcome.wrote, root: try temp.names(), directory: directory)
    }

    @Test(arguments: Before.allCases)
    func presumedMissingEndsAsTheLookupWould(_ before: Before) throws {
        let looked = try Self.run(before, presumed: false)
        let presumed = try Self.run(before, presumed: true)
        #expect(presumed == looked)
        // What the lookup's way does, so that the comparison says something.
        let identity = TreeSyncTests.identity(Self.persona)
        switch before {
        case .nothing:
            #expect(looked.created == [1] && looked.directory["identity.yaml"] == identity)
        case .staleDirectory:
            #expect(looked.created.isEmpty && looked.rewritten == [1] && looked.directory["identity.yaml"] == identity)
        case .personsDirectory:
            #expect(looked.created.isEmpty && looked.seeded == [["experience.md"]])
            #expect(looked.directory["skill.md"] == "Ann's own skills\n" && looked.directory["notes.md"] == "Ann's notes\n")
            #expect(looked.directory["identity.yaml"] == identity)
        case .symbolicLink, .regularFile:
            #expect(looked.created.isEmpty && looked.failures.isEmpty && !looked.wrote)
            #expect(looked.remaining == [.unexpectedEntry] && looked.directory.isEmpty)
        }
        // Only the slug in the root: no staging directory of a refused rename.
        #expect(looked.root == [Self.persona.slug])
    }

    /// The same in a burst, where the new directories are staged ahead a run at a time and
    /// renamed one by one: a refused rename leaves nothing staged behind.
    @Test(arguments: Before.allCases)
    func presumedMissingInABurstEndsAsTheLookupWould(_ before: Before) throws {
        let looked = try Self.run(before, presumed: false, burst: true)
        let presumed = try Self.run(before, presumed: true, burst: true)
        #expect(presumed == looked)
        #expect(looked == (try Self.run(before, presumed: false)).withCompanions(Self.companions))
        #expect(!presumed.root.contains { $0.hasPrefix(StagingName.prefix) })
    }

    /// A slug that is no name in the tree (from a table nothing constrains) fails as with the lookup.
    @Test func aSlugTheTreeCannotHoldPresumedMissingFailsAsWithTheLookup() throws {
        var bad = TreeSyncTests.persona(4, "Di")
        bad.slug = "not/a-slug"
        func run(presumed: Bool) throws -> ([String], [Finding.Kind], [String]) {
            let temp = try TemporaryTree()
            let outcome = try TreeSyncTests.synchronizer(temp).apply([bad], presumedMissing: presumed ? [bad.slug] : [], progress: {})
            return (outcome.failures.map(\.slug), outcome.remaining.map(\.kind), try temp.names())
        }
        let looked = try run(presumed: false)
        #expect(looked.0 == ["not/a-slug"] && looked.2.isEmpty)
        #expect(try run(presumed: true) == looked)
    }

    /// A row the plan would not make a directory for (archived) is looked up after all:
    /// its existing directory is kept in step as with the lookup.
    @Test func anArchivedPersonaPresumedMissingIsLookedUp() throws {
        let temp = try TemporaryTree()
        let sync = try TreeSyncTests.synchronizer(temp)
        try TreeSyncTests.inStep(sync, TreeSyncTests.persona(2, "Bob"))
        let archived = TreeSyncTests.persona(2, "Bob", status: .archived)
        let outcome = try sync.apply([archived], presumedMissing: [archived.slug], progress: {})
        #expect(outcome.rewritten.map(\.id) == [2] && outcome.created.isEmpty)
        #expect(temp.contents("developer-bob-2/identity.yaml") == TreeSyncTests.identity(archived))
    }
}

extension TreeSyncPresumedMissingTests.Ending {
    /// This ending with the companions' directories created whole beside it, as a burst's is.
    func withCompanions(_ companions: [Persona]) -> Self {
        var ending = self
        let made = companions.map(\.id)
        ending.created = (created + made).sorted()
        ending.wrote = true
        ending.root = (root + companions.map(\.slug)).sorted()
        return ending
    }
}
