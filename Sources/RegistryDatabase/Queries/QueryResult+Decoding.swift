import RegistryCore

extension QueryResult {
    /// The rows made into values by `make`, which finds a row's values by column name
    /// (`Persona(columns:)`, `Role(columns:)`); a row it cannot make one of is a
    /// `TableError.unexpectedRow` of `table`, naming the row's values.
    func decoded<Value>(_ table: TableError.Table, _ make: ((String) -> String?) -> Value?) throws(TableError) -> [Value] {
        try namedRows.map { row throws(TableError) in
            guard let value = make({ row[$0] }) else { throw TableError.unexpectedRow(table, "\(row.values)") }
            return value
        }
    }
}
