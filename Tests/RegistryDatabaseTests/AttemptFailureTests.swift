import Testing
@testable import RegistryDatabase

/// libpq hands a refused connection's SQLSTATE over only inside its verbose
/// message; `AttemptFailure.withoutSQLSTATE` finds it there.
@Suite struct ConnectRefusalTests {
    @Test func sqlstateIsTakenFromAVerboseMessageAndRemovedFromIt() throws {
        let line = #"connection to server at "127.0.0.1", port 5432 failed: FATAL:  28P01: password authentication failed for user "x""#
        let (code, message) = try #require(AttemptFailure.withoutSQLSTATE(line))
        #expect(code == "28P01")
        #expect(message == #"connection to server at "127.0.0.1", port 5432 failed: FATAL:  password authentication failed for user "x""#)
    }

    @Test func aMessageWithoutASQLSTATEHasNone() {
        #expect(AttemptFailure.withoutSQLSTATE(#"connection to server at "127.0.0.1", port 1 failed: Connection refused"#) == nil)
        #expect(AttemptFailure.withoutSQLSTATE("timeout expired") == nil)
        // Five characters that are not a code (lower case) are not taken for one.
        #expect(AttemptFailure.withoutSQLSTATE("failed: FATAL:  abcde: no") == nil)
    }

    @Test func anUnparseableURLIsRefusedBeforeAnyConnection() {
        let refused = #expect(throws: ConnectionError.self) { try ConnectionString.validate("postgresql://h/db?no_such_option=1") }
        guard case .invalidURL(let reason)? = refused else { Issue.record("not .invalidURL: \(String(describing: refused))"); return }
        #expect(reason.contains("no_such_option"))
        #expect(refused?.message == "the database URL is not valid: " + reason)
        #expect(throws: Never.self) { try ConnectionString.validate("postgresql://user@127.0.0.1:5432/db?connect_timeout=3") }
        #expect(throws: Never.self) { try ConnectionString.validate("host=127.0.0.1 dbname=x") }
    }
}

/// "cannot connect to PostgreSQL: " is said by `ConnectionError.message`, once: the reason is
/// kept without it (the daemon's STATUS= shows the reason alone).
@Suite struct ConnectionErrorTests {
    @Test func aFailedAttemptKeepsItsReasonAndSaysWhatFailedInItsMessage() {
        let refused = ConnectionError.cannotConnect(reason: "FATAL:  password authentication failed", code: .init(raw: "28P01"))
        #expect(refused.message == "cannot connect to PostgreSQL: FATAL:  password authentication failed")
        #expect(refused.reason == "FATAL:  password authentication failed")
        #expect(refused.code?.errorClass == .invalidAuthorizationSpecification)
        #expect(ConnectionError.lost("gone").reason == nil && ConnectionError.lost("gone").message == "gone")
    }
}
