import Foundation
import Testing
import TestSupport
@testable import RegistryCore
@testable import RegistryTree

/// The planner-executor contract on a real temporary tree: a sweep executes each
/// planned action once, in the plan's order, and touches nothing it did not plan.
@Suite struct PlanExecutionTests {
    static let templates = PersonaTreeTests.templates

    static func persona(_ id: Int, _ name: String, description: String? = nil) -> Persona {
        Persona(id: id, slug: "developer-\(name.lowercased())-\(id)", name: name, role: "developer", roleID: 1,
                status: .active, description: description, createdAt: "2026-11-24T17:22:53Z")
    }

    /// A tree with one of each repairable drift, a stray file and a person's own file.
    static func drifted(_ temp: TemporaryTree) throws -> (PersonaTree, [Persona]) {
        let tree = try PersonaTree(path: temp.tree, create: true)
        let (missing, noIdentity, stale, noSeeds) = (persona(1, "Ann"), persona(2, "Bob"), persona(3, "Cy"), persona(4, "Di"))
        for persona in [noIdentity, stale, noSeeds] { try tree.makePersonaDirectory(persona.slug) }
        try temp.write("developer-bob-2/skill.md", "Bob's own skills\n")
        try temp.write("developer-bob-2/experience.md", "Bob's own experience\n")
        // Stale: the row's description has changed since the file was written.
        try Data(IdentityEncoder.encode(persona(3, "Cy", description: "old"))).write(to: URL(fileURLWithPath: temp.path("developer-cy-3/identity.yaml")))
        try temp.write("developer-cy-3/skill.md", "Cy's skills\n")
        try temp.write("developer-cy-3/experience.md", "Cy's experience\n")
        try temp.write("developer-cy-3/notes.md", "a person's notes\n")
        try Data(IdentityEncoder.encode(noSeeds)).write(to: URL(fileURLWithPath: temp.path("developer-di-4/identity.yaml")))
        try temp.write("stray.txt", "not a persona\n")
        return (tree, [missing, noIdentity, stale, noSeeds])
    }

