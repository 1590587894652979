import Glibc
import Testing
@testable import RegistryCore
@testable import RegistrySystem
@testable import RegistryDaemon

@Suite struct FailureLedgerTests {
    private func full(_ slug: String) -> SyncFailure {
        SyncFailure(slug: slug, error: SystemError(errno: .noSpace, operation: "write", path: slug + "/identity.yaml"))
    }

    @Test func aKindIsReportedWhenItStartsAndWhenItClearsNotOnEverySweep() {
        var ledger = FailureLedger()
        let first = ledger.replaceAll(with: (1...484).map { full("a-b-\($0)") })
        #expect(first.started.count == 1)
        #expect(first.started.first?.example.kind == "No space left on device")
        #expect(first.started.first?.entries == 484)
        #expect(first.cleared.isEmpty)
        #expect(ledger.replaceAll(with: (1...484).map { full("a-b-\($0)") }) == FailureLedger.Change(started: [], cleared: []))
        // A re-check of some entries that now work leaves the kind failing for the others.
        #expect(ledger.replace(slugs: ["a-b-1", "a-b-2"], with: []) == FailureLedger.Change(started: [], cleared: []))
        #expect(ledger.count == 482)
        let other = SyncFailure(slug: "a-b-1", error: SystemError(errno: .permissionDenied, operation: "mkdirat", path: "a-b-1"))
        #expect(ledger.replace(slugs: ["a-b-1"], with: [other]).started.map(\.example) == [other])
        let cleared = ledger.replaceAll(with: [])
        #expect(cleared.cleared == ["No space left on device", "Permission denied"])
        #expect(ledger.current.isEmpty)
    }

    @Test func theKindOfASystemErrorDoesNotNameTheFile() {
        #expect(full("a-b-1").kind == full("c-d-2").kind)
        #expect(full("a-b-1").detail == "write a-b-1/identity.yaml: No space left on device")
    }
}
