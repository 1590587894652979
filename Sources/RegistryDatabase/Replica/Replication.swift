import RegistryCore
import Glibc

/// Names shared by both sides of the registry's logical replication: the
/// publication on the primary, the subscriptions (and their slots, which take
/// the subscription's name) on the hosts, and the triggers that must fire for
/// replicated rows.
public enum Replication {
    /// The publication of `role` and `persona` on the primary.
    public static let publication = "persona_registry"
    /// Every subscription (and so every slot on the publisher) of ours starts
    /// with this, which is how `replica status` on the publisher finds them.
    public static let subscriptionPrefix = "persona_registry_"
    /// The registry's notify triggers: the ones a subscriber sets `ENABLE ALWAYS`.
    static let notifyTriggerPattern = #"persona\_registry\_notify%"#

    /// `persona_registry_<host name>`, folded to what a slot name allows.
    public static func defaultSubscriptionName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let host = gethostname(&buffer, buffer.count - 1) == 0
            ? String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self) : "host"
        var folded = ""
        for scalar in host.lowercased().unicodeScalars {
            let allowed = ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
            folded += allowed ? String(scalar) : "_"
        }
        return String((subscriptionPrefix + folded).prefix(63))
    }

    /// A subscription name we accept: our prefix, then lower-case letters,
    /// digits and underscores (a replication slot's alphabet), at most 63 bytes.
    public static func validateSubscriptionName(_ name: String) throws {
        let rest = name.hasPrefix(subscriptionPrefix) ? name.dropFirst(subscriptionPrefix.count) : ""
        let valid = !rest.isEmpty && name.utf8.count <= 63
            && rest.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        guard valid else {
            throw ReplicationError.invalidSubscriptionName(name)
        }
    }

    /// The tables of the database's layout; refused when no migration made or adopted them.
    @discardableResult
    static func requireTables(on connection: PostgresConnection, side: String) throws -> Tables {
        do {
            return try Tables.detect(on: connection)
        } catch TableError.schemaMissing {
            throw ReplicationError.tablesMissing(side: side)
        }
    }
}
