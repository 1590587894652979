import RegistryCore
import RegistryDatabase

/// The set-up of a new connection (`SetUpStep`s), a statement at a time, sent and
/// answered as the daemon's queries are: nothing here waits on the server.
extension DatabaseLink {
    /// The server is a hot standby: the daemon needs a primary.
    struct StandbyRefused: Error, CustomStringConvertible {
        var description: String {
            "the database server is a read-only standby (pg_is_in_recovery() is true): point persona-registry serve at the primary"
        }
    }

    /// Sends the set-up's next statement.
    func sendSetUp() throws(ConnectionError) {
        let step = setUpToSend.removeFirst()
        try send(step.statement, for: .setUp(step))
    }

    /// Takes what the answer to `step` says (a standby is refused, thrown; the layout), and
    /// returns whether the set-up is complete; `sendSetUp` sends the next statement otherwise.
    func setUpAnswered(_ step: SetUpStep, _ result: QueryResult) throws(StandbyRefused) -> Bool {
        switch step {
        case .standbyCheck:
            if result.scalar == "t" { throw StandbyRefused() }
        case .layout:
            // A database no migration ran on is read as `prd`: the first sweep's query then fails
            // with PostgreSQL's own "relation does not exist", which ends the daemon (as a schema
            // dropped later is retried by the next sweep).
            queries = PersonaQueries((try? Tables(detected: result)) ?? .prd)
        case .limit, .listen, .unlimit:
            break
        }
        isSetUp = setUpToSend.isEmpty
        return isSetUp
    }

    /// Why the set-up failed when it was not answered by `DaemonState`'s deadline.
    func setUpNotAnswered() -> ConnectionError {
        let sql = if case .setUp(let step) = inFlight?.asked { "`\(step.statement.sql)`" } else { "the set-up" }
        let seconds = (connection.connectTimeoutMicroseconds ?? 0) / 1_000_000
        return .cannotConnect(reason: "the server accepted the connection but did not answer \(sql) within \(seconds) s", code: nil)
    }
}