    @Test func aCheckSweepExecutesExactlyItsPlanAndLeavesTheRestReported() throws {
        let temp = try TemporaryTree(createTree: false)
        let (tree, personas) = try Self.drifted(temp)
        let staleBefore = temp.contents("developer-cy-3/identity.yaml")
        let result = try TreeSync(tree: tree, templates: Self.templates).sweep(personas: personas, policy: .check)
        #expect(result.plan.actions == [.createDirectory(personas[0]), .writeIdentity(personas[1]),
                                        .writeSeedFiles(personas[3], names: ["experience.md", "skill.md"])])
        #expect(result.repairs.map(\.action) == result.plan.actions)
        #expect(result.repairs.allSatisfy { $0.error == nil })
        // What was planned is done.
        #expect(try temp.names("developer-ann-1") == ["experience.md", "identity.yaml", "skill.md"])
        #expect(temp.contents("developer-bob-2/identity.yaml") == String(decoding: IdentityEncoder.encode(personas[1]), as: UTF8.self))
        #expect(try temp.names("developer-di-4") == ["experience.md", "identity.yaml", "skill.md"])
        // What was not planned is as it was: the stale file (a check only reports it), a
        // person's seed files and notes, the stray entry.
        #expect(temp.contents("developer-cy-3/identity.yaml") == staleBefore)
        #expect(temp.contents("developer-bob-2/skill.md") == "Bob's own skills\n")
        #expect(temp.contents("developer-cy-3/notes.md") == "a person's notes\n")
        #expect(temp.contents("stray.txt") == "not a persona\n")
        #expect(result.remaining.map(\.kind) == [.identityMismatch, .unexpectedEntry])
    }

    @Test func aRepairSweepPlansAndExecutesTheRewriteToo() throws {
        let temp = try TemporaryTree(createTree: false)
        let (tree, personas) = try Self.drifted(temp)
        let result = try TreeSync(tree: tree, templates: Self.templates).sweep(personas: personas, policy: .repairSweep)
        #expect(result.plan.actions.contains { if case .rewriteIdentity(personas[2], _) = $0 { true } else { false } })
        #expect(result.repairs.map(\.action) == result.plan.actions)
        #expect(temp.contents("developer-cy-3/identity.yaml") == String(decoding: IdentityEncoder.encode(personas[2]), as: UTF8.self))
        #expect(temp.contents("developer-cy-3/notes.md") == "a person's notes\n")
        #expect(result.remaining.map(\.kind) == [.unexpectedEntry])
    }

    /// `apply` carries out the plan it is given and decides nothing: a hand-made plan
    /// that repairs only some of the drift leaves the rest exactly as it was, whatever
    /// a policy would have allowed.
    @Test func applyDoesExactlyThePlannedActionsAndNothingElse() throws {
        let temp = try TemporaryTree(createTree: false)
        let (tree, personas) = try Self.drifted(temp)
        let staleBefore = temp.contents("developer-cy-3/identity.yaml")
        let plan = RepairPlan(actions: [.writeIdentity(personas[1]), .writeSeedFiles(personas[3], names: ["skill.md"])])
        let results = try tree.apply(plan, templates: Self.templates)
        #expect(results.map(\.action) == plan.actions)
        #expect(results.allSatisfy { $0.error == nil })
        #expect(results.map { $0.outcome?.identity } == [.created, .unchanged])
        #expect(results.map { $0.outcome?.seeded } == [[], ["skill.md"]])
        #expect(temp.contents("developer-bob-2/identity.yaml") == String(decoding: IdentityEncoder.encode(personas[1]), as: UTF8.self))
        // Only the seed file named: experience.md is missing still.
        #expect(try temp.names("developer-di-4") == ["identity.yaml", "skill.md"])
        // Not planned, so not done: the missing directory, the stale identity file.
        #expect(try temp.names() == ["developer-bob-2", "developer-cy-3", "developer-di-4", "stray.txt"])
        #expect(temp.contents("developer-cy-3/identity.yaml") == staleBefore)
    }

    /// A planned rewrite or replacement is carried out as planned, without the file
    /// being judged again: the executor has no policy to consult.
    @Test func applyRewritesAndReplacesAsPlanned() throws {
        let temp = try TemporaryTree(createTree: false)
        let (tree, personas) = try Self.drifted(temp)
        try temp.write("developer-bob-2/identity.yaml", "name: [unclosed\n")
        let reason = InvalidIdentityReason.syntax(problem: "test", line: 1, column: 7)
        let plan = RepairPlan(actions: [.rewriteIdentity(personas[2], differing: ["description"]),
                                        .replaceInvalidIdentity(personas[1], reason: reason)])
        let results = try tree.apply(plan, templates: Self.templates)
        #expect(results.allSatisfy { $0.error == nil })
        #expect(results[0].outcome?.identity == .rewritten(preservedAs: nil))
        guard case .rewritten(let kept?)? = results[1].outcome?.identity else {
            Issue.record("the invalid file's bytes are not kept: \(results[1])")
            return
        }
        #expect(temp.contents("developer-bob-2/" + kept) == "name: [unclosed\n")
        for (slug, persona) in [("developer-cy-3", personas[2]), ("developer-bob-2", personas[1])] {
            #expect(temp.contents(slug + "/identity.yaml") == String(decoding: IdentityEncoder.encode(persona), as: UTF8.self))
        }
        // Cy's seed files and notes are a person's: untouched.
        #expect(temp.contents("developer-cy-3/notes.md") == "a person's notes\n")
        #expect(try temp.names() == ["developer-bob-2", "developer-cy-3", "developer-di-4", "stray.txt"])
    }

    /// An identity file planned as missing but made by a person before the plan is carried
    /// out is kept: the write refuses to replace it (the person's own event re-checks it).
    @Test func aMissingIdentityFileMadeMeanwhileIsNotReplaced() throws {
        let temp = try TemporaryTree(createTree: false)
        let (tree, personas) = try Self.drifted(temp)
        let plan = RepairPlan(actions: [.writeIdentity(personas[1])])
        try temp.write("developer-bob-2/identity.yaml", "name: Bob, by hand\n")
        let results = try tree.apply(plan, templates: Self.templates)
        #expect(results.map(\.error) == [nil])
        #expect(results.map { $0.outcome?.identity } == [.unchanged])
        #expect(temp.contents("developer-bob-2/identity.yaml") == "name: Bob, by hand\n")
        #expect(try temp.names("developer-bob-2") == ["experience.md", "identity.yaml", "skill.md"])
    }
}
