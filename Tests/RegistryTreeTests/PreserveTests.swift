import Testing
import TestSupport
import RegistrySystem
@testable import RegistryTree

/// Keeping an identity file's bytes beside it, by hard link or copy, never replacing one.
@Suite struct PreserveTests {
    @Test func preservingKeepsTheBytesByLinkOrCopyAndNeverReplaces() throws {
        let (temp, tree) = try PersonaTree.withConDirectory()
        try temp.write("developer-con-1/identity.yaml", "hand: [written]\n")
        try tree.files(in: "developer-con-1").preserveIdentity(as: "identity.yaml.rejected-a")
        #expect(temp.contents("developer-con-1/identity.yaml.rejected-a") == "hand: [written]\n")
        #expect(throws: SystemError.self) { try tree.files(in: "developer-con-1").preserveIdentity(as: "identity.yaml.rejected-a") }
        // The copy used where the file system has no hard links.
        let directory = try tree.openPersonaDirectory("developer-con-1")
        try tree.files(of: directory, slug: "developer-con-1").copyIdentity(to: "identity.yaml.rejected-b", display: "b")
        #expect(temp.contents("developer-con-1/identity.yaml.rejected-b") == "hand: [written]\n")
        #expect(throws: SystemError.self) {
            try tree.files(of: directory, slug: "developer-con-1").copyIdentity(to: "identity.yaml.rejected-b", display: "b")
        }
    }
}
