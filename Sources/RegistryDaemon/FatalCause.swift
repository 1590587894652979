import RegistryCore
import RegistryDatabase
import RegistrySystem

/// Why the daemon ends (at start-up, or a removed tree it can never make again): the
/// closed set of its fatal causes, each one line for the operator, exit status 1.
/// Anything else that fails is logged and retried.
public enum FatalCause: Error, CustomStringConvertible {
    /// Before any connection succeeded, a mistake retrying cannot cure (the URL, the
    /// credentials, the database name, a standby): libpq's or the server's line.
    case cannotConnect(String)
    /// The first sweep found no tables: PostgreSQL's message.
    case schemaMissing(String)
    /// The first sweep was refused, explained (a privilege the user lacks).
    case refused(TableError)
    /// The first sweep could not read the tables for another reason.
    case tablesUnreadable(any Error)
    /// The first sweep failed on the tree.
    case treeUnsweepable(tree: String, any Error)
    /// The tree was removed and this file system is read-only from here.
    case treeNotRemakable(tree: String, SystemError)
    /// The lock of the tree made again cannot be taken (another daemon holds it, a planted file).
    case lockNotTaken(any Error)

    public var description: String {
        switch self {
        case .cannotConnect(let line): line
        case .schemaMissing(let message): "\(TableError.schemaMissing(message))"
        case .refused(let refusal): "\(refusal)"
        case .tablesUnreadable(let error): "cannot read the role and persona tables: \(error)"
        case .treeUnsweepable(let tree, let error): "cannot sweep the tree \(tree): \(error)"
        case .treeNotRemakable(let tree, let error):
            "the tree \(tree) was removed and cannot be made again here (\(error)); "
                + "exiting so that the service manager makes it and restarts the daemon"
        case .lockNotTaken(let error): "\(error)"
        }
    }
}
