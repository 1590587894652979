import RegistryCore

/// A privilege the database refused, told with what the command needs of `Grants`.
extension Grants {
    /// A refused privilege (SQLSTATE 42501, of a statement or of the connection itself: no
    /// `CONNECT`) as one line: PostgreSQL's message, which names the table or the database,
    /// then what `command` needs. Other errors as they are.
    public static func explained(_ error: Error, command: String, needs: [Privilege]) -> Error {
        switch error {
        case let error as PostgresError: missingPrivilege(error, command: command, needs: needs) ?? error
        case let error as ConnectionError: missingPrivilege(error.code, error.description, command: command, needs: needs) ?? error
        default: error
        }
    }

    /// The server's refusal of a statement as a `TableError.missingPrivilege`, when that is what it is.
    public static func missingPrivilege(_ error: PostgresError, command: String, needs: [Privilege]) -> TableError? {
        missingPrivilege(error.code, error.description, command: command, needs: needs)
    }

    private static func missingPrivilege(_ code: PostgresError.Code?, _ line: String, command: String,
                                         needs: [Privilege]) -> TableError? {
        guard code == .insufficientPrivilege else { return nil }
        return .missingPrivilege(line, command: command, needs: needs.map(\.description).joined(separator: ", "))
    }
}
