import Foundation
import Glibc
import Testing
import TestSupport
@testable import RegistryCore
@testable import RegistrySystem
@testable import RegistryTree

@Suite struct PersonaTreeTests {
    static let templates = SeedTemplates(templates: ["skill.md": "# {{name}}: skills ({{role}}, {{slug}}) {{other}}\n",
                                                     "experience.md": "# {{name}}: experience\n"])

    static func persona(id: Int = 1, name: String = "Con", status: PersonaStatus = .active) -> Persona {
        Persona(id: id, slug: "developer-\(name.lowercased())-\(id)", name: name, role: "developer", roleID: 1,
                status: status, description: nil, createdAt: "2026-11-24T17:22:53Z")
    }

    @Test func createsTheRootAndMaterializesAPersona() throws {
        let temp = try TemporaryTree(createTree: false)
        let tree = try PersonaTree(path: temp.tree, create: true)
        let outcome = try tree.materialize(Self.persona(), templates: Self.templates, identity: .write)
        #expect(outcome.createdDirectory)
        #expect(outcome.seeded == ["skill.md", "experience.md"])
        #expect(outcome.identity == .created)
        #expect(try temp.names("developer-con-1") == ["experience.md", "identity.yaml", "skill.md"])
        #expect(temp.contents("developer-con-1/skill.md") == "# Con: skills (developer, developer-con-1) {{other}}\n")
        #expect(temp.contents("developer-con-1/identity.yaml") == String(decoding: IdentityEncoder.encode(Self.persona()), as: UTF8.self))
        // Nothing planned for the identity file, every seed file there: nothing done.
        let again = try tree.materialize(Self.persona(), templates: Self.templates, identity: nil)
        #expect(again == MaterializeOutcome())
        try tree.flush()
    }

    @Test func missingTreeWithoutCreateIsAnError() throws {
        let temp = try TemporaryTree(createTree: false)
        #expect(throws: SystemError.self) { try PersonaTree(path: temp.tree, create: false) }
    }

    @Test func seedFilesAreNeverOverwritten() throws {
        let temp = try TemporaryTree(createTree: false)
        let tree = try PersonaTree(path: temp.tree, create: true)
        try tree.makePersonaDirectory("developer-con-1")
        try temp.write("developer-con-1/skill.md", "mine")
        let outcome = try tree.materialize(Self.persona(), templates: Self.templates, identity: .write)
        #expect(outcome.seeded == ["experience.md"])
        #expect(temp.contents("developer-con-1/skill.md") == "mine")
        #expect(try tree.files.createFileIfAbsent("skill.md", bytes: Array("new".utf8), slug: "developer-con-1") == false)
        #expect(temp.contents("developer-con-1/skill.md") == "mine")
    }

    @Test func seedFileIsCreatedWholeAndLeavesNoTempFile() throws {
        let temp = try TemporaryTree(createTree: false)
        let tree = try PersonaTree(path: temp.tree, create: true)
        try tree.makePersonaDirectory("developer-con-1")
        let bytes = Array(String(repeating: "seed line\n", count: 20_000).utf8)
        #expect(try tree.files.createFileIfAbsent("skill.md", bytes: bytes, slug: "developer-con-1"))
        #expect(temp.contents("developer-con-1/skill.md") == String(decoding: bytes, as: UTF8.self))
        #expect(try temp.names("developer-con-1") == ["skill.md"])
    }

    @Test func archivedPersonaWithoutDirectoryIsNotCreated() throws {
        let temp = try TemporaryTree(createTree: false)
        let tree = try PersonaTree(path: temp.tree, create: true)
        let outcome = try tree.materialize(Self.persona(status: .archived), templates: Self.templates, identity: .write)
        #expect(outcome.skippedArchived)
        #expect(try temp.names() == [])
    }

