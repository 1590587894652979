import Foundation
import Testing
@testable import RegistryCore

/// Rows and a hand-made snapshot holding one finding of every kind but the
/// seed-file kinds (`SeedFileDriftTests`).
enum DriftFixture {
    static func persona(_ id: Int, _ name: String, status: PersonaStatus = .active) -> Persona {
        Persona(id: id, slug: "developer-\(name.lowercased())-\(id)", name: name, role: "developer", roleID: 1,
                status: status, description: nil, createdAt: "2026-11-24T17:22:53Z")
    }

    static func valid(_ persona: Persona) -> SlugEntry {
        .directory(PersonaDirectory(identity: IdentityState(.contents(IdentityEncoder.encode(persona)))))
    }

    static let con = persona(1, "Con")
    static let missing = persona(2, "Ann")
    static let noIdentity = persona(3, "Bob")
    static let mismatched = persona(4, "Dee")
    static let broken = persona(5, "Eve")
    static let archivedGone = persona(6, "Old", status: .archived)
    static let archivedKept = persona(7, "Kept", status: .archived)
    static let linked = persona(8, "Lnk")

    static var personas: [Persona] { [con, missing, noIdentity, mismatched, broken, archivedGone, archivedKept, linked] }

    static var snapshot: TreeSnapshot {
        var edited = mismatched
        edited.name = "yes"
        edited.description = "tab\there"
        return TreeSnapshot(
            entries: [
                con.slug: valid(con),
                noIdentity.slug: .directory(PersonaDirectory(identity: .missing, tempFiles: [".identity.yaml.tmp-9-1"])),
                mismatched.slug: .directory(PersonaDirectory(identity: IdentityState(.contents(
                    Array(String(decoding: IdentityEncoder.encode(edited), as: UTF8.self)
                        .replacingOccurrences(of: "'yes'", with: "yes").utf8))))),
                broken.slug: .directory(PersonaDirectory(identity: IdentityState(.contents(Array("a: &a [1]\n".utf8))))),
                archivedKept.slug: valid(archivedKept),
                linked.slug: .notDirectory(.symlink),
                "tester-gone-99": .directory(PersonaDirectory(identity: .missing)),
            ],
            strays: [StrayEntry(name: "notes.txt", type: .regular), StrayEntry(name: "Bad Name", type: .directory)])
    }

    static var report: DriftReport {
        DriftReport(findings: DriftEngine.findings(personas: personas, snapshot: snapshot))
    }
}

@Suite struct DriftEngineTests {
    @Test func findsEveryKindAndNothingForArchivedPersonas() {
        let findings = DriftFixture.report.findings
        #expect(findings.map(\.kind.rawValue) == [
            "unexpected_entry", "missing_directory", "missing_identity", "identity_mismatch",
            "invalid_identity", "unexpected_entry", "unexpected_entry", "orphan_directory",
        ])
        #expect(findings.map(\.slug) == [
            "Bad Name", "developer-ann-2", "developer-bob-3", "developer-dee-4",
            "developer-eve-5", "developer-lnk-8", "notes.txt", "tester-gone-99",
        ])
        #expect(!findings.contains { $0.slug.hasPrefix("developer-old-6") || $0.slug.hasPrefix("developer-kept-7") })
        let mismatch = findings.first { $0.kind == .identityMismatch }!
        #expect(mismatch.differences == [
            FieldDifference(field: "name", database: "Dee", file: "yes"),
            FieldDifference(field: "description", database: "null", file: "\"tab\\there\""),
        ])
        #expect(findings.first { $0.kind == .invalidIdentity }?.reason == .anchor)
    }

    @Test func cleanTreeHasNoFindings() {
        let snapshot = TreeSnapshot(entries: [DriftFixture.con.slug: DriftFixture.valid(DriftFixture.con)])
        #expect(DriftEngine.findings(personas: [DriftFixture.con, DriftFixture.archivedGone], snapshot: snapshot).isEmpty)
    }

    @Test func perSlugCheckAgreesWithTheFullCheck() {
        let snapshot = DriftFixture.snapshot
        var perSlug: [Finding] = []
        for persona in DriftFixture.personas {
            perSlug += DriftEngine.findings(slug: persona.slug, persona: persona, entry: snapshot.entries[persona.slug])
        }
        perSlug += DriftEngine.findings(slug: "tester-gone-99", persona: nil, entry: snapshot.entries["tester-gone-99"])
        let full = DriftFixture.report.findings.filter { $0.slug != "notes.txt" && $0.slug != "Bad Name" }
        #expect(perSlug.sorted(by: Finding.reportOrder) == full)
    }

    @Test func streamedEntriesGiveTheSameFindingsAsTheSnapshot() {
        let snapshot = DriftFixture.snapshot
        // Entries in another order than the snapshot's, strays first, as a directory listing may give them.
        let streamed = DriftEngine.findings(personas: DriftFixture.personas) { visit in
            for stray in snapshot.strays.reversed() { visit(.stray(stray)) }
            for slug in snapshot.entries.keys.sorted().reversed() { visit(.slug(slug, snapshot.entries[slug]!)) }
        }
        #expect(streamed == DriftFixture.report.findings)
        #expect(streamed.count == 8)
    }

    @Test func quotingAStringThatNeedsNoQuotesIsNotAMismatch() throws {
        let text = String(decoding: IdentityEncoder.encode(DriftFixture.con), as: UTF8.self)
            .replacingOccurrences(of: "name: Con", with: "name: \"Con\"")
        let fields = try IdentityDecoder.decode(Array(text.utf8))
        #expect(IdentityComparison.differences(DriftFixture.con, fields).isEmpty)
        let quotedID = try IdentityDecoder.decode(Array(text.replacingOccurrences(of: "id: 1", with: "id: '1'").utf8))
        #expect(IdentityComparison.differences(DriftFixture.con, quotedID) == [FieldDifference(field: "id", database: "1", file: "\"1\"")])
    }

    @Test func repairPlansFollowThePolicy() {
        let report = DriftFixture.report
        func plan(_ policy: RepairPolicy) -> RepairPlan {
            RepairPlan.make(findings: report.findings, personas: DriftFixture.personas, snapshot: DriftFixture.snapshot, policy: policy)
        }
        let names = { (plan: RepairPlan) in plan.actions.map { ReconcileReport.name($0) + " " + $0.slug } }
        #expect(names(plan(.check)) == ["create_directory developer-ann-2", "write_identity developer-bob-3",
                                        "remove_temp_file developer-bob-3"])
        #expect(names(plan(.repairSweep)) == ["create_directory developer-ann-2", "write_identity developer-bob-3",
                                              "rewrite_identity developer-dee-4", "remove_temp_file developer-bob-3"])
        #expect(names(plan(.reconcile)) == ["create_directory developer-ann-2", "write_identity developer-bob-3",
                                            "rewrite_identity developer-dee-4", "replace_invalid_identity developer-eve-5",
                                            "remove_temp_file developer-bob-3"])
        #expect(plan(.reconcile).unrepaired.map(\.kind) == [.unexpectedEntry, .unexpectedEntry, .unexpectedEntry, .orphanDirectory])
    }
}
