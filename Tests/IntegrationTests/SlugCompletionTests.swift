import Foundation
import RegistryDatabase
import Testing
import TestSupport

/// Slugs completed by the shells: argument-parser's completion scripts call
/// `persona-registry ---completion persona show -- positional@0 <index> <cursor> <words>`;
/// the slugs come from the database when one is configured, and nothing comes otherwise.
@Suite("shell completion of persona slugs")
struct SlugCompletionTests {
    /// `before`: the words typed before the slug being completed (the shells pass those up to the cursor).
    static func complete(_ command: String, _ prefix: String, before: [String] = [],
                         environment: [String: String] = [:]) throws -> RunResult {
        try BinaryRunner.run(["---completion", "persona", command, "--", "positional@0", "\(before.count)", "\(prefix.count)"]
                             + before + [prefix], environment: environment)
    }

    @Test("show, set, archive and activate complete slugs by prefix, from DATABASE_URL or --database-url")
    func slugsFromTheDatabase() throws {
        let database = try TestDatabase()
        try database.execute("""
            INSERT INTO role (name) VALUES ('developer'), ('pm');
            INSERT INTO persona (name, role_id) VALUES ('Con', 1), ('Ann', 1), ('Bob', 2)
            """)
        for command in ["show", "set", "archive", "activate"] {
            let run = try Self.complete(command, "dev", environment: ["DATABASE_URL": database.url])
            #expect(run.status == 0 && run.stdout == "developer-ann-2\ndeveloper-con-1\n", "\(command): \(run.stdout)\(run.stderr)")
        }
        let all = try Self.complete("show", "", environment: ["DATABASE_URL": database.url])
        #expect(all.stdout == "developer-ann-2\ndeveloper-con-1\npm-bob-3\n")
        let onTheLine = try Self.complete("show", "pm", before: ["--database-url", database.url])
        #expect(onTheLine.stdout == "pm-bob-3\n", "\(onTheLine.stderr)")
        // The completion script the shells load asks the binary this way.
        let script = try BinaryRunner.run(["--generate-completion-script", "bash"])
        #expect(script.stdout.contains("---completion persona show -- positional@0"))
    }

    @Test("nothing configured, or a server that is not there: no candidates, no error, no wait")
    func nothingWhenNotCheap() throws {
        let unconfigured = try Self.complete("show", "dev")
        #expect(unconfigured.status == 0 && unconfigured.stdout.isEmpty && unconfigured.stderr.isEmpty)
        let started = Date()
        let unreachable = try Self.complete("show", "dev", environment: ["DATABASE_URL": "postgresql://127.0.0.1:1/none"])
        #expect(unreachable.status == 0 && unreachable.stdout.isEmpty && unreachable.stderr.isEmpty, "\(unreachable.stderr)")
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test("a table locked elsewhere holds the shell for at most its timeouts, whatever PGOPTIONS says")
    func lockedTable() throws {
        let database = try TestDatabase()
        try database.insertRole("developer", personas: "Con")
        let holder = try PostgresConnection(url: database.url)
        try holder.execute("BEGIN; LOCK TABLE persona IN ACCESS EXCLUSIVE MODE")
        defer { try? holder.execute("ROLLBACK") }
        let started = Date()
        // Options of the operator's own that would let a statement wait for ever.
        let run = try Self.complete("show", "dev", environment: ["DATABASE_URL": database.url,
                                                                 "PGOPTIONS": "-c statement_timeout=0 -c lock_timeout=0"])
        #expect(run.status == 0 && run.stdout.isEmpty && run.stderr.isEmpty, "\(run.stdout)\(run.stderr)")
        // The lock is still held: only the completion's own timeouts (1.5 s, 1 s) ended its wait.
        #expect(Date().timeIntervalSince(started) < 10)
    }
}
