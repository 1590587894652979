import Testing

/// The release link's settings (Package.swift) take effect: they are what keeps the idle
/// daemon's program file small (bench/RESULTS.md, "Idle: the heap trim and the program file's
/// layout"), and a toolchain that reordered its link arguments would undo one silently.
@Suite("the release binary's link")
struct ReleaseLinkTests {
    static func readelf(_ arguments: String...) throws -> String {
        let result = try SpawnedCommand.run("/usr/bin/readelf", arguments + [try Repository.releaseBinary()], environment: [:])
        try #require(result.status == 0, "readelf: \(result.stderr)")
        return result.stdout
    }

    @Test("relative relocations packed (DT_RELR), full RELRO, and no symbol of its own exported")
    func packedAndClosed() throws {
        let dynamic = try Self.readelf("--dynamic", "-W")
        #expect(dynamic.contains("(RELR)"), "no DT_RELR: the relocations are not packed")
        #expect(dynamic.contains("BIND_NOW") || dynamic.contains("Flags: NOW"), "not linked with -z now")
        let exported = try Self.readelf("--dyn-syms", "-W").split(separator: "\n").filter { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            // "   12: 0000000000000000     0 FUNC    GLOBAL DEFAULT  UND PQexec": entry 0 is the null symbol.
            guard fields.count >= 8, fields[0].hasSuffix(":"), let index = Int(fields[0].dropLast()), index > 0 else { return false }
            return fields[6] != "UND"
        }
        #expect(exported.isEmpty, "exported: \(exported.prefix(5))")
    }
}
