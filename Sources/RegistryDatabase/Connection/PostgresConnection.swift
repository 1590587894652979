import CLibPQ
import Glibc

/// One libpq connection. Not thread-safe: owned by one thread (the daemon's
/// loop or a command's body). Queries are parameterised (`PQexecParams`);
/// values never become part of the SQL text.
public final class PostgresConnection {
    let handle: OpaquePointer

    /// Connects with a URL or key/value conninfo; `nil` uses libpq's own
    /// `PG*` environment variables. `settings` are libpq keywords (e.g. TCP
    /// keepalives) used unless the URL or environment sets them
    /// (`ConnectionParameters`). A URL that does not parse throws
    /// `.invalidURL`; a failed attempt `.cannotConnect`, with the server's SQLSTATE
    /// when it refused the connection (`28P01`, `3D000`, ...). When `interrupt` (a
    /// descriptor) becomes readable meanwhile, the attempt is abandoned and
    /// `.interrupted` thrown (the daemon's signalfd).
    public init(url: String?, settings: KeyValuePairs<String, String> = [:], interrupt: Int32 = -1) throws(ConnectionError) {
        if let url, !url.isEmpty { try ConnectionString.validate(url) }
        let parameters = ConnectionParameters(url: url, settings: settings) { name in
            getenv(name).map { String(cString: $0) }
        }
        handle = try ConnectAttempt.connect(parameters, interrupt: interrupt)
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
    }

    deinit {
        PQfinish(handle)
    }

    /// Runs one statement with text parameters `$1`, `$2`, ... (`nil` is SQL NULL). Throws
    /// the server's `PostgresError` or a `ConnectionError` (`StatementError.underlying`).
    @discardableResult
    public func query(_ sql: String, _ parameters: [String?] = []) throws -> QueryResult {
        let result = withOptionalCStrings(parameters) { pointers in
            PQexecParams(handle, sql, Int32(parameters.count), nil, pointers, nil, nil, 0)
        }
        do { return try QueryResult(consuming: result, connection: handle) } catch { throw error.underlying }
    }

    /// Runs one statement and waits for its result.
    @discardableResult
    public func query(_ statement: Statement) throws -> QueryResult {
        try query(statement.sql, statement.parameters)
    }

    /// Runs SQL text that may hold several statements and takes no parameters
    /// (migration files, `LISTEN`, transaction control).
    public func execute(_ sql: String) throws {
        do { _ = try QueryResult(consuming: PQexec(handle, sql), connection: handle) } catch { throw error.underlying }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            if isConnected { try? execute("ROLLBACK") }
            throw error
        }
    }

    /// Whether libpq still considers the connection usable.
    public var isConnected: Bool { PQstatus(handle) == CONNECTION_OK }

    /// The socket to poll for readability (notifications, lost connection).
    /// Changes on every new connection: re-read it after reconnecting.
    public var socket: Int32 { PQsocket(handle) }

    /// The `connect_timeout` in effect, read by the one rule the attempt applied
    /// (`ConnectionParameters.connectTimeoutMicroseconds`): what bounds a set-up after it too.
    public var connectTimeoutMicroseconds: UInt64? {
        ConnectionParameters(inEffectOn: handle).connectTimeoutMicroseconds
    }

    /// The connection options in effect (`PQconninfo`), by keyword, for the
    /// ones that have a value; passwords are left out.
    public var options: [String: String] {
        let inEffect = ConnectionParameters(inEffectOn: handle)
        var options: [String: String] = [:]
        for (keyword, value) in zip(inEffect.keywords, inEffect.values) where keyword != "password" {
            options[keyword] = value
        }
        return options
    }
}
