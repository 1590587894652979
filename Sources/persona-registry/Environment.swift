import Glibc

/// The process environment as a dictionary.
enum Environment {
    static var current: [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }

    /// The variables persona-registry reads (`DATABASE_URL`, `PERSONA_*`) whose value is
    /// not valid UTF-8: `current` would repair it into another path or URL.
    static var notUTF8: [String] {
        var names: [String] = []
        var pointer = environ
        while let entry = pointer.pointee {
            pointer += 1
            guard String(validatingCString: entry) == nil else { continue }
            let name = String(String(cString: entry).prefix { $0 != "=" })
            if name == "DATABASE_URL" || name.hasPrefix("PERSONA_") { names.append(name) }
        }
        return names
    }
}
