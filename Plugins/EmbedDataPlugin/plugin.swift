import Foundation
import PackagePlugin

/// Compiles the schema migrations (`migrations/*.sql`) and the seed templates
/// (`data/templates/*`), and the `headspace` layout's (`migrations/headspace/*.sql`,
/// `data/templates-headspace/*`), into the RegistryCore module: the `embed-data` tool
/// writes them into a generated Swift source. The files stay the single
/// source; the binary carries the set it was built with.
@main
struct EmbedDataPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let directories = [root.appending(path: "migrations", directoryHint: .isDirectory),
                           root.appending(path: "data/templates", directoryHint: .isDirectory),
                           root.appending(path: "migrations/headspace", directoryHint: .isDirectory),
                           root.appending(path: "data/templates-headspace", directoryHint: .isDirectory)]
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedData.swift")
        return [.buildCommand(
            displayName: "Embedding the migrations and seed templates",
            executable: try context.tool(named: "embed-data").url,
            arguments: [output.path()] + directories.map { $0.path() },
            // The tool lists the directories itself. SwiftPM plans the build (runs this plugin)
            // only when the package changes, so the directories are inputs too: adding or
            // removing a file changes them and re-runs the tool, as does editing a file known
            // at planning time. (A file added since is tracked from the next planning on;
            // EmbeddedDataTests fails when the binary's copy differs from the files.)
            inputFiles: directories + (try directories.flatMap(files(in:))),
            outputFiles: [output])]
    }

    /// The regular files in `directory`.
    private func files(in directory: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path()).sorted().map { directory.appending(path: $0) }.filter { url in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: url.path(), isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }
}
