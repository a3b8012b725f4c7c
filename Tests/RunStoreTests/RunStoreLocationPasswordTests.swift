import RunStore
import Testing

/// A store URL's password is shown as `***` in messages and left out of a child's environment.
@Suite struct RunStoreLocationPasswordTests {
    @Test(arguments: [
        ("postgres://alice:s3cr:et@db.example:5432/runs?sslmode=require", "postgres://alice@db.example:5432/runs?sslmode=require"),
        ("postgresql://alice:p%40ss@[::1]/runs", "postgresql://alice@[::1]/runs"),
        ("postgres://alice@db/runs", "postgres://alice@db/runs"),
        ("postgres://db/runs", "postgres://db/runs"),
        ("/home/alice/footprint.sqlite", "/home/alice/footprint.sqlite"),
    ])
    func removingThePasswordKeepsEverythingElse(url: String, expected: String) {
        #expect(RunStoreLocation.removingPassword(from: url) == expected)
    }

    @Test func redactingShowsStarsWhereThePasswordWas() {
        #expect(RunStoreLocation.redacting("postgres://alice:s3cret@db/runs") == "postgres://alice:***@db/runs")
        #expect(RunStoreLocation.redacting("postgres://alice@db/runs") == "postgres://alice@db/runs")
    }
}
