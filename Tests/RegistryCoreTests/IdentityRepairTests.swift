import Testing
@testable import RegistryCore

/// The one decision about an identity file, for each problem under each policy.
@Suite struct IdentityRepairTests {
    @Test(arguments: [
        (IdentityRepair.Problem.missing, [IdentityRepair.write, .write, .write]),
        (.differs, [nil, .rewrite, .rewrite]),
        (.invalid(.empty), [nil, .rewrite, .rewrite]),
        (.invalid(.duplicateKey("name")), [nil, nil, .replaceKeepingOld]),
        (.invalid(.notRegularFile(.symlink)), [nil, nil, nil]),
        (.invalid(.notRegularFile(.directory)), [nil, nil, nil]),
    ] as [(IdentityRepair.Problem, [IdentityRepair?])])
    func decisionPerPolicy(problem: IdentityRepair.Problem, expected: [IdentityRepair?]) {
        let policies: [RepairPolicy] = [.check, .repairSweep, .reconcile]
        #expect(policies.map { IdentityRepair.decide(problem, policy: $0) } == expected)
    }

    /// The planner asks the same decision: each identity finding becomes the action it names.
    @Test func thePlannerTurnsTheDecisionIntoActions() {
        let persona = Persona(id: 1, slug: "developer-ann-1", name: "Ann", role: "developer", roleID: 1, status: .active,
                              description: nil, createdAt: "2026-11-24T17:22:53Z")
        let reason = InvalidIdentityReason.duplicateKey("name")
        let finding = Finding(kind: .invalidIdentity, slug: persona.slug, detail: reason.description, reason: reason)
        let plans = [RepairPolicy.check, .repairSweep, .reconcile].map {
            RepairPlan.make(findings: [finding], personas: [persona], snapshot: TreeSnapshot(), policy: $0).actions
        }
        #expect(plans == [[], [], [.replaceInvalidIdentity(persona, reason: reason)]])
    }
}
