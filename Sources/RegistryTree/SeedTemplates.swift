import Glibc
import RegistryCore
import RegistrySystem

/// The templates of the seed files (`skill.md`, `experience.md`), with
/// `{{name}}`, `{{role}}` and `{{slug}}` placeholders.
public struct SeedTemplates: Sendable, Equatable {
    /// Seed file name -> template text, e.g. `skill.md` -> "# {{name}}: skills ...".
    public var templates: [String: String] {
        didSet { compiled = SeedTemplates.compile(templates) }
    }
    /// The templates split into text and fields once, in `seedFileNames` order.
    private var compiled: [(name: String, template: CompiledTemplate)]

    public static let seedFileNames = ["skill.md", "experience.md"]

    public init(templates: [String: String]) {
        self.templates = templates
        compiled = SeedTemplates.compile(templates)
    }

    private static func compile(_ templates: [String: String]) -> [(name: String, template: CompiledTemplate)] {
        seedFileNames.compactMap { name in templates[name].map { (name, CompiledTemplate($0)) } }
    }

    public static func == (lhs: SeedTemplates, rhs: SeedTemplates) -> Bool {
        lhs.templates == rhs.templates
    }

    /// Reads `skill.md` and `experience.md` from the templates directory.
    public init(directory: String) throws {
        var templates: [String: String] = [:]
        for name in SeedTemplates.seedFileNames {
            templates[name] = try SeedTemplates.readText(directory + "/" + name)
        }
        self.init(templates: templates)
    }

    /// The templates compiled into the binary (`data/templates` of its checkout).
    public static let builtIn = builtIn(EmbeddedData.templates)
    /// The `headspace` layout's (`data/templates-headspace`): the text the host's own
    /// registration writes, so whichever of the two seeds a file first, it reads the same.
    public static let hostBuiltIn = builtIn(EmbeddedData.hostTemplates)

    private static func builtIn(_ files: [(name: String, text: String)]) -> SeedTemplates {
        SeedTemplates(templates: Dictionary(files.filter { seedFileNames.contains($0.name) }.map { ($0.name, $0.text) },
                                            uniquingKeysWith: { first, _ in first }))
    }

    /// The built-in templates of `layout`.
    public static func builtIn(for layout: Layout) -> SeedTemplates {
        switch layout {
        case .prd: builtIn
        case .headspace: hostBuiltIn
        }
    }

    /// The templates in the override directory `path`, or the built-in ones of `layout` for nil.
    public static func load(_ path: String?, layout: Layout = .prd) throws -> SeedTemplates {
        guard let path else { return builtIn(for: layout) }
        do {
            return try SeedTemplates(directory: path)
        } catch {
            throw TreeError.seedTemplatesUnreadable("\(error)")
        }
    }

    /// The seed files for a persona, in a fixed order; none for a person (`Persona.hasSeedFiles`).
    public func render(for persona: Persona) -> [(name: String, text: String)] {
        files(for: persona).map { ($0.name, String(decoding: $0.bytes, as: UTF8.self)) }
    }

    /// `render(for:)` as the bytes the files are written with.
    public func files(for persona: Persona) -> [(name: String, bytes: [UInt8])] {
        guard persona.hasSeedFiles else { return [] }
        return compiled.map { ($0.name, $0.template.renderBytes(persona)) }
    }

    /// Replaces the placeholders in one pass (a name containing `{{role}}` stays as written).
    public static func render(_ template: String, persona: Persona) -> String {
        CompiledTemplate(template).render(persona)
    }

    private static func readText(_ path: String) throws -> String {
        let fd = try retryOnEINTR("open", path) { open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        let file = FileDescriptor(owning: fd)
        guard EntryType(mode: try file.status(path: path).st_mode) == .regular else {
            throw TreeError.seedTemplateNotRegularFile(path)
        }
        let bytes = try file.readAll(limit: (1 << 20) + 1, path: path)
        if bytes.count > 1 << 20 { throw TreeError.seedTemplateTooLarge(path) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw TreeError.seedTemplateNotUTF8(path)
        }
        return text
    }
}
