import Testing
import RegistryCore
import RegistrySystem

@Suite("one-line messages and tables")
struct OutputFormattingTests {
    @Test("Quoted escapes control characters and cuts long text")
    func quoted() {
        #expect(Quoted("Con").description == "\"Con\"")
        #expect(Quoted("a\"b\\c\nd\te\u{7}").description == "\"a\\\"b\\\\c\\nd\\te\\u0007\"")
        #expect(Quoted("\u{1B}[31m\u{202E}").description == "\"\\u001b[31m\\u202e\"")
        let long = Quoted(String(repeating: "x", count: 10_000)).description
        #expect(long.count == 83)
        #expect(long.hasSuffix("…\""))
    }

    @Test("TextTable pads columns and keeps each record on one line")
    func table() {
        let table = TextTable(header: ["ID", "NAME"], rows: [["1", "Con"], ["10", "two\nlines"]])
        #expect(table.render() == "ID  NAME\n1   Con\n10  two\\nlines")
        let hostile = TextTable(header: ["NAME"], rows: [["\u{1B}[31mred\u{9B}\u{2066}"]])
        #expect(hostile.render() == "NAME\n\\u001b[31mred\\u009b\\u2066")
    }

    @Test("Paths makes relative paths absolute and strips trailing slashes")
    func paths() {
        #expect(Paths.tree(explicit: "/srv/tree/", environment: [:]) == "/srv/tree")
        #expect(Paths.tree(explicit: nil, environment: ["PERSONA_DATA_DIR": "/x/y"]) == "/x/y")
        #expect(Paths.tree(explicit: nil, environment: [:]).hasSuffix("/data/personas"))
        #expect(Paths.tree(explicit: nil, environment: [:]).hasPrefix("/"))
        #expect(Paths.templates(explicit: nil, environment: ["PERSONA_TEMPLATES_DIR": "/t/"]) == "/t")
        #expect(Paths.templates(explicit: "/u", environment: ["PERSONA_TEMPLATES_DIR": "/t"]) == "/u")
        #expect(Paths.templates(explicit: nil, environment: ["PERSONA_TEMPLATES_DIR": ""]) == nil)
        #expect(Paths.templates(explicit: nil, environment: [:]) == nil)
    }
}
