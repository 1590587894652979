/// Why a statement gave no result: the server refused it (a `PostgresError`, with its
/// SQLSTATE), or the connection failed under it (a `ConnectionError`). The asynchronous
/// interface's results carry this type; the blocking `query` and `execute` throw the error
/// inside (`underlying`), which is what their callers have always matched.
public enum StatementError: Error, Sendable, Equatable, CustomStringConvertible {
    case refused(PostgresError)
    case connection(ConnectionError)

    /// The error inside, as the blocking calls throw it.
    public var underlying: any Error {
        switch self {
        case .refused(let error): error
        case .connection(let error): error
        }
    }

    public var description: String {
        switch self {
        case .refused(let error): error.description
        case .connection(let error): error.description
        }
    }
}
