import Foundation
import Logging
import Testing
@testable import RegistryCore
@testable import RegistryDaemon
@testable import persona_registry

@Suite("one escaper for every output format")
struct EscapingTests {
    @Test("C0, DEL, C1, line separators, bidi controls and default ignorables are escaped; everything else stays")
    func escapedSet() {
        for value: UInt32 in [0x00, 0x07, 0x1B, 0x1F, 0x7F, 0x80, 0x85, 0x9B, 0x9F, 0x061C, 0x200E, 0x200F,
                              0x2028, 0x2029, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069,
                              0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0x2065, 0xFE0F, 0xFEFF, 0xE0041] {
            #expect(Escaping.needsEscape(Unicode.Scalar(value)!), "U+\(String(value, radix: 16))")
        }
        for text in ["a", " ", "é", "日", "🙂", "\u{A0}", "\u{A1}", "\u{2070}", "\u{2010}"] {
            #expect(Escaping.escaped(text) == text)
        }
    }

    @Test("the stable notation: \\\\, \\t, \\n, \\r, and \\u with four lowercase hex digits")
    func notation() {
        #expect(Escaping.escaped("a\\b\tc\nd\re") == "a\\\\b\\tc\\nd\\re")
        #expect(Escaping.escaped("\u{1B}[31mred\u{1B}[0m") == "\\u001b[31mred\\u001b[0m")
        #expect(Escaping.escaped("x\u{9B}y\u{202E}z\u{7F}") == "x\\u009by\\u202ez\\u007f")
        #expect(Escaping.escaped("say \"hi\"", quote: "\"") == "say \\\"hi\\\"")
        #expect(Escaping.escaped("say \"hi\"") == "say \"hi\"")
    }

    @Test("the notation is JSON's: an escaped string decodes to the original")
    func jsonRoundTrip() throws {
        let original = "\u{1B}[31m \"q\" \\ \u{85} \u{202E} \u{2069} \u{2028} tab\t nl\n é 🙂"
        let json = "{\"s\": \"" + Escaping.escaped(original, quote: "\"") + "\"}"
        let decoded = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String]
        #expect(decoded?["s"] == original)
    }

    @Test("jsonSafe escapes what Foundation's encoder leaves raw, inside strings only")
    func jsonSafe() throws {
        let rendered = try JSONOutput.render(["name": "a\u{9B}b\u{202E}c\u{1B}"])
        #expect(!rendered.unicodeScalars.contains { Escaping.needsEscape($0) && $0 != "\n" })
        let decoded = try JSONSerialization.jsonObject(with: Data(rendered.utf8)) as? [String: String]
        #expect(decoded?["name"] == "a\u{9B}b\u{202E}c\u{1B}")
    }

    @Test("drift's porcelain, text and JSON and the log line carry no raw control")
    func everyFormat() {
        let hostile = "\u{1B}[31mred\u{202E}\u{85}"
        let report = DriftReport(findings: [Finding(kind: .orphanDirectory, slug: hostile, personaID: nil, detail: hostile)])
        for format in DriftFormat.allCases {
            let output = report.rendered(as: format)
            #expect(!output.unicodeScalars.contains { Escaping.needsEscape($0) && $0 != "\n" && $0 != "\t" }, "\(format)")
        }
        let line = LogLine.format(level: .info, message: "saw \(hostile)", metadata: ["entry": "\(hostile)"], journal: true, timestamp: nil)
        #expect(line == "<6>saw \\u001b[31mred\\u202e\\u0085 entry=\\u001b[31mred\\u202e\\u0085")
    }
}
