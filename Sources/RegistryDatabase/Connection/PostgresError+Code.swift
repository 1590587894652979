extension PostgresError {
    /// A SQLSTATE, as an open set of constants: any five-character code the
    /// server sends is representable, the ones this program acts on are named.
    public struct Code: Sendable, Hashable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(raw: String) { self.rawValue = raw }
        public var description: String { rawValue }

        /// The two-character class, e.g. `23` for integrity constraint violations.
        public var errorClass: Class { Class(rawValue: String(rawValue.prefix(2))) }

        /// A SQLSTATE class (its first two characters), as an open set of constants.
        public struct Class: Sendable, Hashable, RawRepresentable {
            public var rawValue: String
            public init(rawValue: String) { self.rawValue = rawValue }

            public static let connectionException = Class(rawValue: "08")
            public static let invalidAuthorizationSpecification = Class(rawValue: "28")
        }

        // Class 08: connection exception
        public static let connectionException = Code(raw: "08000")
        /// As a server sends it; libpq's own failures are a `ConnectionError`.
        public static let connectionFailure = Code(raw: "08006")
        // Class 22: data exception
        public static let stringDataRightTruncation = Code(raw: "22001")
        public static let invalidTextRepresentation = Code(raw: "22P02")
        // Class 23: integrity constraint violation
        public static let integrityConstraintViolation = Code(raw: "23000")
        public static let restrictViolation = Code(raw: "23001")
        public static let notNullViolation = Code(raw: "23502")
        public static let foreignKeyViolation = Code(raw: "23503")
        public static let uniqueViolation = Code(raw: "23505")
        public static let checkViolation = Code(raw: "23514")
        // Class 25: invalid transaction state
        public static let readOnlySQLTransaction = Code(raw: "25006")
        // Class 28: invalid authorization specification (an unknown role, pg_hba.conf refusing, a bad password)
        public static let invalidAuthorizationSpecification = Code(raw: "28000")
        public static let invalidPassword = Code(raw: "28P01")
        // Class 3D / 42: unknown objects, syntax, privileges
        public static let invalidCatalogName = Code(raw: "3D000")
        public static let syntaxError = Code(raw: "42601")
        public static let insufficientPrivilege = Code(raw: "42501")
        public static let undefinedTable = Code(raw: "42P01")
        public static let undefinedFunction = Code(raw: "42883")
        public static let duplicateTable = Code(raw: "42P07")
        public static let duplicateObject = Code(raw: "42710")
        // Class 57: operator intervention
        public static let adminShutdown = Code(raw: "57P01")
        public static let crashShutdown = Code(raw: "57P02")
        public static let cannotConnectNow = Code(raw: "57P03")
        // Class P0: PL/pgSQL
        public static let raiseException = Code(raw: "P0001")
    }
}
