import CLibPQ

extension ConnectionString {
    /// Throws `ConnectionError.invalidURL` when libpq's parser refuses `conninfo` (a URL or
    /// key/value pairs), before any attempt: its reason is the first line of libpq's.
    static func validate(_ conninfo: String) throws(ConnectionError) {
        var message: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &message) else {
            defer { if let message { PQfreemem(message) } }
            let text = message.map { String(cString: $0) } ?? "out of memory"
            throw .invalidURL(reason: text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text)
        }
        PQconninfoFree(options)
    }
}
