import ArgumentParser

struct ReplicaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replica",
        abstract: "Serve a host from a local PostgreSQL subscribed to the primary's role and persona tables (logical replication).",
        discussion: """
            On the primary: replica publish. On each host's own database, after migrate up: \
            replica subscribe --publisher CONNINFO. Either side: replica status. On a subscriber the \
            registry's notify triggers fire for replicated rows, so serve and drift work there as on the \
            primary; role add, persona add, archive and activate are refused.
            """,
        subcommands: [ReplicaPublishCommand.self, ReplicaSubscribeCommand.self,
                      ReplicaStatusCommand.self, ReplicaUnsubscribeCommand.self]
    )
}
