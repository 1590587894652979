import RegistryCore

/// A failure on the client's side of the connection, which libpq reports
/// without a SQLSTATE: the server unreachable or gone, the socket closed, no
/// answer, libpq out of memory. A server's refusal or a statement's error is
/// a `PostgresError` instead, with the server's SQLSTATE.
public enum ConnectionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No connection was made (unreachable, timed out, refused without a SQLSTATE).
    case cannotConnect(String)
    /// An established connection failed under a statement or a read.
    case lost(String)

    /// libpq's line saying why.
    public var message: String {
        switch self {
        case .cannotConnect(let message), .lost(let message): message
        }
    }

    /// Escaped like any text from outside (the message may quote a host name).
    public var description: String { Escaping.escaped(message) }
}
