import Foundation
import Testing

/// A loopback address and port that silently drop every packet sent to them:
/// an nftables table of this test's own that drops them on input, so a
/// connection attempt gets neither an answer nor a reset, as across a network
/// partition. Root only: the test fails, never skips, without it. The table is
/// deleted when this goes away.
final class BlackHole: @unchecked Sendable {
    let address: String
    let port: Int
    private let table: String

    init() throws {
        address = "127.0.\(UInt8.random(in: 1...254)).\(UInt8.random(in: 2...254))"
        port = Int.random(in: 20_000...60_000)
        table = "persona_registry_test_\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
        let rules = "table inet \(table) { chain input { type filter hook input priority 0; "
            + "ip daddr \(address) tcp dport \(port) drop; }; }"
        let made = try SpawnedCommand.run("/usr/sbin/nft", [rules], environment: [:])
        try #require(made.status == 0, "nft could not add the drop rule (this test needs root and nftables): \(made.stderr)")
    }

    deinit {
        _ = try? SpawnedCommand.run("/usr/sbin/nft", ["delete", "table", "inet", table], environment: [:])
    }
}
