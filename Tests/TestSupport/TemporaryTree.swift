import Foundation

/// A temporary `data/` directory of a test's own, removed when the value goes
/// away: `data/personas` (the tree: made by `init` unless `createTree` is
/// false, for the tests of its creation: its parent exists, as a tree's must)
/// and `data/templates` (a copy of the checkout's templates). The one
/// temporary tree of both test targets.
public final class TemporaryTree: @unchecked Sendable {
    public let base: String
    public var data: String { base + "/data" }
    public var tree: String { data + "/personas" }
    public var templates: String { data + "/templates" }

    /// The checkout's `data/templates`: this file is Tests/TestSupport/TemporaryTree.swift.
    static let checkoutTemplates: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path + "/data/templates"
    }()

    public init(createTree: Bool = true) throws {
        var template = Array((NSTemporaryDirectory() + "persona-registry-test-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        base = String(cString: made)
        let files = FileManager.default
        try files.createDirectory(atPath: templates, withIntermediateDirectories: true)
        if createTree { try files.createDirectory(atPath: tree, withIntermediateDirectories: true) }
        for name in try files.contentsOfDirectory(atPath: Self.checkoutTemplates) {
            try files.copyItem(atPath: Self.checkoutTemplates + "/" + name, toPath: templates + "/" + name)
        }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: base)
    }

    /// The path of `relative` in the tree.
    public func path(_ relative: String) -> String { tree + "/" + relative }

    public func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: path(relative))
    }

    public func read(_ relative: String) throws -> String {
        try String(contentsOfFile: path(relative), encoding: .utf8)
    }

    /// The file's text, nil if there is none (or it is not UTF-8).
    public func contents(_ relative: String) -> String? {
        FileManager.default.contents(atPath: path(relative)).map { String(decoding: $0, as: UTF8.self) }
    }

    public func write(_ relative: String, _ contents: String) throws {
        try contents.write(toFile: path(relative), atomically: false, encoding: .utf8)
    }

    /// The names in the tree root, sorted, without a serving daemon's status file and its
    /// last repair's record (rewritten as it runs; `ServiceStatusTests` reads them).
    public func entries() throws -> [String] {
        try names().filter { !TemporaryTree.serviceFiles.contains($0) }
    }

    public static let serviceFiles: Set<String> = [".persona-registry.status", ".persona-registry.last-repair",
                                                   ".persona-registry.status.tmp", ".persona-registry.last-repair.tmp"]

    /// The names in `relative` (the tree root if empty), sorted.
    public func names(_ relative: String = "") throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: relative.isEmpty ? tree : path(relative)).sorted()
    }
}
