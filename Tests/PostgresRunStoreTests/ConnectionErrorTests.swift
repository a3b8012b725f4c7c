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

    @Test func silentServerTimesOutAfterTheConnectTimeout() throws {
        // A socket that listens but never answers: the kernel completes the TCP handshake, and
        // the login then waits for a reply that never comes.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        try #require(bound && listen(listener, 8) == 0)
        let port = Int(UInt16(bigEndian: address.sin_port))
        let start = Date()
        #expect {
            _ = try PostgresRunStore.open(url: "postgres://ann:topsecret@127.0.0.1:\(port)/runs", connectTimeoutSeconds: 1)
        } throws: { error in
            let text = "\(error)"
            return text.contains("cannot reach PostgreSQL at 127.0.0.1:\(port)") && text.contains("no answer within 1 s")
                && !text.contains("topsecret")
        }
        let elapsed = Date().timeIntervalSince(start)
        #expect(elapsed >= 0.9 && elapsed < 4)
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

    @Test(.enabled(if: TestServer.shouldRun)) func aServerThatStopsAnsweringMidCallIsGivenUpAfterTheStatementTimeout() throws {
        let schema = try TestSchema()
        let store = try schema.open()
        defer { try? store.close() }
        store.statementTimeoutSeconds = 1
        let start = Date()
        // pg_sleep stands for a server that took the query and went silent: the call is retried
        // once on a new connection, then fails, instead of waiting for ten seconds.
        #expect {
            try store.execute("SELECT pg_sleep(10)")
        } throws: { error in
            "\(error)".contains("gave no answer within 1 s, twice")
        }
        let waited = Date().timeIntervalSince(start)
        #expect(waited > 1.5 && waited < 6, "waited \(waited) s")
        #expect(try store.runCount() == 0)  // the store reconnects for the next call
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
