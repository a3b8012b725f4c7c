import Foundation
import RunStore
import Testing

@testable import PostgresRunStore

@Suite struct AddressTests {
    @Test func readsEveryPartOfTheURL() throws {
        let address = try PostgresAddress(
            url: "postgresql://ann:s%40cret@db.lab:6543/runs?sslmode=require&schema=team_a", environment: [:])
        #expect(address.host == "db.lab")
        #expect(address.port == 6543)
        #expect(address.user == "ann")
        #expect(address.password == "s@cret")
        #expect(address.passwordSource == .url)
        #expect(address.database == "runs")
        #expect(address.tlsMode == .require)
        #expect(address.schema == "team_a")
        #expect(address.redacted == "postgres://ann@db.lab:6543/runs?schema=team_a")
    }

    @Test func takesThePasswordFromTheEnvironmentWhenTheURLHasNone() throws {
        let address = try PostgresAddress(url: "postgres://ann@db/runs", environment: ["PGPASSWORD": "env", "PGPASSFILE": "/nonexistent"])
        #expect(address.password == "env")
        #expect(address.passwordSource == .environment)
        #expect(address.port == 5432)
        #expect(address.tlsMode == .disable)
    }

    @Test func defaultsTheDatabaseToTheUser() throws {
        let address = try PostgresAddress(url: "postgres://ann@db", environment: ["PGPASSFILE": "/nonexistent"])
        #expect(address.database == "ann")
        #expect(address.password == nil)
    }

    @Test func refusesMalformedURLsWithoutShowingThePassword() {
        for url in [
            "postgres://ann:topsecret@db/runs?sslmode=sometimes", "postgres://ann:topsecret@db/runs?schema=drop;table",
            "postgres://ann:topsecret@db/runs?color=blue", "postgres://ann:topsecret@/runs",
        ] {
            #expect {
                _ = try PostgresAddress(url: url, environment: [:])
            } throws: { error in
                guard case RunStoreError.invalidLocation = error else { return false }
                return !"\(error)".contains("topsecret")
            }
        }
    }
}
