@testable import RegistryCore
@testable import RegistryDatabase
@testable import RegistrySystem
import Testing

@Suite("grants: identifiers PostgreSQL reads back as the names given")
struct GrantsTests {
    @Test("plain lowercase names stay bare")
    func plainNames() {
        #expect(Grants.identifier("persona_registry_daemon") == "persona_registry_daemon")
        #expect(Grants.identifier("headspace2") == "headspace2")
    }

    @Test("names PostgreSQL would fold, or that are not identifiers, are quoted")
    func quotedNames() {
        #expect(Grants.identifier("Headspace") == "\"Headspace\"")
        #expect(Grants.identifier("persona-registry") == "\"persona-registry\"")
        #expect(Grants.identifier("2fa") == "\"2fa\"")
        #expect(Grants.identifier("we\"ird") == "\"we\"\"ird\"")
    }

    @Test("reserved words and PUBLIC-like names are quoted: bare they are a syntax error or someone else")
    func reservedWords() {
        for name in ["user", "all", "public", "current_user", "session_user", "current_role", "none", "select", "left", "verbose"] {
            #expect(Grants.identifier(name) == "\"\(name)\"", "\(name)")
        }
        let script = Grants.script(database: "all", daemonUser: "public", cliUser: "current_user")
        #expect(script.contains("GRANT CONNECT ON DATABASE \"all\" TO \"public\";"))
        #expect(script.contains("GRANT SELECT ON persona TO \"current_user\";"))
        #expect(!script.contains("TO public;") && !script.contains("TO current_user;"))
    }
}
