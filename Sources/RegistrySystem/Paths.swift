import Glibc

/// Resolution of the tree and templates directories from flags and environment.
public enum Paths {
    /// The tree: `--data-dir`, else `PERSONA_DATA_DIR`, else `./data/personas`; made absolute.
    public static func tree(explicit: String?, environment: [String: String]) -> String {
        absolute(explicit ?? nonEmpty(environment["PERSONA_DATA_DIR"]) ?? "data/personas")
    }

    /// The templates directory that overrides the built-in seed templates:
    /// `--templates-dir`, else `PERSONA_TEMPLATES_DIR`; nil for the built-in set.
    public static func templates(explicit: String?, environment: [String: String]) -> String? {
        (nonEmpty(explicit) ?? nonEmpty(environment["PERSONA_TEMPLATES_DIR"])).map(absolute)
    }

    /// `path` made absolute against the working directory, with trailing slashes removed.
    public static func absolute(_ path: String) -> String {
        var result = path
        if !result.hasPrefix("/") {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            if getcwd(&buffer, buffer.count) != nil {
                let cwd = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                result = (cwd == "/" ? "" : cwd) + "/" + (result.hasPrefix("./") ? String(result.dropFirst(2)) : result)
            }
        }
        while result.count > 1, result.hasSuffix("/") { result.removeLast() }
        return result
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}
