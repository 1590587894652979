import Foundation
import Testing
import TestSupport
import RegistryCore
import RegistryTree

/// Sweeps of the tree under each policy, their progress, and how seed templates render.
@Suite struct SweepTests {
    @Test func sweepsFollowThePolicyAndReportWhatRemains() throws {
        let temp = try TemporaryTree(createTree: false)
        let tree = try PersonaTree(path: temp.tree, create: true)
        let con = PersonaTreeTests.persona(id: 1, name: "Con")
        let old = PersonaTreeTests.persona(id: 2, name: "Old", status: .archived)
        let templates = PersonaTreeTests.templates
        let first = try TreeSync(tree: tree, templates: templates).sweep(personas: [con, old], policy: .check)
        #expect(first.found.map(\.kind) == [.missingDirectory])
        #expect(first.remaining.isEmpty)
        #expect(try temp.names() == ["developer-con-1"])

        var renamed = con
        renamed.name = "Conrad"
        try FileManager.default.createDirectory(atPath: temp.path("orphan-x-9"), withIntermediateDirectories: false)
        let check = try TreeSync(tree: tree, templates: templates).sweep(personas: [renamed, old], policy: .check)
        #expect(check.repairs.isEmpty)
        #expect(check.remaining.map(\.kind) == [.identityMismatch, .orphanDirectory])
        let dry = try TreeSync(tree: tree, templates: nil).sweep(personas: [renamed, old], policy: .repairSweep, dryRun: true)
        #expect(dry.plan.actions == [.rewriteIdentity(renamed, differing: ["name"])])
        #expect(temp.contents("developer-con-1/identity.yaml")!.contains("name: Con\n"), "a dry run changes nothing")
        let repair = try TreeSync(tree: tree, templates: templates).sweep(personas: [renamed, old], policy: .repairSweep)
        #expect(repair.remaining.map(\.kind) == [.orphanDirectory])
        #expect(temp.contents("developer-con-1/identity.yaml")!.contains("name: Conrad\n"))
    }

    @Test func sweepReportsProgressForEveryEntryReadAndRepaired() throws {
        let temp = try TemporaryTree(createTree: false)
        let tree = try PersonaTree(path: temp.tree, create: true)
        let personas = (1...6).map { PersonaTreeTests.persona(id: $0, name: "P\($0)") }
        try tree.makePersonaDirectory("developer-p6-6")  // a person made it: its files are missing
        var calls = 0
        let first = try TreeSync(tree: tree, templates: PersonaTreeTests.templates).sweep(personas: personas, policy: .check, progress: { calls += 1 })
        // One root entry read, six repairs, and a re-check of the one directory the sweep did
        // not make itself (the five it made hold just what it wrote).
        #expect(calls == 8)
        #expect(first.remaining.isEmpty)
        try FileManager.default.createDirectory(atPath: temp.path("orphan-x-9"), withIntermediateDirectories: false)
        calls = 0
        _ = try TreeSync(tree: tree, templates: PersonaTreeTests.templates).sweep(personas: personas, policy: .check, progress: { calls += 1 })
        // Seven root entries read, nothing to repair.
        #expect(calls == 7)
    }

    @Test func seedTemplatesRenderPlaceholdersOnce() {
        let persona = PersonaTreeTests.persona(name: "{{role}}")
        #expect(SeedTemplates.render("{{name}} {{role}} {{slug}} {{x}} {{", persona: persona)
                == "{{role}} developer developer-{{role}}-1 {{x}} {{")
    }
}
