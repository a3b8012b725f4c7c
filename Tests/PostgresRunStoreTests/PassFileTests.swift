import Foundation
import Testing

@testable import PostgresRunStore

@Suite struct PassFileTests {
    @Test func splitsFieldsAtUnescapedColonsAndUnescapesBackslashes() {
        #expect(PostgresPassFile.splitFields(#"db\:1:5432:runs:ann:pa\:ss\\word"#) == ["db:1", "5432", "runs", "ann", #"pa:ss\word"#])
        // The password field keeps later colons, as libpq reads it.
        #expect(PostgresPassFile.splitFields("h:1:d:u:a:b") == ["h", "1", "d", "u", "a:b"])
    }

    @Test func skipsCommentsBlankAndShortLines() {
        let text = """
            # a comment

            too:few:fields
            h:5432:d:u:secret
            """
        #expect(PostgresPassFile.entries(in: text).map(\.fields) == [["h", "5432", "d", "u", "secret"]])
    }

    @Test func firstMatchingLineWinsWithWildcards() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("pgpass")
        let text = """
            other:5432:*:ann:wrong-host
            db.lab:*:runs:bob:wrong-user
            db.lab:*:runs:*:first
            *:*:*:*:second
            """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o600)
        let environment = ["PGPASSFILE": path]
        #expect(PostgresPassFile.password(host: "db.lab", port: 5433, database: "runs", user: "ann", environment: environment) == "first")
        #expect(PostgresPassFile.password(host: "x", port: 1, database: "y", user: "z", environment: environment) == "second")
    }

    @Test func localhostLineMatchesLoopbackAddress() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("pgpass")
        try "localhost:5432:d:u:loop\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o600)
        #expect(
            PostgresPassFile.password(host: "127.0.0.1", port: 5432, database: "d", user: "u", environment: ["PGPASSFILE": path]) == "loop")
        #expect(PostgresPassFile.password(host: "10.0.0.1", port: 5432, database: "d", user: "u", environment: ["PGPASSFILE": path]) == nil)
    }

    @Test func ignoresFileOthersCanReadAndSaysSo() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("pgpass")
        try "*:*:*:*:secret\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o644)
        var notes: [String] = []
        #expect(PostgresPassFile.readPrivateFile(path) { notes.append($0) } == nil)
        #expect(notes.count == 1 && notes[0].contains("chmod 0600"))
        #expect(!notes[0].contains("secret"))
        chmod(path, 0o600)
        #expect(PostgresPassFile.readPrivateFile(path) { notes.append($0) } == "*:*:*:*:secret\n")
    }

    @Test func missingFileGivesNoPassword() {
        #expect(
            PostgresPassFile.password(host: "h", port: 1, database: "d", user: "u", environment: ["PGPASSFILE": "/nonexistent/pgpass"])
                == nil)
    }
}
