import Foundation

/// A fresh temporary tree directory, removed when the test ends.
final class TemporaryTree {
    let path: String

    init() throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("tree-\(UUID().uuidString)").path
        // The tree's parent exists, as the tree's must: only the tree directory itself is ever created.
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: false)
        path = parent + "/personas"
    }

    deinit {
        try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    }

    func file(_ relative: String) -> String { path + "/" + relative }

    func read(_ relative: String) -> String? {
        FileManager.default.contents(atPath: file(relative)).map { String(decoding: $0, as: UTF8.self) }
    }

    func write(_ relative: String, _ text: String) throws {
        try text.write(toFile: file(relative), atomically: false, encoding: .utf8)
    }

    func names(_ relative: String = "") throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: relative.isEmpty ? path : file(relative)).sorted()
    }
}
