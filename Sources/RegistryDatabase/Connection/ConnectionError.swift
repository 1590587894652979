import RegistryCore
import RegistrySystem

/// A failure on the client's side of the connection: the URL refused, the attempt failed
/// (unreachable, timed out, refused by the server) or abandoned, the socket closed, no
/// answer. A statement's error is a `PostgresError` instead, with the server's SQLSTATE;
/// `StatementError` is either. What `PostgresConnection`'s connection and asynchronous
/// interface throw is this type, so a caller switches on it instead of casting.
public enum ConnectionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URL or conninfo string libpq cannot parse (its reason, one line): a mistake in
    /// the configuration, never retried.
    case invalidURL(reason: String)
    /// No connection was made: why, in libpq's words (`reason`, which `message` puts after
    /// "cannot connect to PostgreSQL: "), and the server's SQLSTATE when it refused the
    /// connection (`28P01`, `3D000`, ...; `nil`: unreachable, timed out).
    case cannotConnect(reason: String, code: PostgresError.Code?)
    /// The attempt was abandoned because the interrupt descriptor became readable (a signal
    /// arrived at the daemon's signalfd).
    case interrupted
    /// libpq could not start an attempt (it could not allocate a connection).
    case notStarted
    /// Waiting on the attempt's socket failed (`poll`).
    case waitFailed(SystemError)
    /// An established connection failed under a statement or a read.
    case lost(String)

    /// The line saying why.
    public var message: String {
        switch self {
        case .invalidURL(let reason): "the database URL is not valid: " + reason
        case .cannotConnect(let reason, _): "cannot connect to PostgreSQL: " + reason
        case .interrupted: "the connection attempt was interrupted"
        case .notStarted: "libpq could not allocate a connection"
        case .waitFailed(let error): "cannot connect to PostgreSQL: \(error)"
        case .lost(let message): message
        }
    }

    /// Why no connection was made, without the words that say so (`nil`: it was not refused
    /// or unreachable).
    public var reason: String? {
        if case .cannotConnect(let reason, _) = self { reason } else { nil }
    }

    /// The SQLSTATE of the server's refusal of the connection, if it sent one.
    public var code: PostgresError.Code? {
        if case .cannotConnect(_, let code) = self { code } else { nil }
    }

    /// Escaped like any text from outside (the message may quote a host name).
    public var description: String { Escaping.escaped(message) }
}
