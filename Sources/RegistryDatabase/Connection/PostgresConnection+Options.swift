import CLibPQ

extension PostgresConnection {
    /// The connection options in effect (`PQconninfo`), by keyword, for the
    /// ones that have a value; passwords are left out.
    public var options: [String: String] {
        guard let list = PQconninfo(handle) else { return [:] }
        defer { PQconninfoFree(list) }
        var options: [String: String] = [:]
        var entry = list
        while let keyword = entry.pointee.keyword {
            let name = String(cString: keyword)
            if let value = entry.pointee.val, name != "password" {
                options[name] = String(cString: value)
            }
            entry += 1
        }
        return options
    }
}
