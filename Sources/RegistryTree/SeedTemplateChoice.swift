import RegistryCore

/// The seed templates a long-running writer uses: an override directory's, or else the
/// built-in set of the layout it serves (found on each connect: the host's text on
/// `headspace`).
public struct SeedTemplateChoice: Sendable {
    public private(set) var templates: SeedTemplates
    /// The override directory, nil for the built-in templates of `layout`.
    private var path: String?
    /// The layout of the database served; `prd` until connected.
    private var layout = Layout.prd

    public init(path: String?) throws {
        self.path = path
        templates = try SeedTemplates.load(path, layout: layout)
    }

    /// Serves `layout`; `true` when that changed the templates.
    public mutating func serve(_ layout: Layout) -> Bool {
        guard layout != self.layout else { return false }
        self.layout = layout
        guard path == nil else { return false }
        templates = SeedTemplates.builtIn(for: layout)
        return true
    }

    /// Reads an override directory (again: SIGHUP, the tree made again); nil is the
    /// built-in set, nothing to read.
    public mutating func use(_ path: String?) throws {
        templates = try SeedTemplates.load(path, layout: layout)
        self.path = path
    }
}
