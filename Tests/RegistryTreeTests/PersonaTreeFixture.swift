@testable import RegistryCore
import RegistryTree

/// The persona and seed templates the tree's tests share, as `Self.persona()` and
/// `Self.templates` in a suite that adopts it.
protocol PersonaTreeFixture {}

extension PersonaTreeFixture {
    static var templates: SeedTemplates {
        SeedTemplates(templates: ["skill.md": "# {{name}}: skills ({{role}}, {{slug}}) {{other}}\n",
                                  "experience.md": "# {{name}}: experience\n"])
    }

    static func persona(id: Int = 1, name: String = "Con", status: PersonaStatus = .active) -> Persona {
        Persona(id: id, slug: "developer-\(name.lowercased())-\(id)", name: name, role: "developer", roleID: 1,
                status: status, description: nil, createdAt: "2026-11-24T17:22:53Z")
    }
}
