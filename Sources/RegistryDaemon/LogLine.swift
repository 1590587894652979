import Logging
import RegistryCore
import RegistryDatabase

/// One log event as one line of text: level (or a journald `<N>` priority
/// prefix), message, then `key=value` metadata sorted by key. Newlines and
/// other control characters are escaped so an event never spans lines;
/// secrets are redacted.
public enum LogLine {
    public static func format(level: Logger.Level, message: String, metadata: Logger.Metadata,
                              journal: Bool, timestamp: String?) -> String {
        var line = ""
        if journal {
            line += "<\(priority(level))>"
        } else {
            if let timestamp { line += timestamp + " " }
            line += "\(level): "
        }
        line += escaped(message, quoteIfNeeded: false)
        for key in metadata.keys.sorted() {
            line += " " + key + "=" + escaped(redacted(key: key, value: metadata[key]!.description), quoteIfNeeded: true)
        }
        return line
    }

    /// The syslog priority of a level: the `<N>` journald reads from a stream.
    public static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// Metadata that may hold a secret is shown without it.
    static func redacted(key: String, value: String) -> String {
        if key == "slug" || key == "id" || key == "event" { return value }  // the keys of almost every line
        let lowered = key.lowercased()
        if lowered.contains("password") || lowered.contains("secret") || lowered.contains("token") { return "***" }
        if lowered.contains("url") || lowered.contains("conninfo") { return ConnectionString.redacted(value) }
        return value
    }

    /// Escaped as `Escaping` does (in a quoted value, `"` too); a value with
    /// spaces, quotes, `=` or nothing at all is quoted so the line splits unambiguously.
    static func escaped(_ text: String, quoteIfNeeded: Bool) -> String {
        if !text.isEmpty, text.utf8.allSatisfy({ isPlain($0, quoting: quoteIfNeeded) }) { return text }
        guard quoteIfNeeded else { return Escaping.escaped(text) }
        let needsQuotes = text.isEmpty || text.unicodeScalars.contains { $0 == " " || $0 == "=" || $0 == "\"" }
        let output = Escaping.escaped(text, quote: "\"")
        return needsQuotes ? "\"" + output + "\"" : output
    }

    /// A byte that stands for itself, unescaped and unquoted (the common case: slugs, ids, counts).
    static func isPlain(_ byte: UInt8, quoting: Bool) -> Bool {
        guard byte > 0x20, byte < 0x7F else { return byte == 0x20 && !quoting }
        return !quoting || (byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") && byte != UInt8(ascii: "="))
    }
}
