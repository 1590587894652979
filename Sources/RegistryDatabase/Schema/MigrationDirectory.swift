import RegistryCore
import RegistrySystem

/// Where migration files come from: the set compiled into the binary, or a
/// directory of dbmate-format files that overrides it.
public enum MigrationSource: Sendable, Equatable, CustomStringConvertible {
    /// `migrations/*.sql` of the checkout the binary was built from (EmbeddedData).
    case builtIn
    case directory(String)

    /// `--migrations-dir`, else `PERSONA_REGISTRY_MIGRATIONS`, else the built-in set.
    public static func resolve(explicit: String?, environment: [String: String]) -> MigrationSource {
        if let explicit, !explicit.isEmpty { return .directory(explicit) }
        if let fromEnvironment = environment["PERSONA_REGISTRY_MIGRATIONS"], !fromEnvironment.isEmpty {
            return .directory(fromEnvironment)
        }
        return .builtIn
    }

    /// The migration files, ordered by version: the built-in ones of `layout`, or the directory's.
    public func load(_ layout: Layout = .prd) throws -> [MigrationFile] {
        switch self {
        case .builtIn: return try MigrationDirectory.builtIn(layout)
        case .directory(let path): return try MigrationDirectory.load(path)
        }
    }

    public var description: String {
        switch self {
        case .builtIn: return "the built-in migrations"
        case .directory(let path): return path
        }
    }
}

/// Loading migration files in version order.
public enum MigrationDirectory {
    /// The migration files in `directory`, ordered by version; duplicate versions are refused.
    public static func load(_ directory: String) throws -> [MigrationFile] {
        let names = try TextFile.list(directory).filter { $0.hasSuffix(".sql") }
        return try ordered(names.map { try MigrationFile(name: $0, contents: TextFile.read(directory + "/" + $0)) })
    }

    /// The files compiled into the binary for `layout`, byte for byte those of `migrations/`
    /// (`prd`) or `migrations/headspace/` (`headspace`).
    public static func builtIn(_ layout: Layout = .prd) throws -> [MigrationFile] {
        let files = switch layout {
        case .prd: EmbeddedData.migrations
        case .headspace: EmbeddedData.hostMigrations
        }
        return try ordered(files.map { try MigrationFile(name: $0.name, contents: $0.text) })
    }

    /// `files` by version (numerically: `10` after `9`); two files of one version are refused.
    static func ordered(_ files: [MigrationFile]) throws -> [MigrationFile] {
        let sorted = files.sorted { inVersionOrder($0.version, $1.version) || ($0.version == $1.version && $0.name < $1.name) }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where Int(previous.version) == Int(next.version) {
            throw MigrationError.duplicateVersion(previous.name, next.name)
        }
        return sorted
    }

    /// Whether version `a` comes before `b`: by number (`10` after `9`, `0002` equal to `2`),
    /// then as text.
    static func inVersionOrder(_ a: String, _ b: String) -> Bool {
        (Int(a) ?? .max, a) < (Int(b) ?? .max, b)
    }
}
