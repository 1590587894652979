import RegistryDatabase

/// Why a connection attempt (the connection or its set-up) failed, sorted once where it
/// fails (`DatabaseSide`), so that what the daemon decides on is a switch: whether retrying
/// can cure it, and what to say.
enum ConnectFailure: Error {
    /// No connection (a URL libpq cannot parse; unreachable, refused by the server with its
    /// SQLSTATE, no answer in time), or the one made was lost under the set-up.
    case connection(ConnectionError)
    /// The server refused a set-up statement.
    case setUpRefused(PostgresError)
    /// The server is a hot standby.
    case standby(DatabaseLink.StandbyRefused)

    /// A set-up statement's failure.
    init(_ error: StatementError) {
        self = switch error {
        case .refused(let error): .setUpRefused(error)
        case .connection(let error): .connection(error)
        }
    }

    /// A mistake retrying cannot cure: the URL, the credentials, the database name, a standby.
    var isConfigurationMistake: Bool {
        switch self {
        case .standby, .connection(.invalidURL): true
        case .connection(let error): error.code.map(ConnectFailure.isConfigurationMistake) ?? false
        case .setUpRefused(let error): ConnectFailure.isConfigurationMistake(error.code)
        }
    }

    /// The server refused the credentials or knows no such database.
    private static func isConfigurationMistake(_ code: PostgresError.Code) -> Bool {
        code.errorClass == .invalidAuthorizationSpecification || code == .invalidCatalogName
    }

    /// The line that ends the daemon when it is a mistake (libpq's or the server's, unescaped:
    /// `FatalCause` is written as a log line's message).
    var line: String {
        switch self {
        case .connection(let error): error.message
        case .setUpRefused(let error): error.message
        case .standby(let error): "\(error)"
        }
    }

    /// Why it failed, without saying that connecting did: the log line, STATUS= ("waiting for
    /// PostgreSQL (...)") and the status file say so in words of their own.
    var problem: String {
        if case .connection(let error) = self, let reason = error.reason { return reason }
        return line
    }
}
