/// Connection strings as they may appear in logs and errors.
public enum ConnectionString {
    /// The connection string a command uses: `--database-url` as given, else `$DATABASE_URL`
    /// unless empty; `nil` leaves the connection to libpq's own environment (`PG*`, the socket).
    public static func configured(explicit: String?, environment: [String: String]) -> String? {
        explicit ?? environment["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The URL or key/value conninfo with any password replaced by `***`.
    public static func redacted(_ conninfo: String) -> String {
        if let scheme = conninfo.firstRange(of: "://") {
            var text = conninfo
            let afterScheme = scheme.upperBound
            let authorityEnd = text[afterScheme...].firstIndex(where: { $0 == "/" || $0 == "?" }) ?? text.endIndex
            if let at = text[afterScheme..<authorityEnd].lastIndex(of: "@"),
               let colon = text[afterScheme..<at].firstIndex(of: ":") {
                text.replaceSubrange(text.index(after: colon)..<at, with: "***")
            }
            return redactPasswordParameter(text, separator: "&")
        }
        return redactPasswordParameter(conninfo, separator: " ")
    }

    private static func redactPasswordParameter(_ text: String, separator: Character) -> String {
        var output = ""
        var rest = Substring(text)
        while let range = rest.firstRange(of: "password") {
            let before = rest[..<range.lowerBound]
            output += before
            var cursor = range.upperBound
            while cursor < rest.endIndex, rest[cursor] == " " { cursor = rest.index(after: cursor) }
            let atBoundary = before.isEmpty || before.last == separator || before.last == "?" || before.last == " "
            guard atBoundary, cursor < rest.endIndex, rest[cursor] == "=" else {
                output += rest[range]
                rest = rest[range.upperBound...]
                continue
            }
            output += "password=***"
            cursor = rest.index(after: cursor)
            while cursor < rest.endIndex, rest[cursor] == " " { cursor = rest.index(after: cursor) }
            if cursor < rest.endIndex, rest[cursor] == "'" {
                cursor = rest.index(after: cursor)
                while cursor < rest.endIndex, rest[cursor] != "'" {
                    if rest[cursor] == "\\" { cursor = rest.index(after: cursor) }
                    if cursor < rest.endIndex { cursor = rest.index(after: cursor) }
                }
                if cursor < rest.endIndex { cursor = rest.index(after: cursor) }
            } else {
                while cursor < rest.endIndex, rest[cursor] != separator, rest[cursor] != " " {
                    cursor = rest.index(after: cursor)
                }
            }
            rest = rest[cursor...]
        }
        return output + rest
    }
}
