import Testing
import RegistryCore
@testable import RegistryDatabase
import RegistrySystem

@Suite("connection parameters")
struct ConnectionParametersTests {
    func settings(_ parameters: ConnectionParameters) -> [String: String] {
        // libpq keeps the last value of a repeated keyword.
        var result: [String: String] = [:]
        for (keyword, value) in zip(parameters.keywords, parameters.values) { result[keyword] = value }
        return result
    }

    @Test("the daemon's keepalives and TCP user timeout are set by default")
    func daemonDefaults() {
        let parameters = ConnectionParameters(url: "postgresql://db/x", settings: ConnectionParameters.daemon) { _ in nil }
        let set = settings(parameters)
        #expect(set["keepalives"] == "1")
        #expect(set["keepalives_idle"] == "15")
        #expect(set["keepalives_interval"] == "5")
        #expect(set["keepalives_count"] == "3")
        #expect(set["tcp_user_timeout"] == "30000")
        #expect(set["connect_timeout"] == "5")
        #expect(set["fallback_application_name"] == "persona-registry")
    }

    @Test("the URL goes last, so its own settings win over the defaults")
    func urlLast() {
        let parameters = ConnectionParameters(url: "host=db keepalives_idle=2", settings: ConnectionParameters.daemon) { _ in nil }
        #expect(parameters.keywords.last == "dbname")
        #expect(parameters.values.last == "host=db keepalives_idle=2")
        #expect(Set(parameters.keywords).count == parameters.keywords.count)
    }

    @Test("PGCONNECT_TIMEOUT in the environment replaces the default connect timeout")
    func environmentWins() {
        let parameters = ConnectionParameters(url: nil, settings: ConnectionParameters.daemon) {
            $0 == "PGCONNECT_TIMEOUT" ? "2" : nil
        }
        #expect(!parameters.keywords.contains("connect_timeout"))
        #expect(!parameters.keywords.contains("dbname"))
        #expect(settings(parameters)["keepalives_idle"] == "15")
    }

    @Test("connect_timeout, one rule for the attempt and the set-up after it: libpq's, clamped to a day")
    func connectTimeout() {
        func timeout(_ value: String?) -> UInt64? {
            ConnectionParameters(value.map { [("connect_timeout", $0)] } ?? []).connectTimeoutMicroseconds
        }
        // libpq waits indefinitely on 0 (and so does the set-up: the loop serves meanwhile).
        #expect(timeout(nil) == nil)
        #expect(timeout("0") == nil)
        #expect(timeout("-3") == nil)
        #expect(timeout("soon") == nil)
        #expect(timeout("1") == 2_000_000)
        #expect(timeout("5") == 5_000_000)
        // A value no deadline could hold is a day, not a trap.
        #expect(timeout("9223372036854775807") == 86_400_000_000)
    }
}
