@testable import RegistryDatabase
import Testing

/// The attempt at the hosts after one that timed out: the host lists cut after
/// it, a single port kept for all, every other setting unchanged.
@Suite("connect: the hosts after one that timed out")
struct ConnectionHostListTests {
    static func settings(_ pairs: [(String, String)]) -> ConnectionParameters {
        ConnectionParameters(pairs.map { (keyword: $0.0, value: $0.1) })
    }

    @Test("host and port lists are cut after the host; the rest is kept in order")
    func cutsLists() throws {
        let hosts = ConnectionHostList(Self.settings([
            ("host", "a,b,c"), ("port", "5432,5433,5434"), ("dbname", "persona_registry"),
            ("target_session_attrs", "read-write"), ("connect_timeout", "5")]))
        #expect(hosts.count == 3)
        let next = try #require(hosts.after(0))
        #expect(next.keywords == ["host", "port", "dbname", "target_session_attrs", "connect_timeout"])
        #expect(next.values == ["b,c", "5433,5434", "persona_registry", "read-write", "5"])
        #expect(hosts.after(1)?.values.prefix(2) == ["c", "5434"])
        #expect(next.expandsDatabaseName == false)
        #expect(hosts.after(2) == nil)
    }

    @Test("a single port serves every host and is kept; hostaddr decides the count when set")
    func singlePortAndHostaddr() throws {
        let hosts = ConnectionHostList(Self.settings([
            ("host", "db1,db2"), ("hostaddr", "10.0.0.1,10.0.0.2"), ("port", "6432")]))
        #expect(hosts.count == 2)
        #expect(hosts.after(0)?.values == ["db2", "10.0.0.2", "6432"])
        let single = ConnectionHostList(Self.settings([("host", "127.0.0.1"), ("port", "5432")]))
        #expect(single.after(0) == nil)
    }

    @Test("the current host is found from PQhost and PQport, at or after the one before")
    func findsCurrentHost() {
        let hosts = ConnectionHostList(Self.settings([
            ("host", "a,b,a"), ("hostaddr", ",,10.0.0.9"), ("port", "1,2,1")]))
        #expect(hosts.index(host: "a", port: "1", from: 0) == 0)
        #expect(hosts.index(host: "b", port: "2", from: 1) == 1)
        // The same host listed again is the later entry once past the first.
        #expect(hosts.index(host: "a", port: "1", from: 1) == 2)
        // An unknown name (a default socket directory) is taken to be the next host.
        #expect(hosts.index(host: "/run/postgresql", port: "5432", from: 1) == 1)
    }
}
