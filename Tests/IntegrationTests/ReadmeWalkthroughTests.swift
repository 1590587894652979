import Foundation
import Testing
import TestSupport

/// The README's walkthrough, read from README.md (so the two cannot drift
/// apart) and run line by line in a checkout-shaped directory, against a
/// daemon started as scripts/run starts it; what it prints is what the README shows.
@Suite("the README walkthrough")
struct ReadmeWalkthroughTests {
    static let marker = "<!-- walkthrough:"
    static let outputMarker = "<!-- walkthrough-output:"

    /// The lines of `file` (relative to the checkout) from the one after `marker`'s comment on.
    static func lines(after marker: String, in file: String) throws -> ArraySlice<Substring> {
        let text = try String(contentsOfFile: Repository.root + "/" + file, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex { $0.hasPrefix(marker) }, "\(file) has no \(marker) comment")
        return lines[(start + 1)...]
    }

    /// The fenced code block that follows `marker`'s comment in `file`, as its lines.
    static func output(marker: String = outputMarker, in file: String = "README.md") throws -> [String] {
        let lines = try Self.lines(after: marker, in: file).drop { $0.isEmpty }
        try #require(lines.first?.hasPrefix("```") == true, "\(file): a fenced block must follow \(marker)")
        return try #require(lines.dropFirst().split(separator: "```", maxSplits: 1, omittingEmptySubsequences: false).first)
            .map(String.init)
    }

    /// The indented code block that follows the marker comment in `file`, unindented.
    static func walkthrough(marker: String = marker, in file: String = "README.md") throws -> [String] {
        let lines = try Self.lines(after: marker, in: file)
        var commands: [String] = []
        for line in lines {
            if line.hasPrefix("    ") {
                commands.append(String(line.dropFirst(4)))
            } else if !commands.isEmpty {
                break
            } else if !line.isEmpty {
                Issue.record("the walkthrough's code block must follow its marker: \(line)")
                break
            }
        }
        return commands
    }

    /// `binary=...` of scripts/run, relative to the checkout: the path the walkthrough must name.
    static func binaryScriptsRunBuilds() throws -> String {
        let script = try String(contentsOfFile: Repository.root + "/scripts/run", encoding: .utf8)
        let line = try #require(script.split(separator: "\n").first { $0.hasPrefix("binary=$PWD/") }, "scripts/run sets no binary=$PWD/...")
        #expect(script.contains("\"$binary\" migrate up\n") && script.contains("\n\"$binary\" serve \"$@\"\n"),
                "scripts/run no longer runs migrate up then serve: update this test's start-up")
        return String(line.dropFirst("binary=$PWD/".count))
    }

    @Test("its commands work, in order, and show the new personas' directories")
    func walkthroughWorks() throws {
        let commands = try Self.walkthrough()
        let binary = try Self.binaryScriptsRunBuilds()
        try #require(commands.count >= 4, "\(commands)")
        for command in commands where command.contains("persona-registry ") {
            #expect(command.hasPrefix(binary + " "), "the walkthrough runs a binary scripts/run does not build: \(command)")
        }

        // A checkout-shaped directory: data/personas, scripts/pg-throwaway.sh, the binary at the
        // path scripts/run builds, and .pg/run, the cluster scripts/run starts.
        let checkout = try TemporaryTree()
        let files = FileManager.default
        let cluster = try ThrowawayCluster()
        try files.createDirectory(atPath: checkout.base + "/scripts", withIntermediateDirectories: false)
        try files.createSymbolicLink(atPath: checkout.base + "/scripts/pg-throwaway.sh",
                                     withDestinationPath: Repository.root + "/scripts/pg-throwaway.sh")
        try files.createDirectory(atPath: checkout.base + "/.pg", withIntermediateDirectories: false)
        try files.createSymbolicLink(atPath: checkout.base + "/.pg/run", withDestinationPath: cluster.directory)
        let binaryPath = checkout.base + "/" + binary
        try files.createDirectory(atPath: (binaryPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try files.createSymbolicLink(atPath: binaryPath, withDestinationPath: Repository.binary)

        // As scripts/run: migrate up, then serve with no arguments, from the checkout.
        let environment = ["DATABASE_URL": cluster.url]
        let up = try BinaryRunner.run(["migrate", "up"], environment: environment, workingDirectory: checkout.base)
        try #require(up.status == 0, "\(up.stderr)")
        let daemon = try DaemonProcess(arguments: ["serve"], environment: environment, workingDirectory: checkout.base,
                                       logDirectory: checkout.base)
        try #require(daemon.waitFor(.sweepFinished), "\(daemon.log)")

        // The second terminal: its own environment, the lines as written.
        let script = "set -euo pipefail\n" + commands.joined(separator: "\n") + "\n"
        let run = try BinaryRunner.run(["-c", script], workingDirectory: checkout.base, executable: "/bin/bash")
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)\n\(daemon.log)")
        #expect(run.stdout.contains("Directory: "), "\(run.stdout)")
        for name in ["experience.md", "identity.yaml", "skill.md"] {
            #expect(run.stdout.split(separator: "\n").contains(Substring(name)), "ls shows \(name): \(run.stdout)")
        }
        #expect(run.stdout.contains("name: Robbo"), "\(run.stdout)")
        try expectPrinted(run.stdout, checkout: checkout.base)
    }

    /// The walkthrough's output, line for line, as the README shows it: `<checkout>` is the
    /// directory the commands ran in, `<time>` any text.
    func expectPrinted(_ stdout: String, checkout: String) throws {
        let shown = try Self.output()
        let printed = stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(printed.count == shown.count, "README shows \(shown.count) lines, the commands printed:\n\(stdout)")
        for (line, expected) in zip(printed, shown) {
            let parts = expected.replacing("<checkout>", with: checkout).split(separator: "<time>", omittingEmptySubsequences: false)
            let matches = parts.count == 1 ? line == parts[0] : line.hasPrefix(parts[0]) && line.hasSuffix(parts[parts.count - 1])
            #expect(matches, "README shows \(expected), the commands printed \(line)")
        }
    }
}
