import Energy
import Footprint
import Foundation

/// A tracker for demo tests: a fresh SQLite file in a temporary directory, estimated energy only
/// (the demo's runs are small and no test may depend on the host's meters).
enum DemoTestTracker {
    /// A new temporary directory; the caller removes it.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("footprint-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A tracker recording into `directory/runs.sqlite` with the estimate as its only meter.
    static func make(in directory: URL) throws -> Tracker {
        var meters = MeterOptions()
        meters.allowedMeters = [.estimate]
        meters.samplingIntervalSeconds = 0.02
        return try Tracker(options: TrackerOptions(databasePath: directory.appendingPathComponent("runs.sqlite").path, meters: meters))
    }
}
