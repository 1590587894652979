extension QueryResult {
    /// One row whose values are found by column name, so a decoder does not
    /// depend on the order of a SELECT list.
    public struct Row: Sendable {
        let positions: [String: Int]
        public let values: [String?]

        /// The value of column `name`: `nil` for SQL NULL, or for a column the result does not have.
        public subscript(_ name: String) -> String? {
            guard let position = positions[name], position < values.count else { return nil }
            return values[position]
        }
    }

    /// The rows, their values by column name (the first column of a name, if two share one).
    public var namedRows: [Row] {
        let positions = Self.positions(of: columns)
        return rows.map { Row(positions: positions, values: $0) }
    }

    /// Each column name's position (the first, if two share one).
    static func positions(of columns: [String]) -> [String: Int] {
        var positions: [String: Int] = [:]
        for (position, name) in columns.enumerated() where positions[name] == nil { positions[name] = position }
        return positions
    }
}
