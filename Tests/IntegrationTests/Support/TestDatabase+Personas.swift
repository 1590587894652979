/// The arrangement most tests start from: a role and personas in it, by plain SQL, as a host's
/// own statements would insert them (the trigger makes the slugs, `developer-con-1`).
extension TestDatabase {
    /// `INSERT INTO role (name) VALUES ('developer'); INSERT INTO persona (name, role_id) VALUES
    /// ('Con', 1), ...`: one statement text, so one transaction and one batch of notifications.
    /// The role is the database's first (id 1); the names are written as SQL literals.
    static func insertingRole(_ role: String, personas: [String]) -> String {
        let literal = { (text: String) in "'" + text.replacing("'", with: "''") + "'" }
        var sql = "INSERT INTO role (name) VALUES (\(literal(role)))"
        if !personas.isEmpty {
            sql += "; INSERT INTO persona (name, role_id) VALUES " + personas.map { "(\(literal($0)), 1)" }.joined(separator: ", ")
        }
        return sql
    }

    /// Inserts the role `role` (the database's first) and `personas` in it.
    func insertRole(_ role: String, personas: String...) throws {
        try execute(Self.insertingRole(role, personas: personas))
    }

    /// Inserts the role `role` (the database's first) and `count` personas in it, named `prefix`
    /// and their number (`P1` ... `P3000`: ids 1 ... 3000 in a new database), in one transaction.
    func insertRole(_ role: String, personasNamed prefix: String, count: Int) throws {
        try execute(Self.insertingRole(role, personas: []) + "; INSERT INTO persona (name, role_id) SELECT "
                    + "'" + prefix.replacing("'", with: "''") + "' || g, 1 FROM generate_series(1, \(count)) AS g")
    }
}
