import RegistryCore

/// What the tree refuses or cannot do, as a closed set that callers can switch on;
/// `description` is the one line an operator reads. (A system call fails as a
/// `SystemError`, a lock held elsewhere as a `TreeLockError`.)
public enum TreeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A name that is not a slug, where a persona directory was to be made.
    case invalidSlug(String)
    /// A persona's entry is a symbolic link, file or other non-directory: left alone.
    case notADirectory(path: String, type: EntryType)
    /// A file that was regular when looked at is no longer (replaced meanwhile).
    case noLongerRegularFile(String)
    /// The tree's parent is missing: only the tree directory itself is ever made.
    case treeParentMissing(tree: String, parent: String)
    /// `reconcile --dry-run` on a missing tree whose parent is missing too (a dry run creates nothing).
    case treeParentMissingForDryRun(tree: String, parent: String)
    /// Persona directories to make, and no templates to make them with.
    case noSeedTemplates
    /// The templates could not be loaded; why.
    case seedTemplatesUnreadable(String)
    case seedTemplateNotRegularFile(String)
    case seedTemplateTooLarge(String)
    case seedTemplateNotUTF8(String)

    public var description: String {
        switch self {
        case .invalidSlug(let name): "refusing to use \(Quoted(name)) as a directory name: it is not a valid slug"
        case .notADirectory(let path, let type): "\(path) is a \(type.rawValue), not a directory; left alone"
        case .noLongerRegularFile(let path): "\(path) is no longer a regular file; not copied"
        case .treeParentMissing(let tree, let parent): "cannot create the tree \(tree): its parent directory \(parent) does not exist (only the tree directory itself is created)"
        case .treeParentMissingForDryRun(let tree, let parent): "the tree \(tree) does not exist and a run without --dry-run could not create it: its parent directory \(parent) does not exist (nothing was created)"
        case .noSeedTemplates: "no seed templates to create persona directories with"
        case .seedTemplatesUnreadable(let why): "cannot read the seed templates (\(why)); set --templates-dir or PERSONA_TEMPLATES_DIR"
        case .seedTemplateNotRegularFile(let path): "the seed template \(path) is not a regular file"
        case .seedTemplateTooLarge(let path): "the seed template \(path) is larger than 1 MiB"
        case .seedTemplateNotUTF8(let path): "the seed template \(path) is not valid UTF-8"
        }
    }
}
