import ArgumentParser
import RegistryCore
import RegistryDatabase

struct ReplicaPublishCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "On the primary: create the persona_registry publication of role and persona (idempotent).",
        discussion: "Needs wal_level = logical (a restart to change); refuses, creating nothing, otherwise.")

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        switch try ReplicaPublisher.publish(on: connection.connect()) {
        case .created:
            print("Created publication \(Replication.publication) of role, persona")
        case .completed(let added):
            print("Added \(added.joined(separator: ", ")) to publication \(Replication.publication)")
        case .unchanged:
            print("Publication \(Replication.publication) already publishes role and persona")
        }
    }
}
