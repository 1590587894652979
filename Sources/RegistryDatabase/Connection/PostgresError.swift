import CLibPQ
import RegistryCore

/// An error reported by PostgreSQL or by libpq, with the server's SQLSTATE
/// and diagnostic fields when the server sent them.
public struct PostgresError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The SQLSTATE the server sent (client-side failures are a `ConnectionError`).
    public var code: Code
    /// The primary message, one line.
    public var message: String
    public var detail: String?
    public var hint: String?
    /// The constraint named by an integrity violation.
    public var constraint: String?

    public init(code: Code, message: String, detail: String? = nil, hint: String? = nil, constraint: String? = nil) {
        self.code = code
        self.message = message
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
    }

    /// The message and detail on one line; names from the rows they quote
    /// ("Failing row contains ...") are escaped like any text from outside.
    public var description: String {
        var text = message
        if let detail { text += " (\(detail))" }
        return Escaping.escaped(text)
    }

    /// The error of a failed result: the server's, from its diagnostic fields, or
    /// libpq's own (a result without a SQLSTATE: the connection failed under it).
    static func failure(of result: OpaquePointer, connection: OpaquePointer?) -> StatementError {
        func field(_ code: Int32) -> String? {
            guard let value = PQresultErrorField(result, code) else { return nil }
            return String(cString: value)
        }
        guard let sqlstate = field(PR_PG_DIAG_SQLSTATE) else {
            return .connection(.lost(field(PR_PG_DIAG_MESSAGE_PRIMARY) ?? PostgresError.connectionMessage(connection)))
        }
        return .refused(PostgresError(
            code: Code(raw: sqlstate),
            message: field(PR_PG_DIAG_MESSAGE_PRIMARY) ?? PostgresError.connectionMessage(connection),
            detail: field(PR_PG_DIAG_MESSAGE_DETAIL),
            hint: field(PR_PG_DIAG_MESSAGE_HINT),
            constraint: field(PR_PG_DIAG_CONSTRAINT_NAME)
        ))
    }

    /// The connection's last error message, trimmed to its first line.
    static func connectionMessage(_ connection: OpaquePointer?) -> String {
        guard let connection, let raw = PQerrorMessage(connection) else { return "unknown libpq error" }
        let text = String(cString: raw)
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmedWhitespace() }
        let first = lines.first { !$0.isEmpty } ?? "unknown libpq error"
        return first.hasPrefix("ERROR:") ? first.dropFirst(6).trimmedWhitespace() : first
    }
}