    /// What each policy lets a sweep do with a stale, an empty and an invalid identity
    /// file: decided by the plan (`IdentityRepair`), carried out by `materialize`.
    @Test func policiesDecideWhatIsRewritten() throws {
        let temp = try TemporaryTree(createTree: false)
        let tree = try PersonaTree(path: temp.tree, create: true)
        _ = try tree.materialize(Self.persona(), templates: Self.templates, identity: .write)
        var changed = Self.persona()
        changed.name = "Conrad"
        func sweep(_ policy: RepairPolicy) throws -> SweepResult {
            try tree.sweep(personas: [changed], templates: Self.templates, policy: policy)
        }
        // A stale (valid, different) file: reported by checks, rewritten by repair sweeps.
        let check = try sweep(.check)
        #expect(check.plan.actions.isEmpty && check.remaining.map(\.kind) == [.identityMismatch])
        #expect(try sweep(.repairSweep).repairs.map { $0.outcome?.identity } == [.rewritten(preservedAs: nil)])
        #expect(temp.contents("developer-con-1/identity.yaml")!.contains("name: Conrad\n"))
        // An empty file: rewritten by a repair sweep, left by a check.
        try temp.write("developer-con-1/identity.yaml", "")
        #expect(try sweep(.check).remaining.map(\.kind) == [.invalidIdentity])
        #expect(temp.contents("developer-con-1/identity.yaml") == "")
        #expect(try sweep(.repairSweep).repairs.map { $0.outcome?.identity } == [.rewritten(preservedAs: nil)])
        // An invalid file: only reconcile rewrites it, keeping the old bytes.
        try temp.write("developer-con-1/identity.yaml", "name: [hand written]\n")
        let repair = try sweep(.repairSweep)
        #expect(repair.plan.actions.isEmpty && repair.remaining.map(\.kind) == [.invalidIdentity])
        #expect(temp.contents("developer-con-1/identity.yaml") == "name: [hand written]\n")
        let outcome = try #require(try sweep(.reconcile).repairs.first?.outcome)
        guard case .rewritten(let kept?) = outcome.identity else { Issue.record("expected a rewrite keeping the old file"); return }
        #expect(kept.hasPrefix("identity.yaml.rejected-") && kept.hasSuffix("Z"))
        #expect(temp.contents("developer-con-1/" + kept) == "name: [hand written]\n")
        #expect(temp.contents("developer-con-1/identity.yaml")!.contains("name: Conrad\n"))
    }

    @Test func nonRegularIdentityFilesAreNeverOpenedOrReplaced() throws {
        let temp = try TemporaryTree(createTree: false)
        let tree = try PersonaTree(path: temp.tree, create: true)
        try tree.makePersonaDirectory("developer-con-1")
        #expect(mkfifo(temp.path("developer-con-1/identity.yaml"), 0o644) == 0)
        #expect(try tree.files.readIdentity("developer-con-1") == .notRegularFile(.fifo))
        // Not even reconcile plans anything for it: reported only.
        let fifo = try tree.sweep(personas: [Self.persona()], templates: Self.templates, policy: .reconcile)
        #expect(fifo.repairs.map(\.action) == [.writeSeedFiles(Self.persona(), names: ["experience.md", "skill.md"])])
        #expect(fifo.remaining.map(\.detail) == ["identity.yaml is a FIFO, not a regular file"])
        try FileManager.default.removeItem(atPath: temp.path("developer-con-1/identity.yaml"))
        try FileManager.default.createSymbolicLink(atPath: temp.path("developer-con-1/identity.yaml"), withDestinationPath: "/etc/passwd")
        #expect(try tree.files.readIdentity("developer-con-1") == .notRegularFile(.symlink))
        _ = try tree.sweep(personas: [Self.persona()], templates: Self.templates, policy: .reconcile)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: temp.path("developer-con-1/identity.yaml")) == "/etc/passwd")
        try FileManager.default.removeItem(atPath: temp.path("developer-con-1/identity.yaml"))
        try FileManager.default.createDirectory(atPath: temp.path("developer-con-1/identity.yaml"), withIntermediateDirectories: false)
        #expect(try tree.files.readIdentity("developer-con-1") == .notRegularFile(.directory))
    }

    @Test func aSymlinkedPersonaDirectoryIsNotFollowed() throws {
        let temp = try TemporaryTree(createTree: false)
        let tree = try PersonaTree(path: temp.tree, create: true)
        let outside = temp.tree + "-outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: outside) }
        try FileManager.default.createSymbolicLink(atPath: temp.path("developer-con-1"), withDestinationPath: outside)
        #expect(throws: (any Error).self) { try tree.materialize(Self.persona(), templates: Self.templates, identity: .write) }
        #expect(throws: SystemError.self) { try tree.files.readIdentity("developer-con-1") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside) == [])
    }

    @Test func invalidSlugsNeverBecomePaths() throws {
        let temp = try TemporaryTree(createTree: false)
        let tree = try PersonaTree(path: temp.tree, create: true)
        for slug in ["..", "../x", "a/b", "", "A", "x-", String(repeating: "a", count: 201)] {
            #expect(throws: RegistryError.self) { try tree.makePersonaDirectory(slug) }
        }
    }

    @Test func oversizedIdentityIsNotRead() throws {
        let temp = try TemporaryTree(createTree: false)
        let tree = try PersonaTree(path: temp.tree, create: true)
        try tree.makePersonaDirectory("developer-con-1")
        let fd = open(temp.path("developer-con-1/identity.yaml"), O_CREAT | O_WRONLY, 0o644)
        #expect(ftruncate(fd, 100 * 1024 * 1024) == 0)
        close(fd)
        #expect(try tree.files.readIdentity("developer-con-1") == .tooLarge(size: 100 * 1024 * 1024))
    }

    @Test func leftoverTempFilesOfDeadWritersAreRemovedOnlyIfOurs() throws {
        let temp = try TemporaryTree(createTree: false)
        let tree = try PersonaTree(path: temp.tree, create: true)
        try tree.makePersonaDirectory("developer-con-1")
        // pid 2^22+1 is above the kernel's pid_max limit, so it cannot be alive.
        let dead = ".identity.yaml.tmp-4194305-3"
        try temp.write("developer-con-1/" + dead, "half")
        try temp.write("developer-con-1/.identity.yaml.tmp-x", "not ours")
        let live = ".identity.yaml.tmp-1-1"  // pid 1 is alive
        try temp.write("developer-con-1/" + live, "busy")
        #expect(TempFileName.isTempFile(dead))
        #expect(!TempFileName.isTempFile(".identity.yaml.tmp-x"))
        #expect(try tree.files.removeLeftoverTempFile(dead, slug: "developer-con-1"))
        #expect(try !tree.files.removeLeftoverTempFile(".identity.yaml.tmp-x", slug: "developer-con-1"))
        #expect(try !tree.files.removeLeftoverTempFile(live, slug: "developer-con-1"))
        #expect(try temp.names("developer-con-1") == [".identity.yaml.tmp-1-1", ".identity.yaml.tmp-x"])
    }

    @Test func listingStreamsNamesAndTypes() throws {
        let temp = try TemporaryTree(createTree: false)
        let tree = try PersonaTree(path: temp.tree, create: true)
        try tree.makePersonaDirectory("developer-con-1")
        try temp.write("stray.txt", "x")
        try FileManager.default.createSymbolicLink(atPath: temp.path("link"), withDestinationPath: "/etc")
        var seen: [String: EntryType] = [:]
        try tree.forEachRootEntry { seen[$0.name] = $0.type }
        #expect(seen == ["developer-con-1": .directory, "stray.txt": .regular, "link": .symlink])
    }
}

