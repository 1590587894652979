import Foundation
import Testing
import TestSupport
import RegistryCore
import RegistryTree

/// The daemon's sweep read in pages (`TreeSync.sweepPage`, `sweepUnclaimed`): the same
/// findings and repairs as one whole-tree sweep, the orphans found after the last page.
@Suite struct PagedSweepTreeTests: PersonaTreeFixture {
    @Test func pagesBringTheirRowsInStepAndTheLastPassFindsWhatNoRowClaims() throws {
        let temp = try TemporaryTree(createTree: false)
        let tree = try PersonaTree(path: temp.tree, create: true)
        let personas = (1...5).map { Self.persona(id: $0, name: "P\($0)") }
        try FileManager.default.createDirectory(atPath: temp.path("orphan-x-9"), withIntermediateDirectories: false)
        try temp.write("notes.txt", "x")
        try tree.makePersonaDirectory("developer-p5-5")  // a person made it: its files are missing
        let sync = TreeSync(tree: tree, templates: Self.templates)
        var listed: [String] = []
        sync.directoryListed = { listed.append($0) }
        var created: [String] = []
        for page in [Array(personas[0..<2]), Array(personas[2..<4]), [personas[4]]] {
            let outcome = try sync.sweepPage(page, policy: .repairSweep, progress: {})
            created += outcome.created.map(\.slug)
            #expect(outcome.remaining.isEmpty)
        }
        #expect(created == (1...4).map { "developer-p\($0)-\($0)" })
        // Only the directory that was there is watched before it is read; the others were made whole.
        #expect(listed == ["developer-p5-5"])
        #expect(temp.contents("developer-p5-5/identity.yaml")?.contains("name: P5\n") == true)
        let rest = try sync.sweepUnclaimed(claimed: Set(personas.map(\.slug)), policy: .repairSweep, progress: {})
        #expect(rest.remaining.map(\.kind).sorted { $0.rawValue < $1.rawValue } == [.orphanDirectory, .unexpectedEntry])
        #expect(Set(rest.remaining.map(\.slug)) == ["orphan-x-9", "notes.txt"])
        #expect(listed == ["developer-p5-5", "orphan-x-9"], "the orphan is watched before it is read")
        #expect(rest.created.isEmpty && rest.repairs.isEmpty)
    }

    @Test func theLastPassAgreesWithAWholeSweep() throws {
        let temp = try TemporaryTree(createTree: false)
        let tree = try PersonaTree(path: temp.tree, create: true)
        let personas = (1...3).map { Self.persona(id: $0, name: "P\($0)") }
        let sync = TreeSync(tree: tree, templates: Self.templates)
        _ = try sync.sweepPage(personas, policy: .repairSweep, progress: {})
        // Persona 3's row is gone: its directory stays, an orphan for both kinds of sweep.
        let rows = Array(personas.prefix(2))
        let whole = try sync.sweep(personas: rows, policy: .check)
        let page = try sync.sweepPage(rows, policy: .check, progress: {})
        let rest = try sync.sweepUnclaimed(claimed: Set(rows.map(\.slug)), policy: .check, progress: {})
        #expect((page.remaining + rest.remaining).sorted(by: Finding.reportOrder) == whole.remaining)
        #expect(whole.remaining.map(\.kind) == [.orphanDirectory])
    }

    @Test func theLastPassRemovesALeftoverStagingDirectoryOfAWriterGone() throws {
        let temp = try TemporaryTree(createTree: false)
        let tree = try PersonaTree(path: temp.tree, create: true)
        // pid 2^22+1 is above the kernel's pid_max limit, so it cannot be alive.
        let staging = ".persona-registry-new-4194305-1"
        try FileManager.default.createDirectory(atPath: temp.path(staging), withIntermediateDirectories: false)
        try temp.write(staging + "/skill.md", "seed")
        let rest = try TreeSync(tree: tree, templates: nil).sweepUnclaimed(claimed: [], policy: .check, progress: {})
        #expect(rest.remaining.isEmpty)
        #expect(try !temp.names().contains(staging))
    }
}
