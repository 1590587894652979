import Logging
@testable import RegistryDaemon
import Testing

/// The `event=` names are what operators filter on and tests wait for: one per
/// kind of line, stable, in snake case.
@Suite struct DaemonEventTests {
    @Test func namesAreSnakeCaseAndUnique() {
        let names = DaemonEvent.allCases.map(\.name)
        #expect(Set(names).count == names.count)
        // Each written out as its case's name in snake case.
        for event in DaemonEvent.allCases {
            let snake = String(describing: event).reduce(into: "") { name, character in
                if character.isUppercase { name += "_" + character.lowercased() } else { name.append(character) }
            }
            #expect(event.name == snake)
        }
        #expect(names.allSatisfy { $0.allSatisfy { $0.isLowercase || $0 == "_" } })
        #expect(DaemonEvent.sweepFinished.name == "sweep_finished")
        #expect(DaemonEvent.connectStillFailing.field == "event=connect_still_failing")
    }

    @Test func aLoggedLineCarriesTheEventAtItsLevel() {
        let captured = Captured()
        let logger = Logger(label: "test") { _ in captured }
        logger.log(.finding, "finding: orphan_directory", ["slug": "a-b-1"])
        #expect(captured.lines == ["warning: finding: orphan_directory event=finding slug=a-b-1"])
    }

    @Test func failuresAreLoggedAboveInfoAndRepeatsBelow() {
        #expect(DaemonEvent.startupFailed.level == .critical)
        #expect(DaemonEvent.connectFailed.level == .warning)
        #expect(DaemonEvent.connectStillFailing.level == .debug)
        #expect(DaemonEvent.failuresCleared.level == .notice)
    }
}

/// Formats what it is given as the daemon's handler does, and keeps the lines.
private final class Captured: LogHandler, @unchecked Sendable {
    var lines: [String] = []
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lines.append(LogLine.format(level: event.level, message: "\(event.message)", metadata: event.metadata ?? [:],
                                    journal: false, timestamp: nil))
    }
}
