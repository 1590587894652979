import RegistrySystem

/// The process environment as a dictionary.
enum Environment {
    static var current: [String: String] {
        var result: [String: String] = [:]
        StandardStreams.forEachEnvironmentEntry { entry in
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
        }
        return result
    }

    /// The variables persona-registry reads (`DATABASE_URL`, `PERSONA_*`) whose value is
    /// not valid UTF-8: `current` would repair it into another path or URL.
    static var notUTF8: [String] {
        var names: [String] = []
        StandardStreams.forEachEnvironmentEntry { entry in
            guard String(validatingCString: entry) == nil else { return }
            let name = String(String(cString: entry).prefix { $0 != "=" })
            if name == "DATABASE_URL" || name.hasPrefix("PERSONA_") { names.append(name) }
        }
        return names
    }
}
