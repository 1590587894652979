import Foundation
import Glibc
import Testing
import TestSupport
@testable import RegistryCore
@testable import RegistryTree

/// Seed files as part of drift: a persona directory without `skill.md` or
/// `experience.md`, and a seed file that is a symbolic link leading out of the tree.
@Suite struct SeedFileDriftTests {
    static let con = PersonaTreeTests.persona(id: 1, name: "Con")
    static let templates = PersonaTreeTests.templates

    /// A tree with Con's directory made whole by a sweep.
    static func treeWithCon() throws -> (TemporaryTree, PersonaTree) {
        let temp = try TemporaryTree(createTree: false)
        let tree = try PersonaTree(path: temp.tree, create: true)
        _ = try tree.materialize(con, templates: templates, identity: .write)
        return (temp, tree)
    }

    /// Replaces Con's `skill.md` with a symbolic link to `target`.
    static func link(_ temp: TemporaryTree, _ target: String, as name: String = "developer-con-1/skill.md") throws {
        try? FileManager.default.removeItem(atPath: temp.path(name))
        try FileManager.default.createSymbolicLink(atPath: temp.path(name), withDestinationPath: target)
    }

    static func seedFindings(_ tree: PersonaTree) throws -> [Finding] {
        DriftEngine.findings(personas: [con], snapshot: try tree.snapshot())
            .filter { $0.kind == .missingSeedFile || $0.kind == .escapingSeedFile }
    }

