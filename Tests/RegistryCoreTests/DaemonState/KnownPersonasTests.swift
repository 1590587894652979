import Testing
@testable import RegistryCore

/// What the daemon keeps of the tables between notifications (`KnownPersonas`):
/// a notification is a hint, so deletes and renames are decided against it.
@Suite struct KnownPersonasTests {
    static func row(_ id: Int, role: String, roleID: Int, status: PersonaStatus = .active) -> Persona {
        Persona(id: id, slug: "\(role)-p-\(id)", name: "P", role: role, roleID: roleID, status: status,
                description: nil, createdAt: "2026-11-26T00:00:00Z")
    }

    @Test func aSweepKnowsEveryRowAndCountsTheActiveOnes() {
        var known = KnownPersonas()
        known.swept([Self.row(1, role: "developer", roleID: 7), Self.row(2, role: "developer", roleID: 7, status: .archived)],
                    policy: .repairSweep)
        #expect(known.count == 2)
        #expect(known.activeCount == 1)
        #expect(known.isKnown(2) && !known.isKnown(3))
        #expect(known.roleNames(of: [7, 8]) == [7: "developer"])
    }

    @Test func aCheckSweepKeepsTheNameLastWrittenSoTheRenameIsStillOwed() {
        var known = KnownPersonas()
        known.swept([Self.row(1, role: "developer", roleID: 7)], policy: .repairSweep)
        known.swept([Self.row(1, role: "engineer", roleID: 7)], policy: .check)
        #expect(known.roleNames(of: [7]) == [7: "developer"])
        known.swept([Self.row(1, role: "engineer", roleID: 7)], policy: .repairSweep)
        #expect(known.roleNames(of: [7]) == [7: "engineer"])
    }

    @Test func aRenameIsOnlyWhatTheTableConfirms() {
        var known = KnownPersonas()
        known.swept([Self.row(1, role: "developer", roleID: 7)], policy: .repairSweep)
        // A forged role notification: the table still says "developer".
        #expect(known.applied([Self.row(1, role: "developer", roleID: 7)], askedWith: [7: "developer"]).isEmpty)
        let renames = known.applied([Self.row(1, role: "engineer", roleID: 7), Self.row(5, role: "engineer", roleID: 7)],
                                    askedWith: [7: "developer"])
        #expect(renames == [KnownPersonas.Rename(roleID: 7, from: "developer", to: "engineer")])
        #expect(known.roleNames(of: [7]) == [7: "engineer"])
        #expect(known.isKnown(5))
    }

    @Test func aPersonasOwnNotificationDoesNotSettleItsRolesName() {
        var known = KnownPersonas()
        known.swept([Self.row(1, role: "developer", roleID: 7)], policy: .repairSweep)
        // Persona 2's row already carries the new name; the role's notification is still to come.
        #expect(known.applied([Self.row(2, role: "engineer", roleID: 7)], askedWith: [:]).isEmpty)
        #expect(known.roleNames(of: [7]) == [7: "developer"])
        // A role never seen before is learnt from the first row of it.
        _ = known.applied([Self.row(3, role: "pm", roleID: 9)], askedWith: [:])
        #expect(known.roleNames(of: [9]) == [9: "pm"])
    }

    @Test func onlyAKnownPersonaWithoutARowIsDeleted() {
        var known = KnownPersonas()
        known.swept([Self.row(1, role: "developer", roleID: 7), Self.row(2, role: "developer", roleID: 7)], policy: .repairSweep)
        let result = known.deleted(named: [1, 2, 999], found: [Self.row(2, role: "developer", roleID: 7)])
        #expect(result.deleted.map(\.id) == [1])
        #expect(result.deleted.map(\.slug) == ["developer-p-1"])
        #expect(result.unknown == [999])
        #expect(!known.isKnown(1) && known.isKnown(2))
        // Told again, it is nothing: already forgotten.
        #expect(known.deleted(named: [1], found: []).deleted.isEmpty)
    }

    @Test func aPagedSweepForgetsOnlyWhatNoPageAndNoNotificationSaw() {
        var known = KnownPersonas()
        known.swept((1...4).map { Self.row($0, role: "developer", roleID: 7) }, policy: .repairSweep)
        known.sweptPage([Self.row(1, role: "developer", roleID: 7)], policy: .check, first: true)
        // Meanwhile: 5 inserted (its id was taken before the page that would have read it),
        // 2 deleted after its page would have come (its notification), 3 updated to archived.
        _ = known.applied([Self.row(5, role: "developer", roleID: 7), Self.row(3, role: "developer", roleID: 7, status: .archived)],
                          askedWith: [:])
        _ = known.deleted(named: [2], found: [])
        known.sweptPage([], policy: .check, first: false)
        // 4's row went without a notification: no page saw it.
        #expect(known.sweepEnded() == 1)
        #expect(known.slugs == ["developer-p-1", "developer-p-3", "developer-p-5"])
        #expect(known.count == 3 && known.activeCount == 2)
        var recount = KnownPersonas()
        recount.swept([1, 5].map { Self.row($0, role: "developer", roleID: 7) }, policy: .check)
        #expect(recount.activeCount == known.activeCount)
    }

    @Test func anAbandonedSweepForgetsNothing() {
        var known = KnownPersonas()
        known.swept((1...3).map { Self.row($0, role: "developer", roleID: 7) }, policy: .repairSweep)
        known.sweptPage([Self.row(1, role: "developer", roleID: 7)], policy: .repairSweep, first: true)
        known.sweepAbandoned()
        #expect(known.sweepEnded() == 0)
        #expect(known.count == 3 && known.activeCount == 3)
    }
}

