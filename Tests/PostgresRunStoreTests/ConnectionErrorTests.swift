import Foundation
import PostgresRunStore
import RunStore
import Testing

/// Connection failures are one sentence that says what happened and what to do, soon, and
/// never with the password.
@Suite struct ConnectionErrorTests {
    @Test func refusedPortFailsFastAndSaysWhere() throws {
        let start = Date()
        #expect {
            _ = try PostgresRunStore.open(url: "postgres://ann:topsecret@127.0.0.1:1/runs")
        } throws: { error in
            let text = "\(error)"
            return text.contains("cannot reach PostgreSQL at 127.0.0.1:1") && !text.contains("topsecret")
        }
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test func silentHostTimesOutAfterTheConnectTimeout() throws {
        // 10.255.255.1 is unroutable here: the TCP handshake never completes.
        let start = Date()
        #expect {
            _ = try PostgresRunStore.open(url: "postgres://ann:topsecret@10.255.255.1:5432/runs", connectTimeoutSeconds: 1)
        } throws: { error in
            let text = "\(error)"
            return text.contains("cannot reach PostgreSQL at 10.255.255.1:5432") && !text.contains("topsecret")
        }
        #expect(Date().timeIntervalSince(start) < 4)
    }

    @Test(.enabled(if: TestServer.shouldRun)) func wrongPasswordNamesUserDatabaseAndSource() throws {
        let url = try TestServer.requireURL()
        guard var components = URLComponents(string: url) else { throw CancellationError() }
        components.password = "definitely-wrong-\(UUID().uuidString.prefix(6))"
        let wrong = components.string ?? url
        let start = Date()
        #expect {
            _ = try PostgresRunStore.open(url: wrong)
        } throws: { error in
            let text = "\(error)"
            return text.contains("refused user \(components.user ?? "")'s password for database")
                && text.contains("from the URL") && !text.contains("definitely-wrong")
        }
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test(.enabled(if: TestServer.shouldRun)) func missingDatabaseSaysToCreateIt() throws {
        let url = try TestServer.requireURL()
        guard var components = URLComponents(string: url) else { throw CancellationError() }
        components.path = "/no_such_db_\(UUID().uuidString.prefix(6).lowercased())"
        #expect {
            _ = try PostgresRunStore.open(url: components.string ?? url)
        } throws: { error in
            "\(error)".contains("has no database") && "\(error)".contains("createdb")
        }
    }
}
