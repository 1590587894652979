import ArgumentParser
import RegistryCore
import RegistryDatabase

struct ReplicaUnsubscribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unsubscribe",
        abstract: "On a host: drop the subscription and its slot on the publisher; the triggers fire for local rows only again.",
        discussion: "The local tables keep the rows copied so far; their id sequences move past them, so local inserts work.")

    @OptionGroup var connection: ConnectionOptions

    @Option(help: ArgumentHelp("The subscription (default: the only one).", valueName: "name"))
    var name: String?

    @Flag(help: "The publisher is gone: drop the subscription without reaching it, leaving its slot there.")
    var forgetSlot = false

    func run() throws {
        let dropped = Escaping.escaped(try ReplicaSubscriber.unsubscribe(name: name, forgetSlot: forgetSlot,
                                                                          on: connection.connect()))
        print(forgetSlot
              ? "Dropped subscription \(dropped); its slot \(dropped) stays on the publisher: drop it there with SELECT pg_drop_replication_slot('\(dropped)')"
              : "Dropped subscription \(dropped) and its slot on the publisher")
    }
}
