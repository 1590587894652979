import Testing
import RegistryDatabase

@Suite("connection strings in logs")
struct ConnectionStringTests {
    @Test("passwords are redacted", arguments: [
        ("postgresql://con:s3cret@db.example:5432/headspace", "postgresql://con:***@db.example:5432/headspace"),
        ("postgres://con:p%40ss@host/db?sslmode=require", "postgres://con:***@host/db?sslmode=require"),
        ("postgresql://host/db?user=con&password=s3cret&sslmode=require", "postgresql://host/db?user=con&password=***&sslmode=require"),
        ("host=db user=con password=s3cret dbname=x", "host=db user=con password=*** dbname=x"),
        ("host=db password = 'a b\\' c' dbname=x", "host=db password=*** dbname=x"),
        ("postgresql://con@host/db", "postgresql://con@host/db"),
        ("dbname=passwords", "dbname=passwords"),
    ])
    func redacted(input: String, expected: String) {
        #expect(ConnectionString.redacted(input) == expected)
    }
}

@Suite("which connection string a command uses")
struct ConfiguredConnectionStringTests {
    @Test func theOptionWinsThenTheEnvironmentUnlessEmptyThenLibpq() {
        let environment = ["DATABASE_URL": "postgresql:///from-env"]
        #expect(ConnectionString.configured(explicit: "postgresql:///given", environment: environment) == "postgresql:///given")
        #expect(ConnectionString.configured(explicit: nil, environment: environment) == "postgresql:///from-env")
        #expect(ConnectionString.configured(explicit: nil, environment: ["DATABASE_URL": ""]) == nil)
        #expect(ConnectionString.configured(explicit: nil, environment: ["PGHOST": "/run/postgresql"]) == nil)
    }
}
