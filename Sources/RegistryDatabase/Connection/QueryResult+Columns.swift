extension QueryResult {
    /// One row whose values are found by column name, so a decoder does not
    /// depend on the order of a SELECT list.
    public struct Row: Sendable {
        /// The result's column names, shared by its rows (not copied).
        let columns: [String]
        public let values: [String?]

        /// The value of column `name` (the first column of that name): `nil` for SQL NULL,
        /// or for a column the result does not have.
        /// A scan, not a dictionary: a result has a few short column names, which compare
        /// faster than they hash (a dictionary made per result cost the daemon 14,000 of
        /// the 220,000 instructions of an insert; bench/RESULTS.md).
        public subscript(_ name: String) -> String? {
            guard let position = columns.firstIndex(of: name), position < values.count else { return nil }
            return values[position]
        }
    }

    /// The rows, their values by column name (the first column of a name, if two share one).
    public var namedRows: [Row] {
        rows.map { Row(columns: columns, values: $0) }
    }
}
