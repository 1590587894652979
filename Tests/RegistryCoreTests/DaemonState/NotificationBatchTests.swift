import Testing
@testable import RegistryCore

@Suite struct NotificationBatchTests {
    @Test func reducesPayloadsToTheRowsToFetch() {
        let batch = NotificationBatch(payloads: [
            #"{"table" : "persona", "op" : "insert", "id" : 1}"#,
            #"{"table" : "persona", "op" : "update", "id" : 1}"#,
            #"{"table" : "persona", "op" : "insert", "id" : 2}"#,
            #"{"table" : "persona", "op" : "delete", "id" : 2}"#,
            #"{"table" : "persona", "op" : "delete", "id" : 3}"#,
            #"{"table" : "persona", "op" : "insert", "id" : 3}"#,
            #"{"table" : "role", "op" : "update", "id" : 9}"#,
            #"{"table" : "role", "op" : "delete", "id" : 10}"#,
            "garbage",
        ])
        #expect(batch.personaIDs == [1, 3])
        #expect(batch.deletedPersonaIDs == [2])
        #expect(batch.roleIDs == [9])
        #expect(batch.unreadable == ["garbage"])
        #expect(NotificationBatch(payloads: []).isEmpty)
    }
}

@Suite struct FindingLedgerTests {
    let orphan = Finding(kind: .orphanDirectory, slug: "a-b-1", detail: "no persona")
    let stray = Finding(kind: .unexpectedEntry, slug: "notes.txt", detail: "a regular file")
    let mismatch = Finding(kind: .identityMismatch, slug: "c-d-2", personaID: 2, detail: "name: database C, file D")

    @Test func eachFindingIsNewOnceAndResolvedOnce() {
        var ledger = FindingLedger()
        #expect(ledger.replaceAll(with: [orphan, stray]) == .init(new: [orphan, stray], resolved: []))
        #expect(ledger.replaceAll(with: [orphan, stray]) == .init(new: [], resolved: []))
        #expect(ledger.replaceAll(with: [stray]) == .init(new: [], resolved: [orphan]))
    }

    @Test func aRecheckOnlyTouchesItsSubjects() {
        var ledger = FindingLedger()
        _ = ledger.replaceAll(with: [orphan, stray])
        #expect(ledger.replace(slugs: ["c-d-2"], with: [mismatch]) == .init(new: [mismatch], resolved: []))
        #expect(ledger.replace(slugs: ["c-d-2"], with: [mismatch]) == .init(new: [], resolved: []))
        #expect(ledger.replace(slugs: ["a-b-1", "c-d-2"], with: []) == .init(new: [], resolved: [orphan, mismatch]))
        #expect(ledger.current == [stray])
    }
}
