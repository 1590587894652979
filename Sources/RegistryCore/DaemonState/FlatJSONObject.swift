/// A strict reader of one flat JSON object whose values are strings,
/// integers, `true`, `false` or `null`, as the schema's triggers send them
/// (`{"table" : "persona", "op" : "insert", "id" : 7}`). A notification
/// burst brings thousands of payloads; a general JSON decoder per payload cost
/// more than the rest of reading it. Anything else (nesting, fractions,
/// exponents, bad escapes, trailing bytes) is refused with `nil`.
enum FlatJSONObject {
    enum Value: Equatable {
        case string(String)
        case integer(Int)
        case boolean(Bool)
        case null
    }

    /// The members of the object in `text`; a repeated key keeps its last value.
    /// `unicodeEscapes`: `\uXXXX` (and surrogate pairs) are read, as the registry's own
    /// files write them (`FlatJSONWriter`); a notification payload never has one.
    static func parse(_ text: some StringProtocol, unicodeEscapes: Bool = false) -> [String: Value]? {
        var reader = Reader(bytes: Array(text.utf8), unicodeEscapes: unicodeEscapes)
        return reader.object()
    }

    private struct Reader {
        let bytes: [UInt8]
        let unicodeEscapes: Bool
        var index = 0

        mutating func object() -> [String: Value]? {
            guard take(UInt8(ascii: "{")) else { return nil }
            var members: [String: Value] = [:]
            if take(UInt8(ascii: "}")) { return end() ? members : nil }
            repeat {
                guard let key = string(), take(UInt8(ascii: ":")), let value = value() else { return nil }
                members[key] = value
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "}")) && end() ? members : nil
        }

        private mutating func value() -> Value? {
            skipSpace()
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "\""): return string().map(Value.string)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return integer().map(Value.integer)
            default:
                if word("true") { return .boolean(true) }
                if word("false") { return .boolean(false) }
                if word("null") { return .null }
                return nil
            }
        }

        private mutating func integer() -> Int? {
            let negative = bytes[index] == UInt8(ascii: "-")
            if negative { index += 1 }
            let start = index
            var magnitude = 0
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                let (times, overflowTimes) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, overflowSum) = times.addingReportingOverflow(Int(bytes[index] - UInt8(ascii: "0")))
                if overflowTimes || overflowSum { return nil }
                magnitude = sum
                index += 1
            }
            let digits = index - start
            // JSON: at least one digit, no leading zero, no fraction or exponent here.
            guard digits > 0, digits == 1 || bytes[start] != UInt8(ascii: "0") else { return nil }
            if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) { return nil }
            return negative ? -magnitude : magnitude
        }

        private mutating func string() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            var output: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(validating: output, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard index < bytes.count else { return nil }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escape)
                    case UInt8(ascii: "b"): output.append(0x08)
                    case UInt8(ascii: "f"): output.append(0x0C)
                    case UInt8(ascii: "n"): output.append(0x0A)
                    case UInt8(ascii: "r"): output.append(0x0D)
                    case UInt8(ascii: "t"): output.append(0x09)
                    case UInt8(ascii: "u") where unicodeEscapes:
                        guard let scalar = unicodeEscape() else { return nil }
                        output += Array(String(Character(scalar)).utf8)
                    // \u escapes never occur in our payloads' keys and values: refused, not guessed.
                    default: return nil
                    }
                case 0..<0x20:
                    return nil
                default:
                    output.append(byte)
                }
            }
            return nil
        }

        /// The scalar of `XXXX` after `\u` (a high surrogate must be followed by `\u` and its low one).
        private mutating func unicodeEscape() -> Unicode.Scalar? {
            guard let high = hex4() else { return nil }
            guard (0xD800...0xDBFF).contains(high) else { return Unicode.Scalar(high) }
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else { return nil }
            index += 2
            guard let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
            return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
        }

        private mutating func hex4() -> UInt32? {
            // Four hex digits exactly (`UInt32(_:radix:)` alone would take a sign).
            guard index + 4 <= bytes.count, bytes[index..<index + 4].allSatisfy({ Character(Unicode.Scalar($0)).isHexDigit }),
                  let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else { return nil }
            index += 4
            return value
        }

        private mutating func word(_ text: StaticString) -> Bool {
            let count = text.utf8CodeUnitCount
            guard index + count <= bytes.count else { return false }
            let matches = text.withUTF8Buffer { $0.elementsEqual(bytes[index..<index + count]) }
            if matches { index += count }
            return matches
        }

        private mutating func take(_ byte: UInt8) -> Bool {
            skipSpace()
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        private mutating func end() -> Bool {
            skipSpace()
            return index == bytes.count
        }

        private mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }
    }
}
