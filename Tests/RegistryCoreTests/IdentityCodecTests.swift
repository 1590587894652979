import Foundation
import Testing
@testable import RegistryCore
import TestSupport

@Suite struct IdentityCodecTests {
    static func persona(name: String = "Con", role: String = "developer", description: String? = "Backend Python development",
                        status: PersonaStatus = .active) -> Persona {
        Persona(id: 1, slug: "developer-con-1", name: name, role: role, roleID: 1, status: status,
                description: description, createdAt: "2026-11-24T17:22:53Z")
    }

    static let trickyNames = [
        "yes", "no", "on", "off", "y", "n", "Y", "N", "YES", "On", "oFF", "true", "False", "null", "Null", "NULL", "~", "",
        "1e3", "0x1F", "0o17", "0b101", "12:30", "190:20:30", "1_000", "3.14", ".inf", "-.inf", ".NaN", "+1", "-1", "007",
        "2026-11-24", "2026-11-24T17:22:53Z", "2001-12-14 21:59:43.10 -5", "a: b", "a:", "#x", "a #b", "- x", "-x", "? x",
        "[x]", "{x}", "*alias", "&anchor", "!tag", "|", ">", "%x", "@x", "`x", "<<", "=",
        " leading", "trailing ", "  both  ", "it's", "'single'", "\"double\"", "back\\slash", "line\nbreak", "two\n\nbreaks",
        "trailing newline\n", "tab\there", "\ttab", "carriage\rreturn", "emoji 🎭 Zoë", "Con", "O'Brien", "Backend, Python",
        "---", "...", "--- x", "a\u{85}b", "nbsp\u{A0}x", "bom\u{FEFF}x", "ctrl\u{1}x", "del\u{7F}x", "nul\u{0}x", "esc\u{1B}x", "nonchar\u{FFFF}x", "astral 𝄞", String(repeating: "long ", count: 50),
    ]

    @Test func encodesTheDesignFormatExactly() throws {
        let text = String(decoding: IdentityEncoder.encode(Self.persona()), as: UTF8.self)
        #expect(text == """
            # Managed by persona-registry from the persona table. Edit the database, not this file.
            id: 1
            slug: developer-con-1
            name: Con
            role: developer
            status: active
            description: Backend Python development
            created_at: 2026-11-24T17:22:53Z

            """)
    }

    @Test func absentDescriptionIsNull() throws {
        let text = String(decoding: IdentityEncoder.encode(Self.persona(description: nil)), as: UTF8.self)
        #expect(text.contains("\ndescription: null\n"))
        let fields = try IdentityDecoder.decode(IdentityEncoder.encode(Self.persona(description: nil)))
        #expect(ResolvedScalar(try #require(fields[.description])) == .null)
    }

    @Test(arguments: trickyNames)
    func trickyNameRoundTripsThroughOurParser(_ name: String) throws {
        let persona = Self.persona(name: name, role: name, description: name)
        let bytes = IdentityEncoder.encode(persona)
        let fields = try IdentityDecoder.decode(bytes)
        #expect(ResolvedScalar(try #require(fields[.name])) == .string(name))
        #expect(ResolvedScalar(try #require(fields[.description])) == .string(name))
        #expect(IdentityComparison.differences(persona, fields).isEmpty)
    }

    @Test func everyFieldStaysOnOneLineInKeyOrder() {
        for name in Self.trickyNames {
            let description = String(repeating: name + " words ", count: 400)
            let text = String(decoding: IdentityEncoder.encode(Self.persona(name: name, description: description)), as: UTF8.self)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == 9 && lines.last == "", "\(Quoted(name)): \(lines.count) lines")
            #expect(lines.dropFirst().dropLast().map { String($0.prefix { $0 != ":" }) }
                    == ["id", "slug", "name", "role", "status", "description", "created_at"])
        }
    }

    @Test func quotesWhatWouldNotReadAsAString() {
        for name in ["yes", "no", "on", "off", "y", "n", "null", "~", "1e3", "0x1F", "12:30", "2026-11-24", "a: b", "#x", "- x", " x", "x ",
                     "a:", "x #y", "ctrl\u{1}x", "del\u{7F}", "c1\u{85}x", "ls\u{2028}x", "ps\u{2029}", "bom\u{FEFF}x", "x\u{FFFE}", "x\u{FFFF}"] {
            #expect(!ScalarRules.isPlainSafe(name), "\(name) must be quoted")
        }
        for name in ["Con", "Robbo", "O'Brien", "Backend, Python development", "emoji 🎭", "developer-con-1",
                     "nbsp\u{A0}x", "€uro", "\u{2027}", "\u{FEFE}", "x#y", "a:b", "é"] {
            #expect(ScalarRules.isPlainSafe(name), "\(name) may be plain")
        }
    }

    @Test func everyTrickyNameReadsBackAsTheSameStringInPyYAML() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("codec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var expected: [[String: String]] = []
        for (index, name) in Self.trickyNames.enumerated() {
            let persona = Self.persona(name: name, role: "r" + name, description: name + "!")
            try Data(IdentityEncoder.encode(persona)).write(to: directory.appendingPathComponent("\(index).yaml"))
            expected.append(["name": name, "role": "r" + name, "description": name + "!"])
        }
        // PyYAML (YAML 1.1, the host's reader) must see the same strings, the id as an int, created_at as a datetime.
        // Each value as its string, or `<python type>:<str(value)>` when PyYAML read something else.
        let parsed = try PythonYAML.load(Self.trickyNames.indices.map { directory.appendingPathComponent("\($0).yaml").path })
            .map { file in file.mapValues { $0["type"] == "str" ? $0["value"] ?? "" : ($0["type"] ?? "") + ":" + ($0["value"] ?? "") } }
        try #require(parsed.count == expected.count)
        for (got, want) in zip(parsed, expected) {
            for (key, value) in want {
                #expect(got[key] == value, "PyYAML read \(key) \(Quoted(want["name"]!)) as \(Quoted(got[key] ?? "nothing"))")
            }
            #expect(got["id"] == "int:1")
            #expect(got["created_at"]?.hasPrefix("datetime:2026-11-24 17:22:53") == true)
            #expect(got["status"] == "active")
            #expect(got["slug"] == "developer-con-1")
        }
    }
}
