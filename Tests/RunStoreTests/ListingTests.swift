import Foundation
import Testing
@testable import RunStore

@Suite("Listing runs")
struct ListingTests {
    /// A store and the directory that holds it: the directory is removed when released, so
    /// it lives as long as the store is used.
    private struct Seeded {
        let directory: TemporaryDirectory
        let store: RunDatabase
        let ids: [String: Int64]
    }

    /// Five runs started out of insertion order, two sharing a start time.
    private func seeded() throws -> Seeded {
        let directory = try TemporaryDirectory()
        let store = try RunDatabase.open(path: directory.file("runs.sqlite"))
        let specs: [(String, Double, String?, [String])] = [
            ("b", 200, "mlp:1-100-1", ["sweep"]),
            ("a", 100, "mlp:1-10-1", ["sweep", "small"]),
            ("d", 400, "poly:3", []),
            ("c", 300, "mlpx", ["small"]),
            ("e", 400, "mlp:1-1000-1", ["sweepy"]),
        ]
        var ids: [String: Int64] = [:]
        for (name, seconds, model, tags) in specs {
            ids[name] = try store.insertRun(
                makeRun(
                    name: name, startedAt: millisecondDate(1_750_000_000 + seconds),
                    modelName: model, tags: tags))
        }
        return Seeded(directory: directory, store: store, ids: ids)
    }

    @Test func runsAreListedNewestFirstWithTiesBrokenByLaterId() throws {
        let seeded = try seeded(), store = seeded.store
        defer { withExtendedLifetime(seeded) {} }
        #expect(try store.runs().map(\.name) == ["e", "d", "c", "b", "a"])
        #expect(try store.runs(limit: 2).map(\.name) == ["e", "d"])
        #expect(try store.runs(limit: 0).isEmpty)
    }

    @Test func modelFilterMatchesTheFamilyOrTheExactName() throws {
        let seeded = try seeded(), store = seeded.store
        defer { withExtendedLifetime(seeded) {} }
        #expect(try store.runs(model: "mlp").map(\.name) == ["e", "b", "a"])
        #expect(try store.runs(model: "mlp:1-100-1").map(\.name) == ["b"])
        #expect(try store.runs(model: "mlpx").map(\.name) == ["c"])
        #expect(try store.runs(model: "rnn").isEmpty)
    }

    @Test func tagFilterMatchesWholeTagsOnly() throws {
        let seeded = try seeded(), store = seeded.store
        defer { withExtendedLifetime(seeded) {} }
        #expect(try store.runs(tag: "sweep").map(\.name) == ["b", "a"])
        #expect(try store.runs(limit: 1, tag: "small").map(\.name) == ["c"])
    }

    @Test func statusFilterCombinesWithTheOthers() throws {
        let seeded = try seeded(), store = seeded.store, ids = seeded.ids
        defer { withExtendedLifetime(seeded) {} }
        try store.finishRun(id: try #require(ids["b"]), status: .completed)
        try store.finishRun(id: try #require(ids["e"]), status: .failed, errorText: "diverged")
        #expect(try store.runs(status: .completed).map(\.name) == ["b"])
        #expect(try store.runs(model: "mlp", status: .running).map(\.name) == ["a"])
        #expect(try store.runs(limit: 2, status: .running).map(\.name) == ["d", "c"])
        #expect(try store.runs(status: .failed).first?.errorText == "diverged")
        #expect(try store.runs(status: .crashed).isEmpty)
    }
}
