@testable import RegistryDaemon
import RegistryDatabase
import Testing

/// How a failed connection attempt is sorted (`ConnectFailure`): a mistake ends the daemon
/// before any connection succeeded, anything else is retried; what STATUS= shows is the reason.
@Suite struct ConnectFailureTests {
    @Test func refusedCredentialsAnUnknownDatabaseAndAStandbyAreMistakes() {
        let password = ConnectFailure.connection(.cannotConnect(reason: "FATAL:  password authentication failed", code: .init(raw: "28P01")))
        let database = ConnectFailure.connection(.cannotConnect(reason: "FATAL:  database \"x\" does not exist", code: .invalidCatalogName))
        #expect(password.isConfigurationMistake && database.isConfigurationMistake)
        #expect(ConnectFailure.standby(DatabaseLink.StandbyRefused()).isConfigurationMistake)
        let url = ConnectFailure.connection(.invalidURL(reason: "invalid URI query parameter: \"x\""))
        #expect(url.isConfigurationMistake && url.line == "the database URL is not valid: invalid URI query parameter: \"x\"")
        #expect(password.line == "cannot connect to PostgreSQL: FATAL:  password authentication failed")
        #expect(password.problem == "FATAL:  password authentication failed")
    }

    @Test func anUnreachableServerOrALostSetUpIsRetried() {
        let unreachable = ConnectFailure.connection(.cannotConnect(reason: "timeout expired", code: nil))
        let lost = ConnectFailure(StatementError.connection(.lost("server closed the connection unexpectedly")))
        #expect(!unreachable.isConfigurationMistake && !lost.isConfigurationMistake)
        #expect(unreachable.problem == "timeout expired" && lost.problem == "server closed the connection unexpectedly")
        // A set-up statement the server refused: retried unless it refuses the credentials.
        let timeout = ConnectFailure(StatementError.refused(PostgresError(code: .init(raw: "57014"), message: "canceling statement")))
        guard case .setUpRefused = timeout else { Issue.record("not setUpRefused"); return }
        #expect(!timeout.isConfigurationMistake)
    }
}
