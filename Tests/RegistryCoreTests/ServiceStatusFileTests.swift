import Foundation
import Testing
@testable import RegistryCore

/// The status file and the repair record: what the daemon writes, the CLI reads back
/// exactly, hostile text included; anything else is refused, not guessed.
@Suite struct ServiceStatusFileTests {
    static var sample: ServiceStatus {
        var status = ServiceStatus(pid: 4242, startedAt: "2026-12-07T01:02:03Z", tree: "/srv/tree \u{1b}[31m\u{200b}\u{1F600}\"\\")
        status.phase = .sweeping
        status.personas = 12
        status.activePersonas = 10
        status.findings = [.orphanDirectory: 2, .invalidIdentity: 1]
        status.failingEntries = 1
        status.sweeps = 3
        status.lastSweep = .init(finishedAt: "2026-12-07T01:02:04Z", milliseconds: 1234, personas: 12, policy: "repair", failed: false)
        status.repairSweepStartedMicroseconds = 987_654_321
        status.reloadedMicroseconds = 987_000_000
        status.lastError = "cannot connect\nline two\u{202e}"
        status.lastErrorAt = "2026-12-07T01:02:05Z"
        return status
    }

    @Test func roundTrip() {
        let text = Self.sample.fileText
        #expect(ServiceStatus(fileText: text) == Self.sample)
        // One line, no control or invisible character in it: `cat` of the file shows what it holds.
        #expect(text.hasSuffix("}\n") && text.dropLast().unicodeScalars.allSatisfy { !Escaping.needsEscape($0) })
        #expect(text.contains(#""finding.orphan_directory":2"#) && text.contains(#"\u200b"#) && text.contains("\u{1F600}"))
        // Foundation reads it as the JSON it is.
        let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        #expect(object?["tree"] as? String == Self.sample.tree)
    }

    @Test func plantedCountsAreClampedSoStatusCanAddThem() throws {
        let max = Int.max, min = -5
        let text = #"{"format":1,"pid":7,"started_at":"x","tree":"t","phase":"connected","personas":\#(min),"#
            + #""finding.orphan_directory":\#(max),"finding.unexpected_entry":\#(max),"sweeps":-3}"#
        let status = try #require(ServiceStatus(fileText: text + "\n"))
        #expect(status.personas == 0 && status.sweeps == 0)
        #expect(status.findings[.orphanDirectory] == ServiceStatus.countLimit && status.findings[.unexpectedEntry] == ServiceStatus.countLimit)
        let report = StatusReport(tree: "t", serving: true, pid: 7, status: status).text()
        #expect(report.contains("findings: \(2 * ServiceStatus.countLimit) ("), "\(report)")
    }

    @Test(arguments: ["", "{}", #"{"format":2,"pid":1,"started_at":"x","tree":"t","phase":"connected"}"#,
                      #"{"format":1,"pid":1,"started_at":"x","tree":"t","phase":"dancing"}"#,
                      #"{"format":1,"pid":1,"started_at":"x","tree":"\u12","phase":"connected"}"#,
                      #"{"format":1,"pid":1,"started_at":"x","tree":"\ud800","phase":"connected"}"#,
                      #"{"format":1,"pid":1,"started_at":"x","tree":"\u+123","phase":"connected"}"#])
    func refused(_ text: String) {
        #expect(ServiceStatus(fileText: text) == nil)
    }

    @Test func waitersReadTheMonotonicTimes() {
        var status = Self.sample
        #expect(status.repairedSince(987_654_321) && !status.repairedSince(987_654_322))
        status.phase = .connected
        #expect(!status.reloadedSince(987_000_001))
        status.reloadedMicroseconds = 987_700_000
        #expect(!status.reloadedSince(987_654_322), "reloaded, its sweep not finished")
        status.phase = .waitingForPostgreSQL
        #expect(status.reloadedSince(987_654_322), "the sweep follows the reconnection")
        // A repairing sweep sent after the signal but before the daemon read it is not the reload's.
        status.phase = .connected
        status.repairSweepStartedMicroseconds = 987_690_000
        #expect(status.repairedSince(987_654_322) && !status.reloadedSince(987_654_322))
        status.repairSweepStartedMicroseconds = 987_700_001
        #expect(status.reloadedSince(987_654_322))
    }

    @Test func hostileFiguresAreShownNotTrappedOn() {
        var status = Self.sample
        status.lastSweep?.milliseconds = -5
        status.startedAt = "2026\u{1b}[2J"
        let text = StatusReport(tree: "/t", serving: true, pid: 1, status: status).text()
        #expect(text.contains("0.000 s") && text.contains("since: 2026\\u001b[2J"), "\(text)")
    }

    @Test func repairRecordRoundTrip() {
        let record = RepairSweepRecord(startedMicroseconds: 55, repairs: [])
        #expect(RepairSweepRecord(fileText: record.fileText) == record)
        let text = #"{"format":1,"started_us":55,"omitted":3}"# + "\n"
            + #"{"action":"rewrite_identity","slug":"developer-con-1","detail":"rewrote \u200b","error":null}"# + "\n"
        let parsed = RepairSweepRecord(fileText: text)
        #expect(parsed?.entries.first?.detail == "rewrote \u{200b}" && parsed?.omitted == 3)
        #expect(parsed.map { RepairSweepRecord(fileText: $0.fileText) == $0 } == true)
        #expect(RepairSweepRecord(fileText: text + "{}\n") == nil)
    }

    @Test func statusReportFormats() throws {
        let served = StatusReport(tree: "/t", serving: true, pid: 4242, status: Self.sample)
        let text = served.text()
        #expect(text.contains("served: yes, by pid 4242\n") && text.contains("state: sweeping\n"))
        #expect(text.contains("findings: 3 (2 orphan_directory, 1 invalid_identity)\n"))
        #expect(text.contains("last sweep: 2026-12-07T01:02:04Z, repair, 12 personas, 1.234 s (3 since start)\n"))
        #expect(text.contains(#"last error: cannot connect\nline two\u202e (at 2026-12-07T01:02:05Z)"#))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(served.json().utf8)) as? [String: Any])
        #expect(object["serving"] as? Bool == true && object["pid"] as? Int == 4242)
        #expect((object["findings"] as? [String: Int]) == ["orphan_directory": 2, "invalid_identity": 1])
        let none = try #require(try JSONSerialization.jsonObject(
            with: Data(StatusReport(tree: "/t", serving: false, pid: nil, status: nil).json().utf8)) as? [String: Any])
        #expect(none["serving"] as? Bool == false && none["pid"] is NSNull)
    }
}