    @Test func theEngineReportsEachMissingAndEachEscapingSeedFile() {
        let directory = PersonaDirectory(identity: IdentityState(.contents(IdentityEncoder.encode(Self.con))),
                                         missingSeeds: ["skill.md", "experience.md"],
                                         escapingSeeds: [EscapingSeed(name: "skill.md", target: "/etc/passwd")])
        let findings = DriftEngine.findings(slug: Self.con.slug, persona: Self.con, entry: .directory(directory))
        #expect(findings.map(\.kind) == [.missingSeedFile, .missingSeedFile, .escapingSeedFile])
        #expect(findings.map(\.file) == ["skill.md", "experience.md", "skill.md"])
        #expect(findings.allSatisfy { $0.personaID == 1 })
        #expect(findings[2].detail == "skill.md is a symbolic link leading out of the tree (-> /etc/passwd)")
        #expect(Finding.Kind.missingSeedFile.direction == .tableToTree)
        #expect(Finding.Kind.escapingSeedFile.direction == .tree)
        // An orphan directory's seed files are nobody's: only the orphan is reported.
        #expect(DriftEngine.findings(slug: "tester-gone-9", persona: nil, entry: .directory(directory)).map(\.kind) == [.orphanDirectory])
        // Sorted by slug, kind, then the file.
        #expect(DriftReport(findings: findings.reversed()).findings.map(\.detail) == [
            "experience.md is missing", "skill.md is missing", findings[2].detail])
    }

    @Test func aSnapshotFindsMissingSeedFilesButNotPresentOnesOfAnyType() throws {
        let (temp, tree) = try Self.treeWithCon()
        #expect(try Self.seedFindings(tree).isEmpty)
        try FileManager.default.removeItem(atPath: temp.path("developer-con-1/experience.md"))
        #expect(try Self.seedFindings(tree).map(\.detail) == ["experience.md is missing"])
        // A dangling link inside the tree is there (never replaced), and leads nowhere outside.
        try Self.link(temp, "no-such-file.md")
        #expect(try Self.seedFindings(tree).map(\.kind) == [.missingSeedFile])
    }

    @Test(arguments: [
        "/etc/passwd", "../../../../etc/passwd", "../..", "../../personas-elsewhere/skill.md", "./../../../etc",
    ])
    func aLinkLeavingTheTreeIsEscaping(_ target: String) throws {
        let (temp, tree) = try Self.treeWithCon()
        try Self.link(temp, target)
        let findings = try Self.seedFindings(tree)
        #expect(findings.map(\.kind) == [.escapingSeedFile], "\(target)")
        #expect(findings.first?.detail.hasSuffix("(-> \(target))") == true)
    }

    @Test(arguments: ["experience.md", "./experience.md", "../developer-con-1/experience.md", "../other/notes.md", ".."])
    func aLinkStayingInsideIsNotAFinding(_ target: String) throws {
        let (temp, tree) = try Self.treeWithCon()
        try FileManager.default.createDirectory(atPath: temp.path("other"), withIntermediateDirectories: false)
        try temp.write("other/notes.md", "shared")
        try Self.link(temp, target)
        #expect(try Self.seedFindings(tree).isEmpty, "\(target)")
    }

    @Test func linksAreResolvedThroughLinksWithoutFollowingThem() throws {
        let (temp, tree) = try Self.treeWithCon()
        let real = URL(fileURLWithPath: temp.tree).resolvingSymlinksInPath().path
        // An absolute link into the tree by its own path stays inside.
        try Self.link(temp, real + "/developer-con-1/experience.md")
        #expect(try Self.seedFindings(tree).isEmpty)
        // A link to a directory link that climbs out escapes; one that stays in does not.
        try Self.link(temp, "../..", as: "developer-con-1/up")
        try Self.link(temp, "up/elsewhere/skill.md")
        #expect(try Self.seedFindings(tree).map(\.kind) == [.escapingSeedFile])
        try Self.link(temp, "..", as: "developer-con-1/up")
        try Self.link(temp, "up/developer-con-1/experience.md")
        #expect(try Self.seedFindings(tree).isEmpty)
        // A loop inside the tree goes nowhere: not escaping.
        try Self.link(temp, "loop", as: "developer-con-1/loop")
        try Self.link(temp, "loop/x")
        #expect(try Self.seedFindings(tree).isEmpty)
        // An absolute link through an outside link to the tree counts as leaving it.
        let outside = (temp.tree as NSString).deletingLastPathComponent + "/alias"
        try FileManager.default.createSymbolicLink(atPath: outside, withDestinationPath: real)
        try Self.link(temp, outside + "/developer-con-1/experience.md")
        #expect(try Self.seedFindings(tree).map(\.kind) == [.escapingSeedFile])
    }

    @Test func repairsRecreateMissingSeedFilesOnlyAndNeverTouchALink() throws {
        let (temp, tree) = try Self.treeWithCon()
        try FileManager.default.removeItem(atPath: temp.path("developer-con-1/experience.md"))
        try Self.link(temp, "/etc/passwd")
        let found = DriftEngine.findings(personas: [Self.con], snapshot: try tree.snapshot())
        let plan = RepairPlan.make(findings: found, personas: [Self.con], snapshot: TreeSnapshot(), policy: .check)
        #expect(plan.actions == [.writeSeedFiles(Self.con, names: ["experience.md"])])
        #expect(plan.unrepaired.map(\.kind) == [.escapingSeedFile])
        #expect(ReconcileReport(plan: plan).entries.map(\.detail) == ["missing seed file experience.md"])

        let sweep = try TreeSync(tree: tree, templates: Self.templates).sweep(personas: [Self.con], policy: .check)
        #expect(sweep.repairs.first?.outcome?.seeded == ["experience.md"])
        #expect(sweep.remaining.map(\.kind) == [.escapingSeedFile])
        #expect(temp.contents("developer-con-1/experience.md") == "# Con: experience\n")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: temp.path("developer-con-1/skill.md")) == "/etc/passwd")
    }

    @Test func anotherRepairOfThePersonaCoversItsMissingSeedFiles() throws {
        let (temp, tree) = try Self.treeWithCon()
        try FileManager.default.removeItem(atPath: temp.path("developer-con-1/skill.md"))
        var renamed = Self.con
        renamed.name = "Conrad"
        let found = DriftEngine.findings(personas: [renamed], snapshot: try tree.snapshot())
        #expect(found.map(\.kind) == [.identityMismatch, .missingSeedFile])
        let plan = RepairPlan.make(findings: found, personas: [renamed], snapshot: TreeSnapshot(), policy: .reconcile)
        #expect(plan.actions == [.rewriteIdentity(renamed, differing: ["name"])])
        let sweep = try TreeSync(tree: tree, templates: Self.templates).sweep(personas: [renamed], policy: .reconcile)
        #expect(sweep.remaining.isEmpty)
        #expect(temp.contents("developer-con-1/skill.md")?.hasPrefix("# Conrad: skills") == true)
    }

    @Test func everyFormatShowsTheNewKinds() throws {
        let report = DriftReport(findings: [
            Finding(kind: .missingSeedFile, slug: "developer-con-1", personaID: 1, detail: "skill.md is missing", file: "skill.md"),
            Finding(kind: .escapingSeedFile, slug: "developer-con-1", personaID: 1,
                    detail: "experience.md is a symbolic link leading out of the tree (-> /etc)", file: "experience.md"),
        ])
        #expect(report.porcelain() == """
            missing_seed_file\tdeveloper-con-1\t\t\t\tskill.md is missing
            escaping_seed_file\tdeveloper-con-1\t\t\t\texperience.md is a symbolic link leading out of the tree (-> /etc)

            """)
        let text = report.text()
        #expect(text.contains("table -> tree\n  missing_seed_file   developer-con-1  skill.md is missing\n"), "\(text)")
        #expect(text.contains("tree\n  escaping_seed_file  developer-con-1  experience.md is a symbolic link"), "\(text)")
        #expect(text.hasSuffix("2 findings: 1 missing seed file, 1 seed file leading out of the tree\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        let counts = try #require(object["counts"] as? [String: Int])
        #expect(counts.count == Finding.Kind.allCases.count)
        #expect(counts["missing_seed_file"] == 1 && counts["escaping_seed_file"] == 1 && counts["orphan_directory"] == 0)
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.map { $0["file"] as? String } == ["skill.md", "experience.md"])
    }
}
