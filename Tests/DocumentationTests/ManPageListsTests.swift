import Foundation
import Logging
import Testing
import RegistryCore
@testable import RegistryDaemon

/// The lists the manual pages and docs/reference.md give are the code's: every finding kind
/// (`Finding.Kind`), every log event with its level (`DaemonEvent`), every setting the sources
/// read by name, each once, and no other.
@Suite("the lists in the man pages and docs/reference.md")
struct ManPageListsTests {
    /// The lines of an mdoc page's section `name` (from `.Sh name` to the next `.Sh`).
    static func section(_ name: String, of page: String) throws -> String {
        let lines = try Checkout.read(page).split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex(of: Substring(".Sh " + name)), "\(page) has no section \(name)")
        let end = lines[(start + 1)...].firstIndex { $0.hasPrefix(".Sh ") } ?? lines.endIndex
        return lines[(start + 1)..<end].joined(separator: "\n")
    }

    /// The lines of a Markdown document's section under the heading `heading`, to the next heading.
    static func section(_ heading: String, ofMarkdown document: String) throws -> String {
        let lines = try Checkout.read(document).split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex(of: Substring(heading)), "\(document) has no heading \(heading)")
        let end = lines[(start + 1)...].firstIndex { $0.hasPrefix("#") } ?? lines.endIndex
        return lines[(start + 1)..<end].joined(separator: "\n")
    }

    /// `names` hold each of `expected` exactly once, and nothing else.
    static func expectSame(_ names: [String], _ expected: [String], _ what: String,
                           sourceLocation: SourceLocation = #_sourceLocation) {
        let duplicates = Dictionary(grouping: names, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        #expect(duplicates.isEmpty, "\(what) lists more than once: \(duplicates)", sourceLocation: sourceLocation)
        let missing = Set(expected).subtracting(names).sorted()
        let extra = Set(names).subtracting(expected).sorted()
        #expect(missing.isEmpty, "\(what) lacks \(missing)", sourceLocation: sourceLocation)
        #expect(extra.isEmpty, "\(what) lists what the code does not have: \(extra)", sourceLocation: sourceLocation)
    }

    @Test("every finding kind is in persona-registry(1), DRIFT, and in the one table of docs/reference.md")
    func findingKinds() throws {
        let kinds = Finding.Kind.allCases.map(\.rawValue)
        let page = try Checkout.captures(#"^\.It Cm ([a-z_]+)$"#, in: try Self.section("DRIFT", of: "man/persona-registry.1"))
        Self.expectSame(page, kinds, "persona-registry(1), DRIFT")
        let table = try Self.section("### Finding kinds", ofMarkdown: "docs/reference.md")
        Self.expectSame(try Checkout.captures(#"^\| `([a-z_]+)` \|"#, in: table), kinds, "docs/reference.md, Finding kinds")
        // Tabled once: no other document has a row for a finding kind.
        for document in try Checkout.markdownDocuments() {
            var text = try Checkout.read(document)
            if document == "docs/reference.md" { text = text.replacingOccurrences(of: table, with: "") }
            let rows = try Checkout.captures(#"^\| `([a-z_]+)` \|"#, in: text).filter(kinds.contains)
            #expect(rows.isEmpty, "\(document) tables finding kinds again (\(rows)): link to docs/reference.md#finding-kinds")
        }
    }

    @Test("every log event, with its level, is in persona-registry-serve(8), LOG EVENTS, and in docs/reference.md")
    func logEvents() throws {
        let events = DaemonEvent.allCases.map { "\($0.name) \($0.level.rawValue)" }
        let page = try Self.section("LOG EVENTS", of: "man/persona-registry-serve.8")
        let pageEvents = try Checkout.captures(#"^\.It Cm ([a-z_]+ Pq [a-z]+)$"#, in: page).map { $0.replacing(" Pq ", with: " ") }
        Self.expectSame(pageEvents, events, "persona-registry-serve(8), LOG EVENTS (name and level)")
        let table = try Self.section("### Log events", ofMarkdown: "docs/reference.md")
        let rows = try Checkout.captures(#"^\| `([a-z_]+` \| [a-z]+) \|"#, in: table).map { $0.replacing("` | ", with: " ") }
        Self.expectSame(rows, events, "docs/reference.md, Log events (name and level)")
    }

    /// The variables the sources read by name: `DATABASE_URL` and `PERSONA_*`.
    static func settingsRead() throws -> [String] {
        var names: Set<String> = []
        for file in Checkout.swiftFiles(under: "Sources") {
            names.formUnion(try Checkout.captures(#""(DATABASE_URL|PERSONA_[A-Z0-9_]+)""#, in: try Checkout.read(file)))
        }
        return names.sorted()
    }

    @Test("every setting the sources read is in persona-registry.env(5), VARIABLES, and every variable of the env example")
    func settings() throws {
        let read = try Self.settingsRead()
        #expect(read.contains("DATABASE_URL") && read.contains("PERSONA_DATA_DIR"), "the sources' variables are not found: \(read)")
        let page = try Self.section("VARIABLES", of: "man/persona-registry.env.5")
        // `.It Ev A , B , C` names several.
        let entries = try Checkout.captures(#"^\.It Ev (.+)$"#, in: page)
            .flatMap { $0.split(separator: " ").filter { $0 != "," }.map(String.init) }
        Self.expectSame(entries.filter { $0 == "DATABASE_URL" || $0.hasPrefix("PERSONA_") }, read, "persona-registry.env(5), VARIABLES")
        let example = try Checkout.captures(#"^#?([A-Z][A-Z0-9_]*)="#, in: try Checkout.read("systemd/persona-registry.env.example"))
        let undocumented = Set(example).subtracting(entries).sorted()
        #expect(undocumented.isEmpty, "persona-registry.env(5) lacks variables the env example sets: \(undocumented)")
        let notInExample = Set(read).subtracting(example).sorted()
        #expect(notInExample.isEmpty, "systemd/persona-registry.env.example lacks variables the sources read: \(notInExample)")
        let pgRead = try Checkout.swiftFiles(under: "Sources").flatMap {
            try Checkout.captures(#""(PG[A-Z_]+)""#, in: try Checkout.read($0))
        }
        #expect(Set(pgRead).subtracting(entries).isEmpty, "persona-registry.env(5) lacks libpq variables the sources read: \(pgRead)")
    }
}
