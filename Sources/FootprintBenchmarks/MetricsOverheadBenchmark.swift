import Carbon
import Energy
import Footprint
import FootprintMetrics
import Foundation
import Learning
import RunModel
import Synchronization
import Vocabulary

/// What live metrics cost a training run: the same tracked training with the `/metrics`
/// endpoint off and on (a snapshot every second, scraped every second as the CI Prometheus
/// does), and how long one scrape takes while training runs.
///
/// Both kinds are full tracked runs (store, meters sampling at 1 s, heartbeat), so the
/// difference is the endpoint alone: the registry updates, the server's thread and the
/// scrapes. Runs are interleaved (off, on, repeated) and the median of each kind is kept. As in
/// ``TrackingOverheadBenchmark``, two figures: the wall-time ratio, which a user sees but which
/// carries the machine's noise, and the CPU the other threads burn per training CPU second, on
/// minus off, which isolates the endpoint.
package struct MetricsOverheadBenchmark {
    package var training: MLPTrainingBenchmark
    package var meterOptions: MeterOptions
    package var repetitions = 3
    /// Seconds between snapshots and between scrapes.
    package var intervalSeconds = 1.0

    package init(training: MLPTrainingBenchmark, meterOptions: MeterOptions) {
        self.training = training
        self.meterOptions = meterOptions
    }

    /// Runs the comparison.
    ///
    /// - Returns: Rows for the tracked run with metrics on against off, the overhead, one
    ///   scrape's time and one exposition's time.
    /// - Throws: `LearningError` for bad sizes; `RunStoreError` when the temporary store fails;
    ///   `MetricsError` when no port can be bound on 127.0.0.1.
    package func run() throws -> [BenchmarkRow] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("footprint-bench-metrics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var meters = meterOptions
        meters.samplingIntervalSeconds = intervalSeconds
        let metrics = RunMetrics()
        let server = try MetricsServer.start(port: 0, metrics: metrics)
        defer { server.shutdown() }
        var off = TrackerOptions(databasePath: directory.appendingPathComponent("runs.sqlite").path, meters: meters)
        off.carbon = CarbonSettings()
        var on = off
        on.liveIntervalSeconds = intervalSeconds
        on.liveObserver = { metrics.record($0) }
        let trackers = [try Tracker(options: off), try Tracker(options: on)]
        var seconds: [[Double]] = [[], []]
        // CPU of every thread but the training's (sampler, heartbeat, and with metrics on the
        // registry, the server and the scraper) over the steps, per training CPU second.
        var otherCPU: [[Double]] = [[], []]
        var scrapeTimes: [Double] = []
        var scrapeBytes = 0
        for repetition in 0..<max(repetitions, 1) {
            for (index, tracker) in trackers.enumerated() {
                let scraper = index == 1 ? Scraper(port: server.port, intervalSeconds: intervalSeconds) : nil
                let result = try tracker.track(name: "bench-metrics-\(repetition)-\(index)", model: training.architecture.description) {
                    _ in
                    scraper?.start()
                    defer { scraper?.stop() }
                    return try training.run()
                }
                seconds[index].append(result.seconds)
                otherCPU[index].append(max(result.processCPUSeconds - result.threadCPUSeconds, 0) / max(result.threadCPUSeconds, 1e-9))
                if let scraper {
                    let (times, bytes) = scraper.results
                    scrapeTimes += times
                    scrapeBytes = max(scrapeBytes, bytes)
                }
            }
        }
        let exposition = Self.medianExpositionMilliseconds(metrics)
        let offSeconds = BenchmarkTiming.median(seconds[0])
        let onSeconds = BenchmarkTiming.median(seconds[1])
        let overhead = (onSeconds / offSeconds - 1) * 100
        let every = intervalSeconds == 1 ? "1 s" : "\(intervalSeconds) s"
        let cpuShare = (BenchmarkTiming.median(otherCPU[1]) - BenchmarkTiming.median(otherCPU[0])) * 100
        var rows = [
            BenchmarkRow(
                group: "metrics", name: "tracked training, /metrics on (snapshot + scrape every \(every))", value: onSeconds, unit: "s",
                referenceValue: offSeconds, referenceName: "the same tracked run, /metrics off", higherIsBetter: false,
                note: "median of \(repetitions) interleaved runs of \(training.steps) steps, sampling every \(every)"),
            BenchmarkRow(
                group: "metrics", name: "wall-time overhead of /metrics, every \(every)", value: overhead, unit: "%",
                higherIsBetter: false, goal: "< 1%", goalMet: overhead < 1,
                note: "\(UnitFormat.seconds(onSeconds)) on vs \(UnitFormat.seconds(offSeconds)) off; carries the machine's noise"),
            BenchmarkRow(
                group: "metrics", name: "endpoint CPU ÷ training CPU, every \(every)", value: cpuShare, unit: "%", higherIsBetter: false,
                goal: "< 1%", goalMet: cpuShare < 1,
                note: "other threads' CPU per training CPU second, on minus off; counts the in-process scraper too, so an upper bound"),
        ]
        if !scrapeTimes.isEmpty {
            rows.append(
                BenchmarkRow(
                    group: "metrics", name: "one /metrics scrape during training", value: BenchmarkTiming.median(scrapeTimes), unit: "ms",
                    higherIsBetter: false,
                    note: String(
                        format: "median of %d scrapes (max %.2f ms) of %d bytes, connect to last byte over loopback", scrapeTimes.count,
                        scrapeTimes.max() ?? 0, scrapeBytes)))
        }
        rows.append(
            BenchmarkRow(
                group: "metrics", name: "RunMetrics.exposition()", value: exposition, unit: "ms", higherIsBetter: false,
                note: "the registry rendered as text, without HTTP; median of 1000"))
        return rows
    }

    private static func medianExpositionMilliseconds(_ metrics: RunMetrics) -> Double {
        var times: [Double] = []
        var sink = 0
        for _ in 0..<1000 {
            let begin = Clocks.monotonicSeconds()
            sink &+= metrics.exposition().count
            times.append((Clocks.monotonicSeconds() - begin) * 1000)
        }
        precondition(sink > 0)
        return BenchmarkTiming.median(times)
    }
}

