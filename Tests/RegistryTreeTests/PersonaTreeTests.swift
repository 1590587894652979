import Foundation
import Testing
import TestSupport
import RegistryCore
import RegistrySystem
@testable import RegistryTree

/// Making the root and persona directories, seeding them, listing the root, clearing dead writers' temp files.
@Suite struct PersonaTreeTests: PersonaTreeFixture {
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
        let (temp, tree) = try PersonaTree.withConDirectory()
        try temp.write("developer-con-1/skill.md", "mine")
        let outcome = try tree.materialize(Self.persona(), templates: Self.templates, identity: .write)
        #expect(outcome.seeded == ["experience.md"])
        #expect(temp.contents("developer-con-1/skill.md") == "mine")
        #expect(try tree.files(in: "developer-con-1").createFileIfAbsent("skill.md", bytes: Array("new".utf8)) == false)
        #expect(temp.contents("developer-con-1/skill.md") == "mine")
    }

    @Test func seedFileIsCreatedWholeAndLeavesNoTempFile() throws {
        let (temp, tree) = try PersonaTree.withConDirectory()
        let bytes = Array(String(repeating: "seed line\n", count: 20_000).utf8)
        #expect(try tree.files(in: "developer-con-1").createFileIfAbsent("skill.md", bytes: bytes))
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

    @Test func leftoverTempFilesOfDeadWritersAreRemovedOnlyIfOurs() throws {
        let (temp, tree) = try PersonaTree.withConDirectory()
        // pid 2^22+1 is above the kernel's pid_max limit, so it cannot be alive.
        let dead = ".identity.yaml.tmp-4194305-3"
        try temp.write("developer-con-1/" + dead, "half")
        try temp.write("developer-con-1/.identity.yaml.tmp-x", "not ours")
        let live = ".identity.yaml.tmp-1-1"  // pid 1 is alive
        try temp.write("developer-con-1/" + live, "busy")
        #expect(TempFileName.isTempFile(dead))
        #expect(!TempFileName.isTempFile(".identity.yaml.tmp-x"))
        #expect(try tree.removeLeftoverTempFile(dead, slug: "developer-con-1"))
        #expect(try !tree.removeLeftoverTempFile(".identity.yaml.tmp-x", slug: "developer-con-1"))
        #expect(try !tree.removeLeftoverTempFile(live, slug: "developer-con-1"))
        #expect(try temp.names("developer-con-1") == [".identity.yaml.tmp-1-1", ".identity.yaml.tmp-x"])
    }

    @Test func listingStreamsNamesAndTypes() throws {
        let (temp, tree) = try PersonaTree.withConDirectory()
        try temp.write("stray.txt", "x")
        try FileManager.default.createSymbolicLink(atPath: temp.path("link"), withDestinationPath: "/etc")
        var seen: [String: EntryType] = [:]
        try tree.forEachRootEntry { seen[$0.name] = $0.type }
        #expect(seen == ["developer-con-1": .directory, "stray.txt": .regular, "link": .symlink])
    }
}
