@testable import RegistryCore
import RegistryTree
import TestSupport

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

extension PersonaTree {
    /// A tree made in a fresh temporary directory, with Con's directory (`developer-con-1`)
    /// made empty in it, as the tree makes one: where the tests of one directory's files start.
    static func withConDirectory() throws -> (TemporaryTree, PersonaTree) {
        let temp = try TemporaryTree(createTree: false)
        let tree = try PersonaTree(path: temp.tree, create: true)
        try tree.makePersonaDirectory("developer-con-1")
        return (temp, tree)
    }
}
