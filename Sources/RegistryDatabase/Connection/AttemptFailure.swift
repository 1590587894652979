import CLibPQ
import RegistryCore

/// The error a failed connection attempt reports (this type is not one: it reads
/// libpq's message into one): a `ConnectionError.cannotConnect`, with the server's
/// SQLSTATE when it refused the connection.
/// libpq keeps the SQLSTATE of a refused connection to itself; the verbose
/// message carries it ("FATAL:  28P01: password authentication failed ..."),
/// which is why `ConnectAttempt` connects with `PQERRORS_VERBOSE`.
enum AttemptFailure {
    /// The error of the attempt on `handle` (the last one, when several hosts
    /// were tried); its message is the line that says why, without the code.
    static func error(of handle: OpaquePointer) -> ConnectionError {
        let text = PQerrorMessage(handle).map { String(cString: $0) } ?? ""
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
            .filter { !$0.hasPrefix("LOCATION:") && !$0.trimmedWhitespace().isEmpty }
        var code: PostgresError.Code?
        var message = lines.first ?? "unknown libpq error"
        for line in lines {
            if let (sqlstate, stripped) = withoutSQLSTATE(line) {
                code = PostgresError.Code(raw: sqlstate)
                message = stripped
            }
        }
        return .cannotConnect(reason: message.trimmedWhitespace(), code: code)
    }

    /// Finds `:  XXXXX: ` (a severity, then a five-character SQLSTATE) in a
    /// verbose libpq message; returns the code and the line without it.
    static func withoutSQLSTATE(_ line: String) -> (String, String)? {
        let characters = Array(line)
        guard characters.count >= 10 else { return nil }
        for start in 0...(characters.count - 10) {
            guard characters[start] == ":", characters[start + 1] == " ", characters[start + 2] == " " else { continue }
            let code = characters[(start + 3)..<(start + 8)]
            guard code.allSatisfy({ ("0"..."9").contains($0) || ("A"..."Z").contains($0) }),
                  characters[start + 8] == ":", characters[start + 9] == " " else { continue }
            return (String(code), String(characters[..<(start + 3)]) + String(characters[(start + 10)...]))
        }
        return nil
    }
}
