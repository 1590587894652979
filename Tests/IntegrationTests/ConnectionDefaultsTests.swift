import Testing
import Glibc
import RegistryCore
import RegistryDatabase
import RegistrySystem

@Suite("connection defaults on a real connection")
struct ConnectionDefaultsTests {
    @Test("a connection with the daemon's settings has keepalives and a TCP user timeout")
    func daemonSettingsInEffect() throws {
        let connection = try PostgresConnection(url: try TestServer.adminURL(), settings: ConnectionParameters.daemon)
        let options = connection.options
        #expect(options["keepalives"] == "1")
        #expect(options["keepalives_idle"] == "15")
        #expect(options["keepalives_interval"] == "5")
        #expect(options["keepalives_count"] == "3")
        #expect(options["tcp_user_timeout"] == "30000")
    }

    @Test("the URL's own keepalive settings win over the daemon's")
    func urlWins() throws {
        let url = try TestServer.adminURL() + "?keepalives_idle=7&tcp_user_timeout=9000"
        let connection = try PostgresConnection(url: url, settings: ConnectionParameters.daemon)
        #expect(connection.options["keepalives_idle"] == "7")
        #expect(connection.options["tcp_user_timeout"] == "9000")
        #expect(connection.options["keepalives_count"] == "3")
    }
}
