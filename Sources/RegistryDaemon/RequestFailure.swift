import RegistryDatabase

/// Why a request's rows did not come, sorted once where its answer is read (`DatabaseSide`),
/// so that a step switches on what it decides by instead of casting errors.
enum RequestFailure: Error, CustomStringConvertible {
    /// The connection is gone: the daemon reconnects, and the reconnect's repairing sweep
    /// covers the step.
    case connectionLost(StatementError)
    /// The server refused the statement (a privilege, a missing table, a timeout); the
    /// connection is still there.
    case refused(PostgresError)
    /// The rows came but could not be read (a schema this version does not know).
    case unreadable(TableError)

    /// A statement's failure on a link that is still connected (`connected`) or not.
    init(_ error: StatementError, connected: Bool) {
        switch error {
        // The server's connection-exception class (08) is a connection lost, as libpq's own failures.
        case .refused(let refusal) where connected && refusal.code.errorClass != .connectionException:
            self = .refused(refusal)
        default:
            // libpq's own failure, or the server's on a link that is gone.
            self = .connectionLost(error)
        }
    }

    var description: String {
        switch self {
        case .connectionLost(let error): error.description
        case .refused(let error): error.description
        case .unreadable(let error): error.description
        }
    }

    /// A sweep's page refused or unreadable (not a connection lost): until the first sweep has
    /// ended (`startup`), a missing schema or privilege ends the daemon; later it is the sweep's
    /// failure, told by this line.
    func sweepRefusal(startup: Bool) throws(FatalCause) -> String {
        if startup, case .refused(let postgres) = self, postgres.code == .undefinedTable {
            throw FatalCause.schemaMissing(postgres.message)
        }
        let refusal: TableError? = switch self {
        case .refused(let postgres): Grants.missingPrivilege(postgres, command: "serve", needs: Grants.reading)
        case .unreadable(let error): error
        case .connectionLost: nil
        }
        if startup { throw refusal.map(FatalCause.refused) ?? FatalCause.tablesUnreadable(self) }
        return refusal.map { "\($0)" } ?? description
    }
}
