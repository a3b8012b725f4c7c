import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Drives a fixture zone's `energy_uj` from its own thread as a device drawing `watts` would,
/// wrapping at the zone's range, and keeps the ground truth: the cumulative microjoules it
/// wrote, from its own monotonic timestamps.
public final class ConstantPowerWriter: @unchecked Sendable {
    // @unchecked: `totalMicrojoules`, `writes` and `stopRequested` are only touched under `lock`.
    private let lock = NSLock()
    private let machine: FixtureMachine
    private let zoneID: String
    private let watts: Double
    private let rangeMicrojoules: UInt64
    private let stepSeconds: Double
    private var totalMicrojoules: UInt64 = 0
    private var stopRequested = false
    private let done = DispatchSemaphore(value: 0)
    /// Failures while writing (none expected).
    public private(set) var errors: [String] = []

    public init(machine: FixtureMachine, zoneID: String, watts: Double, rangeMicrojoules: UInt64, stepSeconds: Double = 0.002) {
        self.machine = machine
        self.zoneID = zoneID
        self.watts = watts
        self.rangeMicrojoules = rangeMicrojoules
        self.stepSeconds = stepSeconds
    }

    private static func nowSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// Starts writing; the counter starts from its current total (0).
    public func start() {
        let thread = Thread { [self] in
            let begin = Self.nowSeconds()
            // A step never exceeds an eighth of the range, so a stalled writer catching up never
            // makes the counter jump a whole wrap: the truth stays what the file showed.
            let maxStep = max(rangeMicrojoules / 8, 1)
            while lock.withLock({ !stopRequested }) {
                let target = UInt64(max(Self.nowSeconds() - begin, 0) * watts * 1e6)
                lock.withLock {
                    if target > totalMicrojoules { totalMicrojoules += min(target - totalMicrojoules, maxStep) }
                }
                let value = lock.withLock { totalMicrojoules % rangeMicrojoules }
                do { try machine.setEnergy(zoneID, microjoules: value) } catch { lock.withLock { errors.append("\(error)") } }
                Thread.sleep(forTimeInterval: stepSeconds)
            }
            done.signal()
        }
        thread.start()
    }

    /// Stops writing and returns the joules written in all (the energy a perfect meter sees).
    public func stop() -> Double {
        lock.withLock { stopRequested = true }
        done.wait()
        return lock.withLock { Double(totalMicrojoules) / 1e6 }
    }
}
