import Foundation
import Testing

/// Every relative link in the repository's Markdown documents names a file of the
/// repository (never one outside it), and every `#anchor` a heading of its target, as
/// GitHub makes anchors from headings.
@Suite("links between the documents")
struct DocLinksTests {
    /// A document's lines outside fenced code blocks and indented code.
    static func prose(_ text: String) -> [Substring] {
        var fenced = false
        var lines: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingPrefix(while: { $0 == " " }).hasPrefix("```") {
                fenced.toggle()
            } else if !fenced && !line.hasPrefix("    ") {
                lines.append(line)
            }
        }
        return lines
    }

    /// `text` without its inline code spans.
    static func withoutCode(_ line: Substring) -> String {
        line.split(separator: "`", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset % 2 == 0 }.map(\.element).joined()
    }

    /// GitHub's anchors of a document's headings: lowercased, punctuation dropped, spaces
    /// as hyphens, a repeated one numbered.
    static func anchors(_ text: String) -> Set<String> {
        var seen: [String: Int] = [:]
        var anchors: Set<String> = []
        for line in prose(text) where line.hasPrefix("#") {
            let title = line.drop { $0 == "#" }.drop { $0 == " " }
            let visible = title.replacing(/\[([^\]]*)\]\([^)]*\)/) { String($0.output.1) }.filter { $0 != "`" }
            let slug = String(visible.lowercased().compactMap { character -> Character? in
                if character == " " { return "-" }
                return character.isLetter || character.isNumber || character == "-" || character == "_" ? character : nil
            })
            let count = seen[slug, default: 0]
            seen[slug] = count + 1
            anchors.insert(count == 0 ? slug : "\(slug)-\(count)")
        }
        return anchors
    }

    /// The targets of a document's Markdown links, as written.
    static func links(_ text: String) -> [String] {
        prose(text).flatMap { line in
            withoutCode(line).matches(of: /\]\(([^)\s]+)\)/).map { String($0.output.1) }
        }
    }

    @Test("every relative link names a file in the repository, and its anchor a heading there")
    func relativeLinksResolve() throws {
        let root = URL(fileURLWithPath: Checkout.root).standardizedFileURL.path
        var checked = 0
        for document in try Checkout.markdownDocuments() {
            let text = try Checkout.read(document)
            for link in Self.links(text) where !link.contains("://") && !link.hasPrefix("mailto:") {
                checked += 1
                let parts = link.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
                let path = String(parts[0])
                let directory = (document as NSString).deletingLastPathComponent
                let target = path.isEmpty ? document
                    : URL(fileURLWithPath: root + "/" + directory + "/" + path).standardizedFileURL.path
                        .replacingOccurrences(of: root + "/", with: "")
                #expect(!target.hasPrefix("/") && !target.hasPrefix(".."), "\(document): \(link) leaves the repository")
                guard FileManager.default.fileExists(atPath: root + "/" + target) else {
                    Issue.record("\(document): \(link) names \(target), which does not exist")
                    continue
                }
                if parts.count == 2 {
                    let anchors = target.hasSuffix(".md") ? Self.anchors(try Checkout.read(target)) : []
                    #expect(anchors.contains(String(parts[1])),
                            "\(document): \(link): \(target) has no heading with the anchor #\(parts[1])")
                }
            }
        }
        #expect(checked > 30, "only \(checked) relative links found: is the link syntax still read right?")
    }

    @Test("no document names a path outside the repository")
    func nothingOutside() throws {
        for document in try Checkout.markdownDocuments() {
            for line in Self.prose(try Checkout.read(document)) {
                #expect(!line.contains("`../"), "\(document): \(line)")
            }
        }
    }

    @Test("anchors are made as GitHub makes them")
    func anchorRules() {
        #expect(Self.anchors("## What `systemctl status` and the journal show\n## Start, reload, stop\n## Logs\n### Logs\n")
            == ["what-systemctl-status-and-the-journal-show", "start-reload-stop", "logs", "logs-1"])
        #expect(Self.anchors("```sh\n# a comment, not a heading\n```\n## The host kit (Python)\n") == ["the-host-kit-python"])
    }
}
