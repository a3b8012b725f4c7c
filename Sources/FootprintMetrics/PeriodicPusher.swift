import Dispatch
import Foundation
import Vocabulary
import Synchronization

/// Pushes a ``RunMetrics`` to the Pushgateway every interval while a run lasts, on a thread of
/// its own so a slow Pushgateway never holds up the run, and once more when the run ends.
final class PeriodicPusher: Sendable {
    private let client: PushgatewayClient
    private let metrics: RunMetrics
    private let intervalSeconds: Double
    private let warn: @Sendable (String) -> Void
    private let state = Mutex(State())
    /// Held for the length of a push, so the final push never interleaves with a periodic one.
    private let pushing = Mutex(())
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    private struct State {
        /// The group of the run now in progress; nil between runs.
        var group: (job: String, instance: String)?
        /// Whether a periodic failure has been reported: later ones are not, until the final push.
        var warned = false
        var stopped = false
        var started = false
    }

    init(client: PushgatewayClient, metrics: RunMetrics, intervalSeconds: Double, warn: @escaping @Sendable (String) -> Void) {
        self.client = client
        self.metrics = metrics
        self.intervalSeconds = intervalSeconds
        self.warn = warn
    }

    /// Takes note of a snapshot already recorded in the metrics: a running one names the group
    /// to push to (and starts the thread), the final one is pushed at once.
    func note(_ snapshot: LiveRunSnapshot) {
        let group = PushgatewayClient.grouping(for: snapshot)
        if snapshot.finished {
            state.withLock { $0.group = nil }
            do {
                try pushNow(group)
            } catch {
                warn("the final push of the run's metrics did not arrive: \(error)")
            }
            return
        }
        let startThread = state.withLock { state -> Bool in
            state.group = group
            defer { state.started = true }
            return !state.started && !state.stopped
        }
        if startThread {
            let thread = Thread { [self] in loop() }
            thread.name = "footprint-pushgateway"
            thread.start()
        }
    }

    /// Ends the thread (after any push in flight); later calls do nothing.
    func stop() {
        let running = state.withLock { state -> Bool in
            defer { state.stopped = true }
            return state.started && !state.stopped
        }
        guard running else { return }
        wake.signal()
        _ = finished.wait(timeout: .now() + client.timeoutSeconds * 3 + 1)
    }

    private func loop() {
        while true {
            _ = wake.wait(timeout: .now() + intervalSeconds)
            let (group, stopped) = state.withLock { ($0.group, $0.stopped) }
            if stopped { break }
            guard let group else { continue }
            do {
                try pushNow(group)
            } catch {
                let first = state.withLock { state -> Bool in
                    defer { state.warned = true }
                    return !state.warned
                }
                if first { warn("\(error); the run goes on, and further failed pushes before the final one are not reported") }
            }
        }
        finished.signal()
    }

    private func pushNow(_ group: (job: String, instance: String)) throws(MetricsError) {
        try pushing.withLock { (_: inout Void) throws(MetricsError) in
            try client.push(metrics.exposition(), job: group.job, instance: group.instance)
        }
    }
}
