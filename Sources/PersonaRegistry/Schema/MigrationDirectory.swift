import Glibc

/// Where migration files are found, and loading them in version order.
public enum MigrationDirectory {
    /// The directory to use: the explicit one, else `PERSONA_REGISTRY_MIGRATIONS`,
    /// else the installed `<prefix>/share/persona-registry/migrations` beside the
    /// executable, else `migrations/` of the checkout the executable was built in,
    /// else `./migrations`.
    public static func resolve(explicit: String?, environment: [String: String]) throws -> String {
        if let explicit { return explicit }
        if let fromEnvironment = environment["PERSONA_REGISTRY_MIGRATIONS"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        for candidate in candidates(executable: executablePath()) where TextFile.isDirectory(candidate) {
            return candidate
        }
        throw RegistryError("cannot find the migrations directory: pass --migrations-dir or set PERSONA_REGISTRY_MIGRATIONS")
    }

    static func candidates(executable: String?) -> [String] {
        var result: [String] = []
        if let executable {
            var directory = parent(of: executable)
            result.append(directory + "/../share/persona-registry/migrations")
            // A checkout: .build/<triple>/debug/persona-registry -> <checkout>/migrations
            for _ in 0..<5 {
                directory = parent(of: directory)
                if TextFile.isDirectory(directory + "/migrations"), isFile(directory + "/Package.swift") {
                    result.append(directory + "/migrations")
                    break
                }
            }
        }
        result.append("migrations")
        return result
    }

    /// The migration files in `directory`, ordered by version; duplicate versions are refused.
    public static func load(_ directory: String) throws -> [MigrationFile] {
        let names = try TextFile.list(directory).filter { $0.hasSuffix(".sql") }.sorted()
        var files: [MigrationFile] = []
        for name in names {
            files.append(try MigrationFile(name: name, contents: TextFile.read(directory + "/" + name)))
        }
        files.sort { ($0.version.count, $0.version) < ($1.version.count, $1.version) }
        for (previous, next) in zip(files, files.dropFirst()) where Int(previous.version) == Int(next.version) {
            throw RegistryError("\(previous.name) and \(next.name) have the same version")
        }
        return files
    }

    static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func isFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }
}