/// Scrapes `/metrics` every interval on a thread of its own, as Prometheus would, and keeps
/// each scrape's time in milliseconds.
private final class Scraper: Sendable {
    private let port: Int
    private let intervalSeconds: Double
    private let state = Mutex((stopped: false, times: [Double](), bytes: 0))
    private let done = DispatchSemaphore(value: 0)
    private let wake = DispatchSemaphore(value: 0)

    init(port: Int, intervalSeconds: Double) {
        self.port = port
        self.intervalSeconds = intervalSeconds
    }

    /// Each scrape's milliseconds, and the largest answer's size in bytes.
    var results: (times: [Double], bytes: Int) { state.withLock { ($0.times, $0.bytes) } }

    func start() {
        Thread { [self] in
            // Half an interval in, so the first scrape finds the first snapshot.
            _ = wake.wait(timeout: .now() + intervalSeconds / 2)
            while !state.withLock({ $0.stopped }) {
                let begin = Clocks.monotonicSeconds()
                if let endpoint = try? PushgatewayEndpoint(url: "http://127.0.0.1:\(port)"),
                    let answer = try? HTTPRequest.perform("GET", path: "/metrics", to: endpoint, timeoutSeconds: 2, maximumBytes: 1 << 20),
                    answer.status == 200
                {
                    let milliseconds = (Clocks.monotonicSeconds() - begin) * 1000
                    state.withLock { state in
                        state.times.append(milliseconds)
                        state.bytes = max(state.bytes, answer.text.utf8.count)
                    }
                }
                _ = wake.wait(timeout: .now() + intervalSeconds)
            }
            done.signal()
        }.start()
    }

    func stop() {
        state.withLock { $0.stopped = true }
        wake.signal()
        done.wait()
    }
}
