import Foundation
import Testing
@testable import RegistryCore
@testable import persona_registry

/// `role list` and `persona list` print every field of a row, an absent
/// description as `null` (`NullWhenAbsent`), under the columns' names.
@Suite("list JSON: every field, null when absent")
struct ListJSONTests {
    func object(_ value: some Encodable) throws -> [String: Any] {
        let json = try JSONOutput.render(value)
        return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    @Test("a persona without a description has the key, null")
    func persona() throws {
        let persona = Persona(id: 7, slug: "developer-con-7", name: "Con", role: "developer", roleID: 1,
                              status: .active, description: nil, createdAt: "2025-01-02T03:04:05Z")
        let fields = try object(persona)
        #expect(Set(fields.keys) == ["id", "slug", "name", "role", "role_id", "status", "description", "created_at"])
        #expect(fields["description"] is NSNull)
        var described = persona
        described.description = "writes Swift"
        #expect(try object(described)["description"] as? String == "writes Swift")
    }

    @Test("a role without a description has the key, null")
    func role() throws {
        let fields = try object(Role(id: 1, name: "developer", description: nil, createdAt: "2025-01-02T03:04:05Z", personaCount: 2))
        #expect(Set(fields.keys) == ["id", "name", "description", "created_at", "persona_count"])
        #expect(fields["description"] is NSNull)
        #expect(fields["persona_count"] as? Int == 2)
    }
}
