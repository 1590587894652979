import Logging
import Testing
@testable import RegistryCore
@testable import RegistryDaemon

@Suite struct LogLineTests {
    @Test func plainLineHasTimestampLevelMessageAndSortedMetadata() {
        let line = LogLine.format(level: .info, message: "created the directory", metadata: ["slug": "developer-con-1", "id": "1"],
                                  journal: false, timestamp: "2026-11-24T17:22:53Z")
        #expect(line == "2026-11-24T17:22:53Z info: created the directory id=1 slug=developer-con-1")
    }

    @Test func journalLineHasPriorityPrefixAndNoTimestamp() {
        #expect(LogLine.format(level: .error, message: "lost", metadata: [:], journal: true, timestamp: nil) == "<3>lost")
        #expect(LogLine.format(level: .warning, message: "w", metadata: [:], journal: true, timestamp: nil) == "<4>w")
        #expect(LogLine.format(level: .debug, message: "d", metadata: [:], journal: true, timestamp: nil) == "<7>d")
    }

    @Test func anEventNeverSpansLines() {
        let line = LogLine.format(level: .info, message: "a\nb", metadata: ["name": "x\ny z"], journal: true, timestamp: nil)
        #expect(!line.contains("\n"))
        #expect(line == "<6>a\\nb name=\"x\\ny z\"")
    }

    @Test func passwordsNeverReachTheLine() {
        let line = LogLine.format(level: .info, message: "connecting",
                                  metadata: ["database_url": "postgresql://app:s3cret@db:5432/x", "password": "s3cret"],
                                  journal: false, timestamp: nil)
        #expect(!line.contains("s3cret"))
        #expect(line.contains("postgresql://app:***@db:5432/x"))
    }

    @Test("a secret's key is found in any case and anywhere in the key; others are kept")
    func secretKeysInAnyCase() {
        let line = LogLine.format(level: .info, message: "m",
                                  metadata: ["API_Token": "t0k", "MySecretX": "s3c", "Conninfo": "host=db password=pw1",
                                             "tok": "kept", "urn": "kept2"],
                                  journal: false, timestamp: nil)
        #expect(!line.contains("t0k") && !line.contains("s3c") && !line.contains("pw1"))
        #expect(line.contains("tok=kept") && line.contains("urn=kept2"))
    }
}
