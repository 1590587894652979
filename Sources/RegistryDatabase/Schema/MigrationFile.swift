import RegistryCore

/// One migration file in dbmate's format: `-- migrate:up` then `-- migrate:down`.
public struct MigrationFile: Sendable, Equatable {
    /// The numeric prefix of the file name, e.g. `0001`; the order of application.
    public var version: String
    /// The file name, e.g. `0001_role_persona.sql`.
    public var name: String
    public var up: String
    public var down: String
    /// The whole file, whose checksum is recorded when it is applied.
    public var contents: String

    /// Parses a file; the name must start with digits and end in `.sql`.
    public init(name: String, contents: String) throws {
        let digits = name.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, name.hasSuffix(".sql") else {
            throw MigrationError.malformed(file: name, why: "a migration file name starts with its version number and ends in .sql")
        }
        var up: [Substring] = []
        var down: [Substring] = []
        var section = 0  // 0 before any marker, 1 up, 2 down
        var sawUp = false
        var sawDown = false
        for line in contents.split(separator: "\n", omittingEmptySubsequences: false) {
            let marker = line.trimmedWhitespace()
            if marker.hasPrefix("-- migrate:up") {
                guard !sawUp, !sawDown else { throw MigrationError.malformed(file: name, why: "`-- migrate:up` must appear once, before `-- migrate:down`") }
                sawUp = true
                section = 1
                continue
            }
            if marker.hasPrefix("-- migrate:down") {
                guard sawUp, !sawDown else { throw MigrationError.malformed(file: name, why: "`-- migrate:down` must appear once, after `-- migrate:up`") }
                sawDown = true
                section = 2
                continue
            }
            switch section {
            case 1: up.append(line)
            case 2: down.append(line)
            default: break
            }
        }
        guard sawUp else { throw MigrationError.malformed(file: name, why: "no `-- migrate:up` section") }
        self.version = String(digits)
        self.name = name
        self.up = up.joined(separator: "\n")
        self.down = down.joined(separator: "\n")
        self.contents = contents
    }

    /// Whether a section holds any SQL beyond comments and blank lines.
    static func hasStatements(_ section: String) -> Bool {
        section.split(separator: "\n").contains { line in
            let text = line.trimmedWhitespace()
            return !text.isEmpty && !text.hasPrefix("--")
        }
    }
}
