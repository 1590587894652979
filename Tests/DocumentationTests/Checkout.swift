import Foundation

/// The checkout these tests were built from, and its text files, for the tests that keep
/// the documentation and the manual pages equal to the code.
enum Checkout {
    /// The checkout's root: this file is Tests/DocumentationTests/Checkout.swift.
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The text of `path`, relative to the root.
    static func read(_ path: String) throws -> String {
        try String(contentsOfFile: root + "/" + path, encoding: .utf8)
    }

    /// The Markdown documents of the repository, relative to the root.
    static func markdownDocuments() throws -> [String] {
        let docs = try FileManager.default.contentsOfDirectory(atPath: root + "/docs")
            .filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
        return ["README.md", "ARCHITECTURE.md"] + docs + ["integrations/headspace/README.md", "bench/RESULTS.md"]
    }

    /// The Swift files under `directory` (relative to the root), relative to the root.
    static func swiftFiles(under directory: String) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: root + "/" + directory)
        var files: [String] = []
        while let path = enumerator?.nextObject() as? String {
            if path.hasSuffix(".swift") { files.append(directory + "/" + path) }
        }
        return files.sorted()
    }

    /// Every match of `pattern`'s first capture group in `text`.
    static func captures(_ pattern: String, in text: String) throws -> [String] {
        let expression = try NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines])
        let range = NSRange(text.startIndex..., in: text)
        return expression.matches(in: text, range: range).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        }
    }
}
