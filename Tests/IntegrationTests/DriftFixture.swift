import Foundation
import Testing
import TestSupport

/// What the drift and reconcile suites share: a database and a tree of each test's own,
/// personas added by plain SQL, and drift of every kind made on an in-step tree.
protocol DriftFixture: CommandFixture {
    init(database: TestDatabase, tree: TemporaryTree)
}

extension DriftFixture {
    init() throws {
        self.init(database: try TestDatabase(), tree: try TemporaryTree())
    }

    /// Roles developer (1) and tester (2); personas developer-con-1 ... in this order.
    func addPersonas(_ names: [String], archived: Set<String> = []) throws {
        try database.execute("INSERT INTO role (name) VALUES ('developer'), ('tester')")
        for name in names {
            try database.query("INSERT INTO persona (name, role_id, status) VALUES ($1, 1, $2)",
                               [name, archived.contains(name) ? "archived" : "active"])
        }
    }

    func mkdir(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: tree.path(relative), withIntermediateDirectories: true)
    }

    /// Builds drift of every kind on top of an in-step tree:
    /// con-1 mismatched, ann-2 missing directory, bob-3 missing identity, eve-5 invalid (anchors),
    /// old-4 archived without directory, tester-gone-99 orphan, notes.txt and a symlink stray.
    func makeDriftOfEveryKind() throws {
        try addPersonas(["Con", "Ann", "Bob", "Old", "Eve"], archived: ["Old"])
        #expect(try cli("reconcile").status == 0)
        try FileManager.default.removeItem(atPath: tree.path("developer-ann-2"))
        try FileManager.default.removeItem(atPath: tree.path("developer-bob-3/identity.yaml"))
        let con = try tree.read("developer-con-1/identity.yaml")
        try tree.write("developer-con-1/identity.yaml", con.replacingOccurrences(of: "name: Con\n", with: "name: Conrad\n"))
        try tree.write("developer-eve-5/identity.yaml", "a: &a [lol, lol]\nb: [*a, *a]\n")
        try mkdir("tester-gone-99")
        try tree.write("notes.txt", "stray")
        try FileManager.default.createSymbolicLink(atPath: tree.path("link"), withDestinationPath: "/etc")
    }
}
