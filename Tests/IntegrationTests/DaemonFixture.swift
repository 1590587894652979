import Testing
import TestSupport

/// The daemons the serve suites start, each returned once it has got as far as its test needs:
/// `started` (on a database and tree the test made, or on a URL of its own) and
/// `startedWithBuiltInTemplates` once the first sweep has finished, `startedWithPersona` with
/// one persona already projected, `startedNotifying` once READY=1 has reached a notify socket,
/// `refused` once it has exited 1 at start.
protocol DaemonFixture {}

extension DaemonFixture {
    /// Starts a daemon on a database and tree the test made (`arguments` and `environment`
    /// add to `DaemonProcess`'s defaults) and waits until it has finished its first sweep.
    static func started(_ database: TestDatabase, _ tree: TemporaryTree, arguments: [String] = [],
                        environment: [String: String] = [:], timeout: Double = 30,
                        sourceLocation: SourceLocation = #_sourceLocation) throws -> DaemonProcess {
        try started(url: database.url, tree, arguments: arguments, environment: environment, timeout: timeout,
                    sourceLocation: sourceLocation)
    }

    /// `started` on `url`, a database of the test's own making (a cluster's, a replica's, a
    /// URL of several hosts or of another user).
    static func started(url: String, _ tree: TemporaryTree, arguments: [String] = [], environment: [String: String] = [:],
                        timeout: Double = 30, sourceLocation: SourceLocation = #_sourceLocation) throws -> DaemonProcess {
        let daemon = try DaemonProcess(url: url, tree: tree, arguments: arguments, environment: environment)
        try requireSwept(daemon, timeout: timeout, sourceLocation)
        return daemon
    }

    /// A daemon with the built-in templates (no `--templates-dir`) serving `dataDirectory` (the
    /// tree's own unless given: a symbolic link to it, say), once its first sweep has finished.
    static func startedWithBuiltInTemplates(_ database: TestDatabase, _ tree: TemporaryTree, dataDirectory: String? = nil,
                                            sourceLocation: SourceLocation = #_sourceLocation) throws -> DaemonProcess {
        let daemon = try DaemonProcess(arguments: ["serve", "--database-url", database.url, "--data-dir", dataDirectory ?? tree.tree,
                                                   "--debounce-ms", "20"], logDirectory: tree.base)
        try requireSwept(daemon, timeout: 30, sourceLocation)
        return daemon
    }

    private static func requireSwept(_ daemon: DaemonProcess, timeout: Double, _ sourceLocation: SourceLocation) throws {
        try #require(daemon.waitFor(.sweepFinished, timeout: timeout, sourceLocation: sourceLocation),
                     "the daemon did not finish its first sweep:\n\(daemon.log)", sourceLocation: sourceLocation)
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

    /// A daemon with a notify socket of the test's (`environment` adds to `NOTIFY_SOCKET`: a
    /// `WATCHDOG_USEC`, say), once READY=1 has reached it (after the first sweep); the socket, the
    /// daemon and the message that said READY=1, with its STATUS=.
    static func startedNotifying(_ database: TestDatabase, _ tree: TemporaryTree, environment: [String: String] = [:],
                                 sourceLocation: SourceLocation = #_sourceLocation)
        throws -> (listener: NotifySocketListener, daemon: DaemonProcess, ready: String) {
        let listener = try NotifySocketListener()
        let daemon = try DaemonProcess(database: database, tree: tree, environment: ["NOTIFY_SOCKET": listener.name].merging(environment) { $1 })
        let ready = try #require(listener.waitFor { NotifySocketListener.has($0, "READY=1") }, "no READY=1:\n\(daemon.log)",
                                 sourceLocation: sourceLocation)
        return (listener, daemon, ready)
    }

    /// A daemon that must refuse to serve on `database` (its tree's lock held, a grant missing):
    /// started, and expected to exit 1 within `timeout`; returned for its log (killed if it did not exit).
    static func refused(_ database: TestDatabase, _ tree: TemporaryTree, timeout: Double = 30,
                        sourceLocation: SourceLocation = #_sourceLocation) throws -> DaemonProcess {
        try refused(url: database.url, tree, timeout: timeout, sourceLocation: sourceLocation)
    }

    /// `refused` on `url` (a wrong password, an unknown database, another user's).
    static func refused(url: String, _ tree: TemporaryTree, timeout: Double = 30,
                        sourceLocation: SourceLocation = #_sourceLocation) throws -> DaemonProcess {
        let daemon = try DaemonProcess(url: url, tree: tree)
        let status = daemon.waitForExit(timeout: timeout)
        #expect(status == 1, "\(url): exit status \(status.map(String.init) ?? "none: still running"):\n\(daemon.log)",
                sourceLocation: sourceLocation)
        if status == nil { daemon.killHard() }
        return daemon
    }
}
