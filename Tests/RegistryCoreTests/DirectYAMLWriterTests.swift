import Testing
@testable import RegistryCore

/// The direct writer against libyaml's emitter: the same bytes for every value
/// in every style it may be asked for, over hand-picked awkward strings and
/// thousands generated from a fixed seed, and the decoder reads each back.
@Suite struct DirectYAMLWriterTests {
    static let awkward: [String] = IdentityCodecTests.trickyNames + [
        " ", "  ", "'", "''", "\"", "\\", ":", ": ", "x:", "x: y", "x :y", "#", " #", "x#y", "x #y", "x# y",
        "-", "- ", "-x", "--", "---", "----", "...", "....", ".. .", "?", "? ", "?x", "*", "&", "!", "%", "@", "`",
        ",", "[", "]", "{", "}", "|", ">", "x,y", "x?y", "x[y]", "~", "null", "NULL", "Null", "true", "TRUE", "no",
        "0", "-0", "+0", "1.5e-3", "0x", "1:2:3", "2026-11-24 17:22:53", "\t", "x\t", "\tx", "x\ty", "\n", "x\n",
        "\nx", "x \ny", "x\n y", "x\r\ny", "\r", "\u{85}", "x\u{85}", "\u{85}x", "\u{2028}", "x\u{2028}y",
        "\u{2029}", "x \u{2029}", "\u{FEFF}", "\u{FEFF}x", "x\u{FEFF}", "\u{FFFE}", "\u{FFFD}", "\u{D7FF}",
        "\u{E000}", "\u{EFFF}", "\u{F000}", "\u{A0}", "\u{A0}x", "x\u{A0}", "\u{9F}", "\u{80}", "\u{7F}", "\u{0}",
        "\u{1}\u{2}\u{3}\u{7}\u{8}\u{B}\u{C}\u{1B}\u{1F}", "😀", "x😀", "😀 x", "𝄞", "\u{10FFFF}", "Zoë", "日本語",
        "a'b'c", "'x", "x'", "\"x\"", "x\"y", "x\\y", "\\n", String(repeating: "x", count: 5000),
        String(repeating: "word ", count: 300), String(repeating: "'", count: 200), String(repeating: "é", count: 1000),
    ]

    @Test func everyAwkwardValueInEveryStyleIsWrittenAsLibYAMLWritesIt() throws {
        for value in Self.awkward {
            try expectSameBytes(value)
        }
    }

    @Test func generatedValuesAreWrittenAsLibYAMLWritesThem() throws {
        var random = SplitMix64(seed: 0x2023_1207)
        for _ in 0..<4000 {
            try expectSameBytes(Self.generated(&random))
        }
    }

    @Test func encodeIsTheLibYAMLFileForAwkwardAndGeneratedPersonas() throws {
        var random = SplitMix64(seed: 23)
        let values = Self.awkward + (0..<1000).map { _ in Self.generated(&random) }
        for value in values {
            let persona = IdentityCodecTests.persona(name: value, role: value, description: value)
            let reference = Array(IdentityEncoder.header.utf8) + IdentityEncoder.emitWithLibYAML(
                IdentityEncoder.scalars(for: persona).map {
                    (key: $0.field.rawValue, value: $0.scalar.text, style: IdentityEncoder.requestedStyle($0.scalar))
                })
            let bytes = IdentityEncoder.encode(persona)
            #expect(bytes == reference, "\(Quoted(value))")
            let fields = try IdentityDecoder.decode(bytes)
            #expect(ResolvedScalar(try #require(fields[.name])) == .string(value), "\(Quoted(value))")
            #expect(IdentityComparison.differences(persona, fields).isEmpty, "\(Quoted(value))")
        }
    }

