import ArgumentParser
import RegistryCore
import RegistryDatabase

struct ReplicaStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Either side: the publication and its slots, or the subscriptions, with lag.",
        discussion: """
            On the publisher, every slot named persona_registry_*: active or not, the WAL it retains \
            (an abandoned host's slot keeps WAL until the disk fills: see max_slot_wal_keep_size), lag in \
            bytes and seconds. On a subscriber: enabled, worker running, tables copied, WAL received but \
            not yet applied, seconds since the last message from the publisher.

            Exit status: 0 healthy, 2 lagging (over a limit, or still copying) or inactive (a slot \
            nobody uses, a disabled subscription, no worker), 1 error (including a database that \
            neither publishes nor subscribes).
            """)

    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Output format: text or json.") var format: ListFormat = .text

    @Option(help: ArgumentHelp("Lag in bytes above which a slot or subscription is lagging.", valueName: "bytes"))
    var maxLagBytes: Int64 = 16 * 1024 * 1024

    @Option(help: ArgumentHelp("Lag in seconds above which a slot or subscription is lagging.", valueName: "seconds"))
    var maxLagSeconds: Double = 60

    func run() throws {
        let status = try ReplicaStatus.read(on: connection.connect(), maxLagBytes: maxLagBytes, maxLagSeconds: maxLagSeconds)
        guard let state = status.state else {
            throw ReplicationError.notReplicated
        }
        print(format == .json ? try status.json() : status.text(), terminator: "")
        if state != .healthy { throw ExitCode(2) }
    }
}
