import RegistryDatabase

/// A connection that failed with nothing configured (no --database-url, DATABASE_URL or PG*
/// variable): libpq's message names only its default socket, so the line adds how to point
/// the registry at a server.
struct UnconfiguredConnection: Error, CustomStringConvertible {
    var underlying: Error

    var description: String {
        "\(underlying) (nothing configured: libpq's defaults were tried; name a server with --database-url URL or DATABASE_URL=URL)"
    }

    /// Whether the environment configures a connection in libpq's own variables.
    static func libpqConfigured(_ environment: [String: String]) -> Bool {
        environment.contains { key, value in key.hasPrefix("PG") && !value.isEmpty }
    }
}
