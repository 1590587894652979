import RegistryCore

/// A failure on the client's side of the connection: the attempt failed (unreachable,
/// timed out, refused by the server), the socket closed, no answer. A statement's error
/// is a `PostgresError` instead, with the server's SQLSTATE.
public enum ConnectionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No connection was made: why, in libpq's words (`reason`, which `message` puts after
    /// "cannot connect to PostgreSQL: "), and the server's SQLSTATE when it refused the
    /// connection (`28P01`, `3D000`, ...; `nil`: unreachable, timed out).
    case cannotConnect(reason: String, code: PostgresError.Code?)
    /// libpq could not start an attempt (it could not allocate a connection).
    case notStarted
    /// An established connection failed under a statement or a read.
    case lost(String)

    /// The line saying why.
    public var message: String {
        switch self {
        case .cannotConnect(let reason, _): "cannot connect to PostgreSQL: " + reason
        case .notStarted: "libpq could not allocate a connection"
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
