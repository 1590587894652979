import RegistryDatabase

/// Why a request's rows did not come, sorted once where its answer is read (`DatabaseSide`),
/// so that a step switches on what it decides by instead of casting errors.
enum RequestFailure: Error, CustomStringConvertible {
    /// The connection is gone: the daemon reconnects, and the reconnect's repairing sweep
    /// covers the step.
    case connectionLost(any Error)
    /// The server refused the statement (a privilege, a missing table, a timeout); the
    /// connection is still there.
    case refused(PostgresError)
    /// The rows came but could not be read (a schema this version does not know).
    case unreadable(TableError)

    /// `error`, a statement's failure on a link that is still connected (`connected`) or not.
    init(_ error: any Error, connected: Bool) {
        switch error {
        // The server's connection-exception class (08) is a connection lost, as libpq's own failures.
        case let error as PostgresError where connected && error.code.errorClass != .connectionException:
            self = .refused(error)
        case let error as TableError where connected:
            self = .unreadable(error)
        default:
            // `ConnectionError`, or anything on a link that is gone (no other error is thrown by a
            // statement: were one to be, the reconnect's repairing sweep would cover its step).
            self = .connectionLost(error)
        }
    }

    var error: any Error {
        switch self {
        case .connectionLost(let error): error
        case .refused(let error): error
        case .unreadable(let error): error
        }
    }

    var description: String { "\(error)" }

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
        if startup { throw refusal.map(FatalCause.refused) ?? FatalCause.tablesUnreadable(error) }
        return refusal.map { "\($0)" } ?? description
    }
}
