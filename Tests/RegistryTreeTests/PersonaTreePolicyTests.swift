import Testing
import TestSupport
import RegistryCore
import RegistryTree

/// What each repair policy lets a sweep rewrite of an identity file.
@Suite struct PersonaTreePolicyTests: PersonaTreeFixture {
    /// What each policy lets a sweep do with a stale, an empty and an invalid identity
    /// file: decided by the plan (`IdentityRepair`), carried out by `materialize`.
    @Test func policiesDecideWhatIsRewritten() throws {
        let temp = try TemporaryTree(createTree: false)
        let tree = try PersonaTree(path: temp.tree, create: true)
        _ = try tree.materialize(Self.persona(), templates: Self.templates, identity: .write)
        var changed = Self.persona()
        changed.name = "Conrad"
        func sweep(_ policy: RepairPolicy) throws -> SyncResult {
            try TreeSync(tree: tree, templates: Self.templates).sweep(personas: [changed], policy: policy)
        }
        // A stale (valid, different) file: reported by checks, rewritten by repair sweeps.
        let check = try sweep(.check)
        #expect(check.plan.actions.isEmpty && check.remaining.map(\.kind) == [.identityMismatch])
        #expect(try sweep(.repairSweep).repairs.map { $0.outcome?.identity } == [.rewritten(preservedAs: nil)])
        #expect(temp.contents("developer-con-1/identity.yaml")!.contains("name: Conrad\n"))
        // An empty file: rewritten by a repair sweep, left by a check.
        try temp.write("developer-con-1/identity.yaml", "")
        #expect(try sweep(.check).remaining.map(\.kind) == [.invalidIdentity])
        #expect(temp.contents("developer-con-1/identity.yaml") == "")
        #expect(try sweep(.repairSweep).repairs.map { $0.outcome?.identity } == [.rewritten(preservedAs: nil)])
        // An invalid file: only reconcile rewrites it, keeping the old bytes.
        try temp.write("developer-con-1/identity.yaml", "name: [hand written]\n")
        let repair = try sweep(.repairSweep)
        #expect(repair.plan.actions.isEmpty && repair.remaining.map(\.kind) == [.invalidIdentity])
        #expect(temp.contents("developer-con-1/identity.yaml") == "name: [hand written]\n")
        let outcome = try #require(try sweep(.reconcile).repairs.first?.outcome)
        guard case .rewritten(let kept?) = outcome.identity else { Issue.record("expected a rewrite keeping the old file"); return }
        #expect(kept.hasPrefix("identity.yaml.rejected-") && kept.hasSuffix("Z"))
        #expect(temp.contents("developer-con-1/" + kept) == "name: [hand written]\n")
        #expect(temp.contents("developer-con-1/identity.yaml")!.contains("name: Conrad\n"))
    }
}
