import Foundation
import RegistryDatabase

/// A database of a test's own, created from the migrated template (or empty),
/// dropped when the value goes away.
final class TestDatabase: @unchecked Sendable {
    let name: String
    let url: String

    /// A new database with the registry schema applied (`migrated`) or an empty one.
    init(migrated: Bool = true) throws {
        name = "pr_test_\(UInt64.random(in: 0...UInt64.max))"
        let admin = try PostgresConnection(url: TestServer.adminURL())
        if migrated {
            try admin.execute("CREATE DATABASE \(name) TEMPLATE \(TestServer.template.get())")
        } else {
            try admin.execute("CREATE DATABASE \(name)")
        }
        url = try TestServer.url(database: name)
    }

    deinit {
        if let admin = try? PostgresConnection(url: TestServer.adminURL()) {
            try? admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        }
    }

    /// A new connection to this database.
    func connect() throws -> PostgresConnection {
        try PostgresConnection(url: url)
    }

    /// Runs SQL text (several statements allowed) on a new connection.
    func execute(_ sql: String) throws {
        try connect().execute(sql)
    }

    /// Runs one parameterised query on a new connection.
    @discardableResult
    func query(_ sql: String, _ parameters: [String?] = []) throws -> QueryResult {
        try connect().query(sql, parameters)
    }
}
