/// One parameterised statement: SQL text with `$1`, `$2`, ... and the text
/// values for them (`nil` is SQL NULL), run at once (`PostgresConnection.query`)
/// or sent and answered later (`PostgresConnection.send`).
public struct Statement: Sendable, Equatable {
    public var sql: String
    public var parameters: [String?]

    public init(_ sql: String, _ parameters: [String?] = []) {
        self.sql = sql
        self.parameters = parameters
    }
}
