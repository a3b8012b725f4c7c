import Dispatch
import Foundation
import Energy
import Synchronization

/// Calls an action every few seconds on a thread of its own until stopped; `stop` returns once
/// the thread has left, so no call runs after it.
final class PeriodicFlush: Sendable {
    private let intervalSeconds: Double
    /// The thread's name, as the kernel shows it (15 bytes at most).
    private let name: String
    private let action: @Sendable () -> Void
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    /// Set once by `stop`. An atomic, not a `Mutex`: the thread sanitizer sees atomics (and
    /// not Mutex's futex on Linux) as synchronization, and the tracker suites run under it.
    private let stopping = Atomic(false)
    /// CPU time and rounds of this timer's thread so far.
    let cost = ThreadCost()

    /// - Parameters:
    ///   - intervalSeconds: Seconds between calls.
    ///   - name: The thread's name (`top -H`, `/proc/PID/task/*/comm`).
    ///   - action: What to do each time.
    init(intervalSeconds: Double, name: String = "footprint-flush", action: @escaping @Sendable () -> Void) {
        self.intervalSeconds = max(intervalSeconds, 0.01)
        self.name = name
        self.action = action
    }

    func start() {
        let thread = Thread { [self] in
            ThreadCPUClock.nameCurrentThread(name)
            while true {
                _ = wake.wait(timeout: .now() + intervalSeconds)
                if stopping.load(ordering: .acquiring) { break }
                action()
                cost.recordRound()
            }
            cost.recordExit()
            finished.signal()
        }
        thread.name = name
        thread.start()
    }

    func stop() {
        guard stopping.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        wake.signal()
        finished.wait()
    }
}
