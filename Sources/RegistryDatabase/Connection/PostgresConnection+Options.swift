import CLibPQ

extension PostgresConnection {
    /// The connection options in effect (`PQconninfo`), by keyword, for the
    /// ones that have a value; passwords are left out.
    public var options: [String: String] {
        var options: [String: String] = [:]
        for (keyword, value) in Self.conninfo(handle) where keyword != "password" {
            options[keyword] = value
        }
        return options
    }

    /// `PQconninfo`: every option that has a value, in libpq's order, password included.
    static func conninfo(_ handle: OpaquePointer) -> [(keyword: String, value: String)] {
        guard let list = PQconninfo(handle) else { return [] }
        defer { PQconninfoFree(list) }
        var settings: [(keyword: String, value: String)] = []
        var entry = list
        while let keyword = entry.pointee.keyword {
            if let value = entry.pointee.val { settings.append((String(cString: keyword), String(cString: value))) }
            entry += 1
        }
        return settings
    }
}
