import Foundation
import TestSupport

/// What the migration suites share: `migrate` run as a subprocess, and a copy of the shipped
/// migrations a test may change.
protocol MigrationFixture {}

extension MigrationFixture {
    /// A copy of the shipped migrations directory a test may change.
    static func copyOfMigrations(in tree: TemporaryTree) throws -> String {
        let directory = tree.base + "/migrations"
        try FileManager.default.copyItem(atPath: Repository.migrations, toPath: directory)
        return directory
    }

    func migrate(_ command: String, _ database: TestDatabase, _ extra: [String] = []) throws -> RunResult {
        try BinaryRunner.run(["migrate", command, "--database-url", database.url] + extra)
    }
}