@Suite struct SweepTests {
    @Test func sweepsFollowThePolicyAndReportWhatRemains() throws {
        let temp = try TemporaryTree(createTree: false)
        let tree = try PersonaTree(path: temp.tree, create: true)
        let con = PersonaTreeTests.persona(id: 1, name: "Con")
        let old = PersonaTreeTests.persona(id: 2, name: "Old", status: .archived)
        let templates = PersonaTreeTests.templates
        let first = try tree.sweep(personas: [con, old], templates: templates, policy: .check)
        #expect(first.found.map(\.kind) == [.missingDirectory])
        #expect(first.remaining.isEmpty)
        #expect(try temp.names() == ["developer-con-1"])

        var renamed = con
        renamed.name = "Conrad"
        try FileManager.default.createDirectory(atPath: temp.path("orphan-x-9"), withIntermediateDirectories: false)
        let check = try tree.sweep(personas: [renamed, old], templates: templates, policy: .check)
        #expect(check.repairs.isEmpty)
        #expect(check.remaining.map(\.kind) == [.identityMismatch, .orphanDirectory])
        let dry = try tree.sweep(personas: [renamed, old], templates: nil, policy: .repairSweep, dryRun: true)
        #expect(dry.plan.actions == [.rewriteIdentity(renamed, differing: ["name"])])
        #expect(temp.contents("developer-con-1/identity.yaml")!.contains("name: Con\n"), "a dry run changes nothing")
        let repair = try tree.sweep(personas: [renamed, old], templates: templates, policy: .repairSweep)
        #expect(repair.remaining.map(\.kind) == [.orphanDirectory])
        #expect(temp.contents("developer-con-1/identity.yaml")!.contains("name: Conrad\n"))
    }

