import Foundation

/// PostgreSQL's client programs (pg_dump), found on PATH or in the server's bin directory.
enum PostgresTools {
    static func path(_ name: String) -> String {
        let searched = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        let candidates = searched.map { $0 + "/" + name }
            + ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
                .sorted().reversed().map { "/usr/lib/postgresql/\($0)/bin/\(name)" }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? name
    }

    /// `pg_dump` of a database with the given extra arguments, without its per-run random lines.
    static func dump(_ url: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path("pg_dump"))
        process.arguments = ["--no-owner", "--no-privileges"] + arguments + ["--dbname", url]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "pg_dump failed"])
        }
        // pg_dump's \restrict / \unrestrict lines carry a random key per run.
        return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("\\restrict ") && !$0.hasPrefix("\\unrestrict ") }
            .joined(separator: "\n")
    }
}
