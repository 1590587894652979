import Logging
import Testing
@testable import RegistryDaemon

/// The buffer's lines are the bytes `LogLine.format` makes for the same event (tests and
/// operators quote them), and it writes them in whole lines, at most `PIPE_BUF` (4096 bytes) at a time.
@Suite struct LogLineBufferTests {
    /// Names a row may carry: plain, with what makes a value quoted, with what is escaped.
    static let slugs = ["developer-con-1", "", "a b", "a=b", "a\"b", "back\\slash", "new\nline", "tab\there", "cr\r",
                        "caf\u{E9}-1", "zero\u{200B}width", "rtl\u{202E}mark", "nul\u{0}byte", "del\u{7F}", "c1\u{85}",
                        "emoji-\u{1F600}", "  ", "=", "\"", "x\ny z"]
    static let ids = [0, 1, 42, -5, 1_234_567_890, Int.max, Int.min]

    private func expected(_ event: DaemonEvent, _ message: String, slug: String, id: Int, files: [String]?,
                          journal: Bool, timestamp: String?) -> String {
        var metadata: Logger.Metadata = ["slug": "\(slug)", "id": "\(id)", "event": "\(event.name)"]
        if let files { metadata["files"] = "\(files.joined(separator: ","))" }
        return LogLine.format(level: event.level, message: message, metadata: metadata, journal: journal, timestamp: timestamp) + "\n"
    }

    private func written(_ fill: (inout LogLineBuffer) -> Void, journal: Bool, timestamp: String?) -> [String] {
        var chunks: [String] = []
        var buffer = LogLineBuffer(level: .info, journal: journal, timestamp: timestamp) { chunks.append(String(decoding: $0, as: UTF8.self)) }
        fill(&buffer)
        buffer.flush()
        return chunks
    }

    @Test(arguments: [false, true]) func sameBytesAsTheLogger(journal: Bool) {
        let timestamp = journal ? nil : "2026-11-24T17:22:53Z"
        for slug in Self.slugs {
            for id in Self.ids {
                for files in [nil, ["skill.md"], ["a b.md", "c=d"], [String]()] as [[String]?] {
                    let event: DaemonEvent = files == nil ? .directoryCreated : .seedFilesCreated
                    let message = files == nil ? "created the persona directory" : "created missing seed files from the templates"
                    let chunks = written({ $0.append(event, message, slug: slug, id: id, files: files) },
                                         journal: journal, timestamp: timestamp)
                    #expect(chunks == [expected(event, message, slug: slug, id: id, files: files, journal: journal, timestamp: timestamp)])
                }
            }
        }
        let plain = written({ $0.append(.directoryCreated, "created the persona directory", slug: "developer-con-1", id: 1) },
                            journal: journal, timestamp: timestamp)
        #expect(plain == [journal ? "<6>created the persona directory event=directory_created id=1 slug=developer-con-1\n"
                                  : "2026-11-24T17:22:53Z info: created the persona directory event=directory_created id=1 slug=developer-con-1\n"])
    }

    @Test func writesWholeLinesAtMostPipeBufAtATime() {
        var lines: [String] = []
        let chunks = written({ buffer in
            for id in 1...3_000 {
                let slug = "developer-" + String(repeating: "x", count: id % 97) + "-\(id)"
                buffer.append(.identityWritten, "wrote the identity file", slug: slug, id: id)
                lines.append(expected(.identityWritten, "wrote the identity file", slug: slug, id: id, files: nil, journal: true, timestamp: nil))
            }
        }, journal: true, timestamp: nil)
        #expect(chunks.count > 1)
        #expect(LogLineBuffer.writeLimit == 4_096)
        #expect(chunks.allSatisfy { $0.utf8.count <= LogLineBuffer.writeLimit && $0.hasSuffix("\n") })
        #expect(chunks.joined() == lines.joined())
    }

    @Test func aLineLongerThanAWriteIsWrittenWhole() {
        let long = String(repeating: "y", count: 100_000)
        let chunks = written({ buffer in
            buffer.append(.directoryCreated, "created the persona directory", slug: "a-b-1", id: 1)
            buffer.append(.directoryCreated, "created the persona directory", slug: long, id: 2)
            buffer.append(.directoryCreated, "created the persona directory", slug: "a-b-3", id: 3)
        }, journal: true, timestamp: nil)
        #expect(chunks.count == 3)
        #expect(chunks[1] == "<6>created the persona directory event=directory_created id=2 slug=\(long)\n")
    }

    @Test func nothingHeldNothingWritten() {
        #expect(written({ _ in }, journal: false, timestamp: nil).isEmpty)
    }
}
