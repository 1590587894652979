import Testing
@testable import RegistryCore

@Suite("slug rules in Swift")
struct SlugRulesTests {
    @Test("valid slugs", arguments: ["developer-con-1", "a", "a1-b2-3", String(repeating: "a", count: 200)])
    func valid(_ slug: String) {
        #expect(Slug.isValid(slug))
    }

    @Test("invalid slugs are never a path", arguments: [
        "", "-a", "a-", "a--b", "A-b", "a/b", "..", ".", "a.b", "a b", "é", "a_b", "a\0b",
        String(repeating: "a", count: 201),
    ])
    func invalid(_ slug: String) {
        #expect(!Slug.isValid(slug))
    }

    @Test("make follows {role}-{name}-{id}")
    func make() {
        #expect(Slug.make(role: "developer", name: "Con", id: 1) == "developer-con-1")
        #expect(Slug.make(role: "Tester", name: "Verner", id: 3) == "tester-verner-3")
        #expect(Slug.make(role: "!!!", name: "日本", id: 5) == "role-persona-5")
    }

    @Test("parts fold accents, collapse separators and trim hyphens")
    func parts() {
        #expect(Slug.part("Zoë", fallback: "x", limit: 100) == "zoe")
        #expect(Slug.part("  Renée  O'Brien ", fallback: "x", limit: 100) == "renee-o-brien")
        #expect(Slug.part("Straße", fallback: "x", limit: 100) == "strasse")
        #expect(Slug.part("../..", fallback: "persona", limit: 100) == "persona")
        #expect(Slug.part("abc-def", fallback: "x", limit: 4) == "abc")
    }
}
