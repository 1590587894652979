import Testing
import RegistryCore
import RegistryDatabase
import RegistryTree

/// The refusals of `RoleQueries` and `PersonaQueries` are `TableError` cases a caller can match,
/// not only lines of text; each (and `TreeError`'s) is one line.
@Suite("table errors: the kind of each refusal of the role and persona queries, from the real tables")
struct TableErrorTests {
    @Test("a duplicate role, a role folding like another, an unknown role and a blank name are told apart")
    func refusalsByKind() throws {
        let database = try TestDatabase()
        let connection = try database.connect()
        _ = try RoleQueries(.prd).add(name: "developer", description: nil, on: connection)
        #expect(throws: TableError.duplicateRole("developer")) {
            try RoleQueries(.prd).add(name: "developer", description: nil, on: connection)
        }
        #expect(throws: TableError.sameSlugPrefix(name: "Developer!", existing: "developer", prefix: "developer")) {
            try RoleQueries(.prd).add(name: "Developer!", description: nil, on: connection)
        }
        #expect(throws: TableError.blankName(.role)) { try RoleQueries(.prd).add(name: " ", description: nil, on: connection) }
        #expect(throws: TableError.unknownRole("tester")) {
            try PersonaQueries(.prd).add(role: "tester", name: "Con", description: nil, on: connection)
        }
        #expect(throws: TableError.nameTooLong(.persona, limit: 100, length: 101)) {
            try PersonaQueries(.prd).add(role: "developer", name: String(repeating: "n", count: 101), description: nil, on: connection)
        }
    }

    @Test("each refusal is one line, with the names it quotes escaped")
    func oneLine() {
        let hostile = "a\nb\u{1B}[31m\u{202E}"
        let refusals: [any Error & CustomStringConvertible] = [
            TableError.duplicateRole(hostile), TableError.unknownRole(hostile), TableError.unknownSlug(hostile),
            TreeError.invalidSlug(hostile), TableError.sameSlugPrefix(name: hostile, existing: hostile, prefix: "a-b")]
        for error in refusals {
            #expect(!error.description.unicodeScalars.contains { $0 == "\n" || $0 == "\u{1B}" || $0 == "\u{202E}" }, "\(error)")
        }
    }
}
