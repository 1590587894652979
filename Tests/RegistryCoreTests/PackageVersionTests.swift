import RegistryCore
import RegistrySystem
import Testing

/// `persona-registry --version` and the Debian package are one version: the upstream part of the
/// latest debian/changelog entry (without epoch and Debian revision) is the program's version.
@Suite("package version")
struct PackageVersionTests {
    static let changelog = #filePath.replacing("Tests/RegistryCoreTests/PackageVersionTests.swift", with: "debian/changelog")

    /// "persona-registry (1:0.1.0-1) unstable; urgency=medium" -> ("persona-registry", "1:0.1.0-1").
    static func latestEntry() throws -> (package: String, version: String) {
        let first = try #require(try TextFile.read(changelog).split(separator: "\n").first)
        let open = try #require(first.firstIndex(of: "("))
        let close = try #require(first.firstIndex(of: ")"))
        let package = first[..<open].split(separator: " ").joined()
        return (package, String(first[first.index(after: open)..<close]))
    }

    static func upstream(_ version: String) -> String {
        var result = Substring(version)
        if let colon = result.firstIndex(of: ":") { result = result[result.index(after: colon)...] }
        if let dash = result.lastIndex(of: "-") { result = result[..<dash] }
        return String(result)
    }

    @Test("the latest debian/changelog entry is persona-registry at the program's version")
    func changelogMatchesProgram() throws {
        let entry = try Self.latestEntry()
        #expect(entry.package == "persona-registry")
        #expect(Self.upstream(entry.version) == PersonaRegistryVersion.current)
    }

    @Test("the upstream part drops the epoch and the Debian revision", arguments: [
        ("0.1.0-1", "0.1.0"), ("1:0.1.0-2", "0.1.0"), ("0.1.0", "0.1.0"), ("0.1.0~rc1-1-1", "0.1.0~rc1-1"),
    ])
    func upstreamPart(version: String, expected: String) {
        #expect(Self.upstream(version) == expected)
    }
}
