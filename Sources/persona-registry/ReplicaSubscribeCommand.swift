import ArgumentParser
import RegistryCore
import RegistryDatabase

struct ReplicaSubscribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subscribe",
        abstract: "On a host's database (migrated, empty): subscribe to the primary's publication and wait for the initial copy.",
        discussion: """
            --database-url names this host's database (a superuser: PostgreSQL 15 requires one to create \
            a subscription); --publisher is how this server reaches the primary, as a role with the \
            REPLICATION attribute and SELECT on role and persona. The subscription's slot on the publisher \
            takes its name.
            """)

    @OptionGroup var connection: ConnectionOptions

    @Option(help: ArgumentHelp("The primary, as this host's PostgreSQL server reaches it (URL or conninfo).",
                               valueName: "conninfo"))
    var publisher: String

    @Option(help: ArgumentHelp("Subscription and slot name (default: persona_registry_<host name>).", valueName: "name"))
    var name: String?

    @Option(help: ArgumentHelp("Seconds to wait for the initial copy.", valueName: "seconds"))
    var timeout: Int = 300

    func validate() throws {
        guard timeout >= 1 else { throw ValidationError("--timeout must be at least 1 second") }
    }

    func run() throws {
        let subscribed = try ReplicaSubscriber.subscribe(
            publisher: publisher, name: name ?? Replication.defaultSubscriptionName(), timeout: timeout,
            on: connection.connect())
        let verb = subscribed.created ? "Subscribed" : "Already subscribed"
        print("\(verb) as \(subscribed.name) to \(Replication.publication) on \(Escaping.escaped(subscribed.publisher)): "
              + "\(subscribed.roles) roles, \(subscribed.personas) personas copied; "
              + "notify triggers fire for replicated rows")
    }
}
