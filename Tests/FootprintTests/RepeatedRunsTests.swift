import Carbon
import Foundation
import FootprintTestKit
import RunStore
import Statistics
import Testing
@testable import Footprint
import RunModel

/// `tracker.repeated`: N trials recorded as runs of one group, summarised with a median and a
/// 95% interval; and the estimate's epochs, whose energy and time start at the same instant.
@Suite struct RepeatedRunsTests {
    @Test func repeatsAreOneTaggedGroupWithASummary() throws {
        let machine = try TrackerTests.raplMachine()
        let (base, directory) = try TrackerTests.makeTracker(machine: machine)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var options = base.options
        options.meters.allowedMeters = [.estimate]
        let tracker = try Tracker(options: options)
        let repeated = try tracker.repeated(3) { trial, tags in
            try tracker.track(name: "trial \(trial)", model: "busy", dataset: "none", tags: tags) { run in
                let end = Date().addingTimeInterval(0.15)
                var x = 1.0
                while Date() < end { x = x * 1.000001 + 1e-9 }
                try run.recordEpoch(EpochMetrics(index: 1, trainLoss: x > 0 ? 0.5 : 1))
                run.setFinalMetrics(accuracy: 0.9 + Double(trial) / 100)
                return run.id
            }
        }
        #expect(repeated.runs.count == 3)
        #expect(repeated.group.hasPrefix("repeat:"))
        #expect(repeated.runs.allSatisfy { $0.tags.contains(repeated.group) })
        let summary = repeated.summary
        #expect(summary.count == 3)
        let joules = try #require(summary.joules)
        let values = repeated.runs.compactMap { $0.energy?.joules }
        #expect(values.count == 3)
        // The log-normal median is the geometric mean of the runs' joules.
        let geometric = exp(values.map { log($0) }.reduce(0, +) / 3)
        #expect(abs(joules.median - geometric) < 1e-9 * geometric)
        let low = try #require(joules.low)
        let high = try #require(joules.high)
        #expect(low < joules.median && joules.median < high)
        #expect(summary.metric == "accuracy")
        #expect(abs((summary.quality?.median ?? 0) - 0.92) < 1e-9)
        let text = try repeated.jsonText()
        for key in [
            "\"runs\"", "\"summary\"", "\"joules\"", "\"seconds\"", "\"gramsCO2e\"", "\"accuracy\"", "\"median\"", "\"low\"", "\"high\"",
            "\"method\"",
        ] {
            #expect(text.contains(key), "missing \(key)")
        }
    }

    @Test func epochOneStartsWhenTheMonitorStarts() throws {
        let machine = try TrackerTests.raplMachine()
        let (base, directory) = try TrackerTests.makeTracker(machine: machine)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var options = base.options
        options.meters.allowedMeters = [.estimate]
        let tracker = try Tracker(options: options)
        let id = try tracker.track(name: "epochs", model: "busy", dataset: "none") { run in
            for index in 1...3 {
                let end = Date().addingTimeInterval(0.05)
                var x = 1.0
                while Date() < end { x = x * 1.000001 + 1e-9 }
                try run.recordEpoch(EpochMetrics(index: index, trainLoss: x))
            }
            return run.id
        }
        let document = try RunDocument.load(id: id, from: tracker.database)
        let first = try #require(document.history.first)
        // Time and energy of epoch 1 cover the same interval, from the monitor's start.
        #expect(abs((first.elapsedSeconds ?? 0) - (first.seconds ?? -1)) < 1e-9)
        let ceilingWatts = 2 * 150.0 / 40 + 16 * 0.3725  // the model's W for 2 threads + all memory
        for epoch in document.history {
            let watts = (epoch.joules ?? 0) / max(epoch.seconds ?? 1, 1e-9)
            #expect(watts <= ceilingWatts, "epoch \(epoch.epoch) at \(watts) W passes the model's ceiling")
        }
    }
}
