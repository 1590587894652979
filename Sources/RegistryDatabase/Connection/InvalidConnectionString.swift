import CLibPQ

/// A database URL or conninfo string that libpq cannot parse: a mistake in
/// the configuration, never retried.
public struct InvalidConnectionString: Error, Sendable, CustomStringConvertible {
    /// libpq's reason, one line.
    public var reason: String

    public var description: String { "the database URL is not valid: \(reason)" }

    /// Throws when libpq's parser refuses `conninfo` (a URL or key/value pairs).
    static func check(_ conninfo: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &message) else {
            defer { if let message { PQfreemem(message) } }
            let text = message.map { String(cString: $0) } ?? "out of memory"
            throw InvalidConnectionString(reason: text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text)
        }
        PQconninfoFree(options)
    }
}