    @Test func sweepReportsProgressForEveryEntryReadAndRepaired() throws {
        let temp = try TemporaryTree(createTree: false)
        let tree = try PersonaTree(path: temp.tree, create: true)
        let personas = (1...6).map { PersonaTreeTests.persona(id: $0, name: "P\($0)") }
        try tree.makePersonaDirectory("developer-p6-6")  // a person made it: its files are missing
        var calls = 0
        let first = try tree.sweep(personas: personas, templates: PersonaTreeTests.templates, policy: .check, progress: { calls += 1 })
        // One root entry read, six repairs, and a re-check of the one directory the sweep did
        // not make itself (the five it made hold just what it wrote).
        #expect(calls == 8)
        #expect(first.remaining.isEmpty)
        try FileManager.default.createDirectory(atPath: temp.path("orphan-x-9"), withIntermediateDirectories: false)
        calls = 0
        _ = try tree.sweep(personas: personas, templates: PersonaTreeTests.templates, policy: .check, progress: { calls += 1 })
        // Seven root entries read, nothing to repair.
        #expect(calls == 7)
    }

    @Test func seedTemplatesRenderPlaceholdersOnce() {
        let persona = PersonaTreeTests.persona(name: "{{role}}")
        #expect(SeedTemplates.render("{{name}} {{role}} {{slug}} {{x}} {{", persona: persona)
                == "{{role}} developer developer-{{role}}-1 {{x}} {{")
    }
}

@Suite struct SnapshotTests {
    @Test func oneStreamingPassClassifiesEveryRootEntry() throws {
        let temp = try TemporaryTree(createTree: false)
        let tree = try PersonaTree(path: temp.tree, create: true)
        let con = PersonaTreeTests.persona()
        _ = try tree.materialize(con, templates: PersonaTreeTests.templates, identity: .write)
        try temp.write("developer-con-1/.identity.yaml.tmp-4194305-2", "")
        try temp.write(".persona-registry.lock", "")
        try temp.write(".gitkeep", "")
        try temp.write("README", "x")
        try FileManager.default.createDirectory(atPath: temp.path("Not A Slug"), withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: temp.path("developer-ann-2"), withDestinationPath: "/tmp")
        let raw = Array((temp.tree + "/bad-").utf8) + [0xFF, 0]  // a name that is not UTF-8
        let fd = raw.withUnsafeBufferPointer { open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_CREAT | O_WRONLY, 0o644) }
        #expect(fd >= 0)
        close(fd)
        let snapshot = try tree.snapshot()
        #expect(snapshot.entries.count == 2)
        #expect(snapshot.entries["developer-ann-2"] == .notDirectory(.symlink))
        guard case .directory(let directory)? = snapshot.entries["developer-con-1"] else {
            Issue.record("developer-con-1 must be a persona directory"); return
        }
        #expect(directory.tempFiles == [".identity.yaml.tmp-4194305-2"])
        #expect(directory.identity == IdentityState(.contents(IdentityEncoder.encode(con))))
        #expect(snapshot.strays.sorted { $0.name < $1.name }.map(\.type) == [.directory, .regular, .regular])
        #expect(snapshot.strays.contains { $0.name == "bad-\u{FFFD}" })
        #expect(try tree.inspect("developer-con-1") == snapshot.entries["developer-con-1"])
        #expect(try tree.inspect("developer-zed-3") == nil)
    }
}

@Suite struct PreserveTests {
    @Test func preservingKeepsTheBytesByLinkOrCopyAndNeverReplaces() throws {
        let temp = try TemporaryTree(createTree: false)
        let tree = try PersonaTree(path: temp.tree, create: true)
        try tree.makePersonaDirectory("developer-con-1")
        try temp.write("developer-con-1/identity.yaml", "hand: [written]\n")
        try tree.files.preserveIdentity(slug: "developer-con-1", as: "identity.yaml.rejected-a")
        #expect(temp.contents("developer-con-1/identity.yaml.rejected-a") == "hand: [written]\n")
        #expect(throws: SystemError.self) { try tree.files.preserveIdentity(slug: "developer-con-1", as: "identity.yaml.rejected-a") }
        // The copy used where the file system has no hard links.
        let directory = try tree.openPersonaDirectory("developer-con-1")
        try tree.files.copyIdentity(in: directory, slug: "developer-con-1", to: "identity.yaml.rejected-b", display: "b")
        #expect(temp.contents("developer-con-1/identity.yaml.rejected-b") == "hand: [written]\n")
        #expect(throws: SystemError.self) {
            try tree.files.copyIdentity(in: directory, slug: "developer-con-1", to: "identity.yaml.rejected-b", display: "b")
        }
    }
}
