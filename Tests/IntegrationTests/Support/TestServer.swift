import Foundation
import RegistryDatabase

/// The PostgreSQL server the integration tests use. It must exist: the test
/// command starts a throwaway cluster and exports its URL. Without one the
/// tests fail; they never skip.
enum TestServer {
    static let variable = "PERSONA_REGISTRY_TEST_DATABASE_URL"

    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "\(TestServer.variable) is not set: run the tests with scripts/test (it starts a throwaway PostgreSQL)"
        }
    }

    /// The superuser URL of the server's maintenance database.
    static func adminURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment[variable], !url.isEmpty else { throw Missing() }
        return url
    }

    /// The same server URL pointed at another database.
    static func url(database: String) throws -> String {
        try url(replacingDatabaseIn: adminURL(), with: database)
    }

    static func url(replacingDatabaseIn url: String, with database: String) -> String {
        let query = url.firstIndex(of: "?").map { String(url[$0...]) } ?? ""
        let base = url.firstIndex(of: "?").map { String(url[..<$0]) } ?? url
        let schemeEnd = base.range(of: "://")!.upperBound
        let pathStart = base[schemeEnd...].firstIndex(of: "/") ?? base.endIndex
        return String(base[..<pathStart]) + "/" + database + query
    }

    /// The migrated template database, made once per test process.
    static let template: Result<String, any Error> = Result {
        let name = "pr_template_\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
        let admin = try PostgresConnection(url: adminURL())
        try admin.execute("CREATE DATABASE \(name)")
        do {
            let connection = try PostgresConnection(url: url(database: name))
            try Migrator(connection: connection, files: MigrationDirectory.load(Repository.migrations)).up()
        }
        return name
    }
}
