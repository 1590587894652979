import RegistryCore

/// What the `replica` commands refuse or cannot do, as a closed set callers can
/// switch on; `description` is the one line an operator reads, with what to do.
public enum ReplicationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `replica publish` on a server whose `wal_level` is not `logical` (the level it has).
    case walLevelNotLogical(String)
    /// The role and persona tables are missing on this side (`publisher`, `subscriber`).
    case tablesMissing(side: String)
    /// A CLI write on a logical replica: the publisher (as its connection names it) and the subscription.
    case writeOnReplica(publisher: String?, subscription: String)
    /// A subscription name outside the registry's prefix and alphabet.
    case invalidSubscriptionName(String)
    /// A subscription of that name exists and is to another publication.
    case subscriptionNameTaken(String)
    /// `replica subscribe` on a database whose tables already hold rows.
    case subscriberNotEmpty
    /// The server refused `CREATE SUBSCRIPTION`: the publisher as shown, the server's reason.
    case subscribeRefused(publisher: String, reason: String)
    /// The initial copy had not finished by the deadline; it goes on in the background.
    case initialCopyUnfinished(subscription: String, seconds: Int)
    /// No subscription of that name to the registry's publication.
    case noSuchSubscription(String)
    /// This database has no subscription to the registry's publication.
    case noSubscription
    /// Several subscriptions, and none named: their names.
    case severalSubscriptions([String])
    /// The server refused `DROP SUBSCRIPTION` (the publisher unreachable): the subscription, the reason.
    case dropRefused(subscription: String, reason: String)
    /// `replica status` on a database that neither publishes nor subscribes.
    case notReplicated

    public var description: String {
        let publication = Replication.publication
        switch self {
        case .walLevelNotLogical(let level):
            return "wal_level is \(level), logical replication needs logical: run ALTER SYSTEM SET wal_level = logical; "
                + "on this server and restart PostgreSQL (a reload is not enough), then run replica publish again"
        case .tablesMissing(let side):
            return "the role and persona tables are missing on the \(side): run persona-registry migrate up there first"
        case .writeOnReplica(let publisher, let subscription):
            return "this database is a logical replica of \(publisher.map { String(describing: Quoted($0)) } ?? "its publisher") "
                + "(subscription \(Escaping.escaped(subscription))): add and change roles and personas there"
        case .invalidSubscriptionName(let name):
            return "a subscription name is \(Replication.subscriptionPrefix) followed by lower-case letters, digits and underscores, "
                + "at most 63 characters (\(Quoted(name)) is not): the publisher's replica status finds its slots by that prefix"
        case .subscriptionNameTaken(let name):
            return "a subscription named \(name) exists but is not to the \(publication) publication: choose another --name"
        case .subscriberNotEmpty:
            return "the local role and persona tables hold rows: a subscriber starts empty and the publisher's rows are "
                + "copied in (use a fresh database, migrate up, then subscribe)"
        case .subscribeRefused(let publisher, let reason):
            return "cannot subscribe to \(Quoted(publisher)): \(reason.joinedLines())"
        case .initialCopyUnfinished(let subscription, let seconds):
            return "the initial copy for subscription \(subscription) did not finish within \(seconds) s; it goes on in the "
                + "background: see persona-registry replica status, and the server log for errors"
        case .noSuchSubscription(let name):
            return "no subscription named \(Quoted(name)) to the \(publication) publication in this database"
        case .noSubscription:
            return "this database has no subscription to the \(publication) publication"
        case .severalSubscriptions(let names):
            return "this database has \(names.count) subscriptions (\(Escaping.escaped(names.joined(separator: ", ")))): name one with --name"
        case .dropRefused(let subscription, let reason):
            let name = Escaping.escaped(subscription)
            return "cannot drop subscription \(name): \(reason.joinedLines()) (when the publisher is gone for good, run "
                + "again with --forget-slot and drop the slot \(name) on the publisher if it ever returns)"
        case .notReplicated:
            return "this database neither publishes nor subscribes to \(publication): run replica publish "
                + "on the primary, replica subscribe on a host"
        }
    }
}
