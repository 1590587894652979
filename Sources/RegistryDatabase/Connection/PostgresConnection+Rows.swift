import CLibPQ

extension PostgresConnection {
    /// Runs one statement and hands its rows to `body` as they arrive (libpq's single-row
    /// mode), so that a large result (every persona of a table of 100,000) is never held
    /// whole, neither in libpq's result nor copied out of it. Every result is read to the
    /// end, also after a failure (the connection stays usable); the first error is thrown.
    public func forEachRow(_ statement: Statement, _ body: (QueryResult.Row) throws -> Void) throws {
        try send(statement)
        // Refused only when no query is in flight, which `send` has just started.
        _ = PQsetSingleRowMode(handle)
        var failure: Error?
        while let result = PQgetResult(handle) {
            let rows: QueryResult
            do {
                rows = try QueryResult(consuming: result, connection: handle)
            } catch {
                if failure == nil { failure = error.underlying }
                continue
            }
            guard failure == nil else { continue }
            do {
                for values in rows.rows { try body(QueryResult.Row(columns: rows.columns, values: values)) }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }
}
