import Testing
import TestSupport

/// A daemon the serve suites start: `Self.started` on a database and tree the test made,
/// `Self.startedWithPersona` on its own with one persona already projected.
protocol DaemonFixture {}

extension DaemonFixture {
    /// Starts a daemon on a database and tree the test made (`arguments` and `environment`
    /// add to `DaemonProcess`'s defaults) and waits until it has finished its first sweep.
    static func started(_ database: TestDatabase, _ tree: TemporaryTree, arguments: [String] = [],
                        environment: [String: String] = [:]) throws -> DaemonProcess {
        let daemon = try DaemonProcess(database: database, tree: tree, arguments: arguments, environment: environment)
        try #require(daemon.waitFor(.sweepFinished), "the daemon did not finish its first sweep:\n\(daemon.log)")
        return daemon
    }

    /// A running daemon on a database and tree of the test's own, with one persona
    /// inserted by plain SQL and its identity file already written.
    static func startedWithPersona(role: String, name: String) throws -> (TestDatabase, TemporaryTree, DaemonProcess, String) {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        let daemon = try started(database, tree)
        try database.query("INSERT INTO role (name) VALUES ($1)", [role])
        let slug = try #require(try database.query(
            "INSERT INTO persona (name, role_id) VALUES ($1, 1) RETURNING slug", [name]).scalar)
        try #require(waitUntil { tree.exists(slug + "/identity.yaml") }, "\(daemon.log)")
        return (database, tree, daemon, slug)
    }
}