    /// `YAMLBytes.isPlainWord`, the short cut, gives the full analysis's answer wherever it
    /// answers: over values made of its characters and of those next to them, in every style.
    @Test func plainWordsGetTheFullAnalysisAnswer() {
        var random = SplitMix64(seed: 0x5107)
        // Its own characters only, or with those that end it (a value of either kind is tried).
        let alphabets = [Array("aZ09-_./+ :".unicodeScalars), Array("aZ09-_./+ :#'\"\t\n?,@&é".unicodeScalars)]
        let chosen = ["developer-con-1", "2026-11-24T17:22:53Z", "Con", "x :y", "a  b", "a:", "a: b", "a:b", "1.5e-3",
                      "null", "true", "0", "a ", "-a", ".a", "a-", "a/b+c", "x:", "x::y"]
        var shortCuts = 0
        for index in 0..<20_000 {
            var value = index < chosen.count ? chosen[index] : ""
            if index >= chosen.count {
                let alphabet = alphabets[index % 2]
                for _ in 0..<random.next(below: 12) { value.unicodeScalars.append(alphabet[random.next(below: alphabet.count)]) }
            }
            var bytes = value
            bytes.withUTF8 { buffer in
                let text = YAMLBytes(bytes: buffer)
                guard text.isPlainWord else { return }
                shortCuts += 1
                for style in [ScalarStyle.plain, .singleQuoted, .doubleQuoted] {
                    let full = text.analyzed(requested: style), short = text.emitted(requested: style)
                    #expect(full.style == short.style && full.hasLineBreak == short.hasLineBreak, "\(Quoted(value)) \(style)")
                }
            }
        }
        #expect(shortCuts > 3_000)
    }

    /// One value as `name`, asked for in each style: the direct bytes are
    /// libyaml's, or the direct writer declined it; and the decoder reads the
    /// same text back, plain exactly when it was written plain.
    func expectSameBytes(_ value: String) throws {
        for style in [ScalarStyle.plain, .singleQuoted, .doubleQuoted] {
            let pairs = [(key: "id", value: "1", style: ScalarStyle.plain), (key: "name", value: value, style: style),
                         (key: "created_at", value: "2026-11-24T17:22:53Z", style: .plain)]
            let reference = IdentityEncoder.emitWithLibYAML(pairs)
            var writer = DirectYAMLWriter(capacity: 0)
            let written = pairs.allSatisfy { writer.appendPair(key: $0.key, value: $0.value, requested: $0.style) }
            guard written else {
                // Only a single-quoted value with a line break is left to libyaml.
                let emitted = value.utf8.withContiguousStorageIfAvailable { YAMLBytes(bytes: $0).emitted(requested: style) }
                #expect(emitted?.style == .singleQuoted && emitted?.hasLineBreak == true, "\(Quoted(value)) \(style)")
                continue
            }
            #expect(writer.bytes == reference, "\(Quoted(value)) asked \(style):\n\(Quoted(String(decoding: writer.bytes, as: UTF8.self)))\nlibyaml:\n\(Quoted(String(decoding: reference, as: UTF8.self)))")
            let header = Array(IdentityEncoder.header.utf8)
            let fields = try IdentityDecoder.decode(header + writer.bytes)
            let name = try #require(fields[.name])
            #expect(name.text == value, "\(Quoted(value)) asked \(style) read back as \(Quoted(name.text))")
        }
    }

    /// A value of 0 to 40 pieces, each an awkward character, a word YAML resolves, or a random scalar.
    static func generated(_ random: inout SplitMix64) -> String {
        var text = ""
        for _ in 0..<random.next(below: 41) {
            switch random.next(below: 4) {
            case 0: text += pieces[random.next(below: pieces.count)]
            case 1: text.unicodeScalars.append(Unicode.Scalar(UInt8(0x20 + random.next(below: 0x5F))))
            case 2: text.unicodeScalars.append(Unicode.Scalar(UInt8(random.next(below: 0x100))))
            default:
                let value = UInt32(random.next(below: 0x110000))
                text.unicodeScalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
            }
        }
        return text
    }

    static let pieces = [
        " ", " ", "  ", "'", "\"", "\\", ":", "#", "-", "?", ",", "[", "]", "{", "}", "&", "*", "!", "|", ">", "%",
        "@", "`", "\t", "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}", "\u{FEFF}", "\u{A0}", "\u{0}", "\u{1}",
        "\u{1B}", "\u{7F}", "\u{9F}", "\u{FFFE}", "\u{FFFF}", "\u{FFFD}", "\u{D7FF}", "\u{E000}", "é", "中", "🎭",
        "𝄞", "a", "x", "0", "1", ".", "~", "+", "=", "<<", "e", "y", "true", "null", "---", "...", ": ", " #",
    ]
}

/// A small deterministic generator (SplitMix64), so that every run tests the same strings.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(below bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
