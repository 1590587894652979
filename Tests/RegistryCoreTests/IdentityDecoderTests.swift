import Testing
@testable import RegistryCore

@Suite struct IdentityDecoderTests {
    static let valid = """
        id: 1
        slug: developer-con-1
        name: Con
        role: developer
        status: active
        description: null
        created_at: 2026-11-24T17:22:53Z

        """

    func reason(_ text: String) -> InvalidIdentityReason? {
        reason(Array(text.utf8))
    }

    func reason(_ bytes: [UInt8]) -> InvalidIdentityReason? {
        do {
            _ = try IdentityDecoder.decode(bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func acceptsAValidFileWithAnyKeyOrderAndQuoting() throws {
        let fields = try IdentityDecoder.decode(Array(("# c\n" + Self.valid).utf8))
        #expect(fields[.name] == .plain("Con"))
        let reordered = "created_at: 2026-11-24T17:22:53Z\nname: 'Con'\nid: 1\nslug: developer-con-1\nrole: \"developer\"\nstatus: active\ndescription: ~\n"
        let other = try IdentityDecoder.decode(Array(reordered.utf8))
        #expect(other[.name] == .quoted("Con"))
        #expect(ResolvedScalar(try #require(other[.description])) == .null)
    }

    @Test func rejectsBillionLaughs() {
        let text = """
            a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
            b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
            c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
            d: [*c,*c,*c,*c,*c,*c,*c,*c,*c]
            """
        #expect(reason(text) != nil)
        #expect(reason("name: &x Con\nrole: *x\n") == .anchor)
        #expect(reason("&m\nname: Con\n") == .anchor)
    }

    @Test func rejectsWrongShapes() {
        #expect(reason("") == .empty)
        #expect(reason("# only a comment\n") == .noDocument)
        #expect(reason("- a\n- b\n") == .notMapping(found: "a sequence"))
        #expect(reason("just text\n") == .notMapping(found: "a single scalar"))
        #expect(reason(Self.valid + "---\nid: 2\n") == .multipleDocuments)
        #expect(reason("name: {first: Con}\n") == .nested(key: "name"))
        #expect(reason("name: [Con]\n") == .nested(key: "name"))
        #expect(reason("? [a]\n: b\n") == .nonScalarKey)
        #expect(reason("name: !!str Con\n") == .tag)
        #expect(reason("%YAML 1.1\n---\n" + Self.valid) == .directive)
        #expect(reason(Self.valid + "name: Again\n") == .duplicateKey("name"))
        #expect(reason(Self.valid + "colour: red\n") == .unknownKey("colour"))
        #expect(reason("id: 1\nname: Con\n") == .missingKeys(["slug", "role", "status", "description", "created_at"]))
        if case .syntax? = reason("name: \"unterminated\n") {} else { Issue.record("unterminated quote must be a syntax reason") }
    }

    @Test func ourFormatFromAnotherVersionIsReadWithItsKeysMissingOrAdded() throws {
        let header = IdentityEncoder.header
        let added = try IdentityDecoder.decode(Array((header + Self.valid + "team: core\n").utf8))
        #expect(added.unknown == [UnknownIdentityKey(key: "team", value: .plain("core"))])
        #expect(added.missingFields.isEmpty)
        let older = try IdentityDecoder.decode(Array((header + "id: 1\nname: Con\n").utf8))
        #expect(older.missingFields == [.slug, .role, .status, .description, .createdAt])
        #expect(older[.name] == .plain("Con") && older[.slug] == nil)
        // A later version may word the rest of the header line differently.
        #expect(try IdentityDecoder.decode(Array(("# Managed by persona-registry 2.0\nid: 1\n").utf8)).missingFields.count == 6)
        // Still only a flat mapping of scalars, one document, no key twice.
        #expect(reason(header + "team: [a, b]\n") == .nested(key: "team"))
        #expect(reason(header + "- a\n") == .notMapping(found: "a sequence"))
        #expect(reason(header + "id: 1\nid: 2\n") == .duplicateKey("id"))
        #expect(reason(header + "id: [1\n") != nil)
        // Our header must open the file: a comment elsewhere is anyone's.
        #expect(reason("# notes\n" + header + "id: 1\n") == .missingKeys(["slug", "name", "role", "status", "description", "created_at"]))
    }

    @Test func rejectsBinaryInvalidUTF8AndOversize() {
        #expect(reason([0x6E, 0x61, 0xFF, 0xFE]) == .notUTF8(offset: 2))
        #expect(reason([0xFF, 0xFE, 0x69, 0x00]) == .notUTF8(offset: 0))
        if case .syntax? = reason([0x6E, 0x00, 0x3A]) {} else { Issue.record("NUL must be a syntax reason") }
        let big = [UInt8](repeating: UInt8(ascii: "a"), count: IdentityDecoder.sizeCap + 1)
        #expect(reason(big) == .tooLarge(size: IdentityDecoder.sizeCap + 1))
    }

    @Test func deepNestingStopsAtTheFirstLevel() {
        let deep = "name: " + String(repeating: "[", count: 100_000)
        #expect(reason(deep) == .nested(key: "name"))
    }
}
