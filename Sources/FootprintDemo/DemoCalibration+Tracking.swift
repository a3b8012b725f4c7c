import Footprint
import Foundation
import Learning
import RunStore
import Vocabulary

/// What tracking adds to a training: a fixed part per run (opening the meters, starting and
/// stopping the sampler, storing the run) and a part per epoch (each epoch is committed to the
/// store as it ends, with its energy).
public struct DemoTrackingCost: Sendable, Equatable {
    /// Seconds a tracked run adds whatever its epochs.
    public var fixedSeconds: Double
    /// Seconds each recorded epoch adds.
    public var secondsPerEpoch: Double

    /// Creates a tracking cost.
    ///
    /// - Parameters:
    ///   - fixedSeconds: Seconds per run.
    ///   - secondsPerEpoch: Seconds per recorded epoch.
    public init(fixedSeconds: Double, secondsPerEpoch: Double) {
        self.fixedSeconds = fixedSeconds
        self.secondsPerEpoch = secondsPerEpoch
    }

    /// Assumed when not measured: about what a 2-vCPU VM's SQLite file costs.
    public static let assumed = DemoTrackingCost(fixedSeconds: 0.1, secondsPerEpoch: 0)
}

extension DemoCalibration {
    /// Times what tracking adds to a training: a 2-unit classifier on the lecture's 5 points,
    /// tracked and untracked, at two epoch counts, into a scratch SQLite file beside the store
    /// (same file system, so the same commit cost), removed afterwards.
    ///
    /// A PostgreSQL store is probed through a scratch SQLite file in the current directory, so
    /// a remote server's commits are not counted.
    ///
    /// - Parameters:
    ///   - options: The tracker's options (meters, carbon, store).
    ///   - shouldStop: Polled while training.
    /// - Returns: The fixed and per-epoch parts.
    /// - Throws: `RunStoreError` when the scratch file cannot be written; `LearningError` on a stop.
    public static func measureTracking(options: TrackerOptions, shouldStop: @escaping () -> Bool = { false }) throws
        -> DemoTrackingCost
    {
        var options = options
        let directory: String
        switch options.store {
        case .file(let path): directory = (path as NSString).deletingLastPathComponent
        case .postgres: directory = ""
        }
        let scratch = ((directory.isEmpty ? "." : directory) as NSString).appendingPathComponent(
            ".footprint-demo-calibration-\(ProcessInfo.processInfo.processIdentifier).sqlite")
        defer {
            for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: scratch + suffix) }
        }
        options.store = .file(path: scratch)
        options.storeOpener = RunDatabase.fileOpener
        options.liveObserver = nil
        options.job = nil
        options.baselineSeconds = nil
        let tracker = try Tracker(options: options)
        let dataset = try DatasetCatalog.load("seed-classification")
        let hooks = TrainingHooks(shouldStop: shouldStop)
        func timed(_ epochs: Int, tracked: Bool) throws -> Double {
            let configuration = TrainingConfiguration(
                model: .mlp(hiddenLayers: 1, hiddenWidth: 2), epochs: epochs, batchSize: 5, learningRate: 0.02)
            let began = Clocks.monotonicSeconds()
            if tracked {
                _ = try tracker.train(dataset, configuration: configuration, name: "demo calibration")
            } else {
                _ = try Trainer(configuration: configuration, dataset: dataset).train(hooks: hooks)
            }
            return Clocks.monotonicSeconds() - began
        }
        let epochs = 64
        // The faster of two tries each, so a burst of another process's work does not count.
        let tracked = try (
            min(timed(epochs, tracked: true), timed(epochs, tracked: true)),
            min(timed(2 * epochs, tracked: true), timed(2 * epochs, tracked: true))
        )
        let untracked = try (
            min(timed(epochs, tracked: false), timed(epochs, tracked: false)),
            min(timed(2 * epochs, tracked: false), timed(2 * epochs, tracked: false))
        )
        let perEpoch = max(0, ((tracked.1 - tracked.0) - (untracked.1 - untracked.0)) / Double(epochs))
        let fixed = max(0, (tracked.0 - untracked.0) - perEpoch * Double(epochs))
        return DemoTrackingCost(fixedSeconds: fixed, secondsPerEpoch: perEpoch)
    }
}
