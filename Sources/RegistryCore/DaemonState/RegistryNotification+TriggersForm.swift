extension RegistryNotification {
    /// The payload exactly as the schema's triggers send it (`json_build_object(...)::text`:
    /// `{"table" : "persona", "op" : "insert", "id" : 7}`), read straight from its bytes; `nil`
    /// for anything else, which `init(anyForm:)` then reads. Every notification of a burst
    /// takes this path: the general reader builds a dictionary of strings per payload (15,500
    /// instructions of the 129,000 a persona costs, bench/RESULTS.md), this reads about 60
    /// bytes once. It accepts only what the general reader reads the same way: lowercase
    /// names, and an id of at most 10 digits without a sign or a leading zero, in `Int32`.
    static func triggersForm(_ payload: String) -> RegistryNotification? {
        var payload = payload
        return payload.withUTF8 { bytes -> RegistryNotification? in
            var reader = TriggersFormReader(bytes: bytes)
            guard reader.skip(#"{"table" : ""#), let table = reader.name().flatMap(Table.init(rawValue:)),
                  reader.skip(#"", "op" : ""#), let op = reader.name().flatMap(Operation.init(rawValue:)),
                  reader.skip(#"", "id" : "#), let id = reader.id(), reader.skip("}"), reader.atEnd else { return nil }
            return RegistryNotification(table: table, op: op, id: id)
        }
    }
}

/// A cursor over a payload's bytes for `RegistryNotification.triggersForm`.
private struct TriggersFormReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    var atEnd: Bool { position == bytes.count }

    /// Steps over `literal` if the bytes continue with it.
    mutating func skip(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - position >= count else { return false }
        let matches = literal.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[position + $0] == expected[$0] }
        }
        if matches { position += count }
        return matches
    }

    /// Lowercase ASCII letters up to the next `"` (not consumed); `nil` for anything else.
    mutating func name() -> String? {
        let start = position
        while position < bytes.count, bytes[position] >= UInt8(ascii: "a"), bytes[position] <= UInt8(ascii: "z") {
            position += 1
        }
        guard position > start, position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    /// A non-negative id in `Int32`, as JSON writes it (no sign, no leading zero).
    mutating func id() -> Int? {
        let start = position
        var value = 0
        while position < bytes.count, position - start < 10, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
            value = value * 10 + Int(bytes[position] - UInt8(ascii: "0"))
            position += 1
        }
        let digits = position - start
        guard digits > 0, digits == 1 || bytes[start] != UInt8(ascii: "0"), value <= Int(Int32.max) else { return nil }
        return value
    }
}
