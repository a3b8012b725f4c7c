import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Drives a fixture zone's `energy_uj` from its own thread as a device drawing `watts` would,
/// wrapping at the zone's range, and keeps the ground truth: the cumulative microjoules it
/// wrote, from its own monotonic timestamps.
///
/// `mishaps` make the counter misbehave as real ones do, at given seconds after `start()`,
/// while the device keeps drawing its power: the counter steps back, resets to 0, or becomes
/// unreadable for a while (the file replaced by a directory, which fails even for root). The
/// truth counts through every mishap.
public final class ConstantPowerWriter: @unchecked Sendable {
    /// Something that happens to the counter, not to the energy drawn.
    public enum Mishap: Sendable {
        /// The counter falls back by this many microjoules and counts on from there.
        case stepBack(atSeconds: Double, microjoules: UInt64)
        /// The counter restarts from 0.
        case reset(atSeconds: Double)
        /// Reads fail for `seconds`; the hardware keeps counting meanwhile.
        case unreadable(atSeconds: Double, seconds: Double)

        var atSeconds: Double {
            switch self {
            case let .stepBack(at, _), let .reset(at), let .unreadable(at, _): at
            }
        }
    }

    // @unchecked: `totalMicrojoules`, `errors` and `stopRequested` are only touched under `lock`.
    private let lock = NSLock()
    private let machine: FixtureMachine
    private let zoneID: String
    private let watts: Double
    private let rangeMicrojoules: UInt64
    private let stepSeconds: Double
    private let startMicrojoules: UInt64
    private let mishaps: [Mishap]
    private var totalMicrojoules: UInt64 = 0
    private var stopRequested = false
    private var recordedErrors: [String] = []
    /// (monotonic seconds, total microjoules) after each step, to tell what the counter had
    /// shown by a given moment however the writer thread was scheduled.
    private var history: [(seconds: Double, microjoules: UInt64)] = []
    private let done = DispatchSemaphore(value: 0)
    /// Failures while writing (none expected).
    public var errors: [String] { lock.withLock { recordedErrors } }

    /// - Parameters:
    ///   - rangeMicrojoules: Where the counter wraps (whether or not the zone exposes it).
    ///   - startMicrojoules: The counter's value when writing starts; by default the value the
    ///     zone's file holds, so a meter that read it before the first write never sees the
    ///     counter go back (a real counter never starts over when a test starts drawing).
    ///   - mishaps: What happens to the counter, in seconds after `start()`.
    public init(
        machine: FixtureMachine, zoneID: String, watts: Double, rangeMicrojoules: UInt64, stepSeconds: Double = 0.002,
        startMicrojoules: UInt64? = nil, mishaps: [Mishap] = []
    ) {
        let startMicrojoules =
            startMicrojoules
            ?? (try? String(contentsOfFile: machine.zoneDirectory(zoneID) + "/energy_uj", encoding: .utf8))
            .flatMap { UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
        self.machine = machine
        self.zoneID = zoneID
        self.watts = watts
        self.rangeMicrojoules = max(rangeMicrojoules, 1)
        self.stepSeconds = stepSeconds
        self.startMicrojoules = startMicrojoules % max(rangeMicrojoules, 1)
        self.mishaps = mishaps.sorted { $0.atSeconds < $1.atSeconds }
    }

    private static func nowSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// Starts writing; the energy drawn starts from 0, the counter from `startMicrojoules`.
    public func start() {
        let thread = Thread { [self] in
            let begin = Self.nowSeconds()
            // A step never exceeds an eighth of the range, so a stalled writer catching up never
            // makes the counter jump a whole wrap: the truth stays what the file showed.
            let maxStep = max(rangeMicrojoules / 8, 1)
            let counter = machine.zoneDirectory(zoneID) + "/energy_uj"
            var shown = startMicrojoules
            var pending = mishaps[...]
            var unreadableUntil: Double?
            var lastWriteSeconds = 0.0
            var settledSince = 0.0
            while lock.withLock({ !stopRequested }) {
                let elapsed = max(Self.nowSeconds() - begin, 0)
                let target = UInt64(elapsed * watts * 1e6)
                let added = lock.withLock { () -> UInt64 in
                    let step = target > totalMicrojoules ? min(target - totalMicrojoules, maxStep) : 0
                    totalMicrojoules += step
                    return step
                }
                shown = (shown + added) % rangeMicrojoules
                // A real counter never stalls; this thread can, on a loaded machine. After a
                // stall the caught-up value is shown for a while before any mishap, so a meter
                // sees the energy drawn during the stall before the counter misbehaves, as it
                // would on hardware (else a stall and a step back fold into one small step).
                if elapsed - lastWriteSeconds > 4 * stepSeconds { settledSince = elapsed }
                lastWriteSeconds = elapsed
                while let mishap = pending.first, mishap.atSeconds <= elapsed, elapsed - settledSince >= Self.settleSeconds {
                    pending = pending.dropFirst()
                    switch mishap {
                    case let .stepBack(_, microjoules): shown = shown >= microjoules ? shown - microjoules : 0
                    case .reset: shown = 0
                    case let .unreadable(_, seconds):
                        unreadableUntil = elapsed + seconds
                        record { try machine.remove(counter) }
                        record { try machine.makeDirectory(counter) }
                    }
                }
                if let until = unreadableUntil {
                    guard elapsed >= until else {
                        Thread.sleep(forTimeInterval: stepSeconds)
                        continue
                    }
                    unreadableUntil = nil
                    record { try machine.remove(counter) }
                }
                record { try machine.setEnergy(zoneID, microjoules: shown) }
                let written = Self.nowSeconds()
                lock.withLock { history.append((written, totalMicrojoules)) }
                Thread.sleep(forTimeInterval: stepSeconds)
            }
            done.signal()
        }
        thread.start()
    }

    /// How long the counter must have been written on time before a mishap may happen: a few
    /// of the monitor's sampling periods at the start of a run.
    static let settleSeconds = 0.05

    private func record(_ body: () throws -> Void) {
        do { try body() } catch { lock.withLock { recordedErrors.append("\(error)") } }
    }

    /// The joules drawn so far (the energy a perfect meter sees since `start()`).
    public func drawnJoules() -> Double {
        lock.withLock { Double(totalMicrojoules) / 1e6 }
    }

    /// The joules drawn by the last step completed at or before `seconds` (CLOCK_MONOTONIC, the
    /// clock the meters read): what a read of the counter at that moment accounts for.
    public func drawnJoules(atMonotonicSeconds seconds: Double) -> Double {
        lock.withLock {
            let last = history.last { $0.seconds <= seconds }
            return Double(last?.microjoules ?? 0) / 1e6
        }
    }

    /// Stops writing and returns the joules written in all (the energy a perfect meter sees).
    public func stop() -> Double {
        lock.withLock { stopRequested = true }
        done.wait()
        return drawnJoules()
    }
}
