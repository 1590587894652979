import Foundation

/// Paths in the checkout the tests were built from.
enum Repository {
    /// The checkout's root: this file is Tests/IntegrationTests/Support/Repository.swift.
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    static var migrations: String { root + "/migrations" }
    static var templates: String { root + "/data/templates" }
    /// Slug-rule inputs shared with the Python host kit's tests.
    static var slugInputs: String { root + "/Tests/Fixtures/slug-inputs.json" }

    static let releaseBinaryVariable = "PERSONA_REGISTRY_RELEASE_BIN"

    /// The release binary (`make build`, static Swift runtime): $PERSONA_REGISTRY_RELEASE_BIN, which
    /// scripts/test sets after its systemd stage has built it. Missing is a failure, never a skip.
    static func releaseBinary() throws -> String {
        guard let path = ProcessInfo.processInfo.environment[releaseBinaryVariable], !path.isEmpty,
              FileManager.default.isExecutableFile(atPath: path) else {
            throw MissingReleaseBinary()
        }
        return path
    }

    struct MissingReleaseBinary: Error, CustomStringConvertible {
        var description: String {
            "\(Repository.releaseBinaryVariable) does not name an executable: run the tests with scripts/test, or `make build` first"
        }
    }

    /// The built `persona-registry` binary: $PERSONA_REGISTRY_BIN, else the debug build of this checkout.
    static let binary: String = {
        if let path = ProcessInfo.processInfo.environment["PERSONA_REGISTRY_BIN"], !path.isEmpty { return path }
        return root + "/.build/debug/persona-registry"
    }()
}
