import RegistryCore

/// What the tables refuse or the queries on them cannot do, as a closed set that callers can
/// switch on; `description` is the one line an operator reads. (PostgreSQL's own errors are a
/// `PostgresError`, libpq's a `ConnectionError`, the migrations' a `MigrationError`.)
public enum TableError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Which table a name or row belongs to.
    public enum Table: String, Sendable {
        case role, persona
    }

    /// The schema has not been migrated; PostgreSQL's message.
    case schemaMissing(String)
    /// The database user lacks a privilege: PostgreSQL's message, the command, what it needs.
    case missingPrivilege(String, command: String, needs: String)
    case duplicateRole(String)
    /// A role whose name folds to an existing one's (`role_name_folded_key`), that one unknown.
    case roleNamedLike(String)
    /// A role whose name folds to the same slug prefix as the existing role's.
    case sameSlugPrefix(name: String, existing: String, prefix: String)
    case unknownRole(String)
    case unknownSlug(String)
    case blankName(Table)
    case controlCharacters(Table)
    case bidirectionalControls(Table)
    /// Zero-width and other default-ignorable characters inside a name (migration 0003).
    case invisibleCharacters(Table)
    case nameTooLong(Table, limit: Int, length: Int)
    case descriptionTooLong(Table, limit: Int)
    /// A row the queries cannot decode (a schema this version does not know).
    case unexpectedRow(Table, String)
    /// An INSERT ... RETURNING that returned nothing.
    case noRowReturned(Table)
}

extension TableError {
    // The one table of the tables' refusals and their sentences. Its rows are alike in shape
    // (a case, its values, one line of text) because each case is one refusal with its own
    // line; what the name checks share is said once, in `NameChecks`, where the tables'
    // constraints are read.
    public var description: String {
        switch self {
        case .schemaMissing(let message):
            "the registry schema is missing (\(message)): run `persona-registry migrate up` first"
        case .missingPrivilege(let message, let command, let needs):
            "\(message): \(command) needs \(needs) (`persona-registry grants` prints every grant)"
        case .duplicateRole(let name):
            "a role named \(Quoted(name)) already exists"
        case .roleNamedLike(let name):
            "a role named like \(Quoted(name)) already exists (role names must differ in more than case, accents and punctuation)"
        case .sameSlugPrefix(let name, let existing, let prefix):
            "a role named \(Quoted(existing)) already exists and \(Quoted(name)) would give the same slug prefix, "
                + "\(Quoted(prefix)) (role names must differ in more than case, accents and punctuation)"
        case .unknownRole(let role):
            "unknown role \(Quoted(role)) (see `persona-registry role list`)"
        case .unknownSlug(let slug):
            "no persona has the slug \(Quoted(slug)) (see `persona-registry persona list`)"
        case .blankName(let table):
            "a \(table) name must not be blank (spaces and invisible characters alone are blank)"
        case .controlCharacters(let table):
            "a \(table) name must not contain control characters (newlines, tabs)"
        case .bidirectionalControls(let table):
            "a \(table) name must not contain bidirectional controls (U+202A-U+202E, U+2066-U+2069)"
        case .invisibleCharacters(let table):
            "a \(table) name must not contain invisible characters (zero-width spaces and joiners, word joiner, BOM, soft hyphen, variation selectors ...): they make one name look like another"
        case .nameTooLong(let table, let limit, let length):
            "a \(table) name is at most \(limit) characters (this one has \(length))"
        case .descriptionTooLong(let table, let limit):
            "a \(table) description is at most \(limit) characters"
        case .unexpectedRow(let table, let row):
            "unexpected \(table) row from the database: \(row)"
        case .noRowReturned(let table):
            "the database returned no row for the new \(table)"
        }
    }
}
