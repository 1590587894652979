import Foundation

/// A temporary `data/` directory of a test's own: `data/personas` (the tree)
/// and `data/templates` (a copy of the checkout's templates). Removed when the
/// value goes away.
final class TempTree: @unchecked Sendable {
    let base: String
    var data: String { base + "/data" }
    var tree: String { data + "/personas" }
    var templates: String { data + "/templates" }

    init(createTree: Bool = true) throws {
        var template = Array((NSTemporaryDirectory() + "persona-registry-test-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        base = String(cString: made)
        let files = FileManager.default
        try files.createDirectory(atPath: templates, withIntermediateDirectories: true)
        if createTree { try files.createDirectory(atPath: tree, withIntermediateDirectories: true) }
        for name in try files.contentsOfDirectory(atPath: Repository.templates) {
            try files.copyItem(atPath: Repository.templates + "/" + name, toPath: templates + "/" + name)
        }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: base)
    }

    func path(_ relative: String) -> String { tree + "/" + relative }

    func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: path(relative))
    }

    func read(_ relative: String) throws -> String {
        try String(contentsOfFile: path(relative), encoding: .utf8)
    }

    func write(_ relative: String, _ contents: String) throws {
        try contents.write(toFile: path(relative), atomically: false, encoding: .utf8)
    }

    /// The names in the tree root, sorted.
    func entries() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: tree).sorted()
    }
}
