import Foundation
import Testing
@testable import RegistryCore

@Suite struct DriftReportFormatTests {
    @Test func textIsATableGroupedByDirectionWithASummary() {
        #expect(DriftFixture.report.text() == """
            table -> tree
              missing_directory  developer-ann-2  active persona has no directory
              missing_identity   developer-bob-3  the directory has no identity.yaml
            tree -> table
              orphan_directory   tester-gone-99   no persona has this slug
            both
              identity_mismatch  developer-dee-4  name: database Dee, file yes
                                                  description: database null, file "tab\\there"
            tree
              unexpected_entry   Bad Name         directory whose name is not a slug
              invalid_identity   developer-eve-5  anchors are not allowed
              unexpected_entry   developer-lnk-8  symbolic link where the persona's directory should be
              unexpected_entry   notes.txt        regular file in the tree root

            8 findings: 1 missing directory, 1 orphan directory, 1 missing identity file, 1 identity mismatch, 1 invalid identity file, 3 unexpected entries

            """)
    }

    @Test func cleanTextIsOneLine() {
        #expect(DriftReport(findings: []).text() == "0 findings: the tree is in step with the database\n")
    }

    @Test func summaryMatchesTheIssueExample() {
        let report = DriftReport(findings: [
            Finding(kind: .orphanDirectory, slug: "a-b-1", detail: ""),
            Finding(kind: .missingDirectory, slug: "a-b-2", detail: ""),
            Finding(kind: .orphanDirectory, slug: "a-b-3", detail: ""),
        ])
        #expect(report.summary == "3 findings: 1 missing directory, 2 orphan directories")
    }

    @Test func porcelainIsOneTabSeparatedLinePerFindingOrField() {
        #expect(DriftFixture.report.porcelain() == """
            unexpected_entry\tBad Name\t\t\t\tdirectory whose name is not a slug
            missing_directory\tdeveloper-ann-2\t\t\t\tactive persona has no directory
            missing_identity\tdeveloper-bob-3\t\t\t\tthe directory has no identity.yaml
            identity_mismatch\tdeveloper-dee-4\tname\tDee\tyes\t
            identity_mismatch\tdeveloper-dee-4\tdescription\tnull\t"tab\\\\there"\t
            invalid_identity\tdeveloper-eve-5\t\t\t\tanchors are not allowed
            unexpected_entry\tdeveloper-lnk-8\t\t\t\tsymbolic link where the persona's directory should be
            unexpected_entry\tnotes.txt\t\t\t\tregular file in the tree root
            orphan_directory\ttester-gone-99\t\t\t\tno persona has this slug

            """)
        #expect(DriftReport(findings: []).porcelain() == "")
    }

    @Test func porcelainEscapesTabsAndNewlinesInNames() {
        let report = DriftReport(findings: [Finding(kind: .unexpectedEntry, slug: "a\tb\nc\\d", detail: "x")])
        #expect(report.porcelain() == "unexpected_entry\ta\\tb\\nc\\\\d\t\t\t\tx\n")
    }

    @Test func jsonHasVersionCountsAndSortedFindings() throws {
        let data = Data(DriftFixture.report.json().utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["format_version"] as? Int == 1)
        #expect(object["total"] as? Int == 8)
        let counts = try #require(object["counts"] as? [String: Int])
        #expect(counts == ["missing_directory": 1, "orphan_directory": 1, "missing_identity": 1,
                           "identity_mismatch": 1, "invalid_identity": 1, "missing_seed_file": 0,
                           "escaping_seed_file": 0, "unexpected_entry": 3])
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.map { $0["slug"] as? String } == DriftFixture.report.findings.map(\.slug))
        #expect(findings.map { $0["kind"] as? String } == DriftFixture.report.findings.map(\.kind.rawValue))
        let mismatch = try #require(findings.first { $0["kind"] as? String == "identity_mismatch" })
        #expect(mismatch["persona_id"] as? Int == 4)
        let differences = try #require(mismatch["differences"] as? [[String: String]])
        #expect(differences == [["field": "name", "database": "Dee", "file": "yes"],
                                ["field": "description", "database": "null", "file": "\"tab\\there\""]])
        #expect(findings.first { $0["kind"] as? String == "orphan_directory" }?["persona_id"] is NSNull)
    }

    @Test func reconcileReportFormats() throws {
        let plan = RepairPlan.make(findings: DriftFixture.report.findings, personas: DriftFixture.personas,
                                   snapshot: DriftFixture.snapshot, policy: .reconcile)
        let report = ReconcileReport(plan: plan)
        let text = report.text()
        #expect(text.hasPrefix("Dry run: nothing was changed.\nwould repair\n  create_directory          developer-ann-2"))
        #expect(text.hasSuffix("\n5 repairs planned; 4 findings would remain (not repaired by reconcile): 1 orphan directory, 3 unexpected entries\n"))
        #expect(report.porcelain().split(separator: "\n").first == "repair\tcreate_directory\tdeveloper-ann-2\tdirectory with identity file and seed files\t")
        #expect(report.porcelain().split(separator: "\n").last == "finding\torphan_directory\ttester-gone-99\t\t\t\tno persona has this slug")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        #expect(object["dry_run"] as? Bool == true)
        #expect((object["repairs"] as? [Any])?.count == 5)
        #expect((object["remaining"] as? [String: Any])?["total"] as? Int == 4)
    }
}
