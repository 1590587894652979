@testable import RegistryDaemon
import RegistryDatabase
import Testing

/// How a request's failure is sorted, once, for the steps to switch on (`RequestFailure`).
@Suite struct RequestFailureTests {
    let refused = PostgresError(code: .insufficientPrivilege, message: "permission denied for table persona")

    @Test func aStatementRefusedOnALiveConnectionIsTheStepsFailure() {
        guard case .refused(let error) = RequestFailure(.refused(refused), connected: true) else { Issue.record("not refused"); return }
        #expect(error == refused)
    }

    @Test func libpqsFailureTheServersClass08OrALinkGoneAreAConnectionLost() {
        let adminShutdown = PostgresError(code: .init(raw: "08006"), message: "connection failure")
        for failure in [RequestFailure(.connection(.lost("gone")), connected: true), RequestFailure(.refused(adminShutdown), connected: true),
                        RequestFailure(.refused(refused), connected: false)] {
            guard case .connectionLost = failure else { Issue.record("\(failure) is not a connection lost"); continue }
        }
    }
}
