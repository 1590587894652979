@testable import RegistryDaemon
import RegistryDatabase
import Testing

/// How a failed connection attempt is sorted (`ConnectFailure`): a mistake ends the daemon
/// before any connection succeeded, anything else is retried; what STATUS= shows is the reason.
@Suite struct ConnectFailureTests {
    @Test func refusedCredentialsAnUnknownDatabaseAndAStandbyAreMistakes() {
        let password = ConnectFailure(ConnectionError.cannotConnect(reason: "FATAL:  password authentication failed", code: .init(raw: "28P01")))
        let database = ConnectFailure(ConnectionError.cannotConnect(reason: "FATAL:  database \"x\" does not exist", code: .invalidCatalogName))
        #expect(password.isConfigurationMistake && database.isConfigurationMistake)
        #expect(ConnectFailure(DatabaseLink.StandbyRefused()).isConfigurationMistake)
        #expect(password.line == "cannot connect to PostgreSQL: FATAL:  password authentication failed")
        #expect(password.problem == "FATAL:  password authentication failed")
    }

    @Test func anUnreachableServerOrALostSetUpIsRetried() {
        let unreachable = ConnectFailure(ConnectionError.cannotConnect(reason: "timeout expired", code: nil))
        let lost = ConnectFailure(ConnectionError.lost("server closed the connection unexpectedly"))
        #expect(!unreachable.isConfigurationMistake && !lost.isConfigurationMistake)
        #expect(unreachable.problem == "timeout expired" && lost.problem == "server closed the connection unexpectedly")
    }
}
