import FootprintTestKit
import Foundation
import Synchronization
import Testing

@testable import Energy

/// The estimate at short time scales: an interval's energy follows the measured tree's own
/// CPU time, never passes the model's ceiling, and other processes' load comes from /proc/stat
/// only over windows long enough for its ticks.
@Suite struct EstimateTimeScaleTests {
    /// A 2-CPU fixture, a fake CPU clock of the measured tree, and a CPU estimate reading both.
    static func rig() throws -> (FixtureMachine, CPUDial, EstimateMeter) {
        let machine = try FixtureMachine()
        try machine.writeCPUInfo(modelName: "Imaginary CPU", processors: 2)
        try machine.writeProcStat(user: 1000, idle: 1000)
        let cpu = CPUDial()
        var options = machine.options
        options.processCPUSeconds = { cpu.read() }
        return (machine, cpu, EstimateMeter(options: options, estimateCPU: true, memoryIncluded: false))
    }

    /// CPU seconds the test advances.
    final class CPUDial: Sendable {
        private let value = Mutex(0.0)
        func read() -> Double { value.withLock { $0 } }
        func withLock(_ body: (inout Double) -> Void) { value.withLock { body(&$0) } }
    }

    @Test func epochEnergiesFollowTheirCPUTime() throws {
        let (machine, cpu, meter) = try Self.rig()
        defer { withExtendedLifetime(machine) {} }  // the fixture's files live as long as it does
        let watts = try #require(meter.cpuFullLoadWatts)
        var now = 0.0
        _ = meter.poll(atSeconds: now)
        var energies: [Double] = []
        // Epochs of 3 ms, 6 ms and 12 ms, each keeping one CPU busy: far below one /proc/stat tick.
        for seconds in [0.003, 0.006, 0.012] {
            let before = meter.zones[0].joules
            now += seconds
            cpu.withLock { $0 += seconds }
            _ = meter.poll(atSeconds: now)
            energies.append(meter.zones[0].joules - before)
        }
        #expect(abs(energies[1] / energies[0] - 2) < 1e-9)
        #expect(abs(energies[2] / energies[0] - 4) < 1e-9)
        // W·(0.1·Δt + 0.9·Δt/2) for one busy CPU of two.
        #expect(abs(energies[0] - watts * (0.1 * 0.003 + 0.9 * 0.003 / 2)) < 1e-12)
    }

    @Test func noIntervalExceedsTheModelsCeiling() throws {
        let (machine, cpu, meter) = try Self.rig()
        defer { withExtendedLifetime(machine) {} }  // the fixture's files live as long as it does
        let watts = try #require(meter.cpuFullLoadWatts)
        _ = meter.poll(atSeconds: 0)
        // A CPU clock that claims 5 CPU-seconds in 1 ms on a 2-CPU machine.
        cpu.withLock { $0 += 5 }
        _ = meter.poll(atSeconds: 0.001)
        #expect(meter.zones[0].joules <= watts * 0.001 + 1e-12)
    }

    @Test func otherProcessesLoadComesFromWindowsOfHalfASecond() throws {
        let (machine, _, meter) = try Self.rig()
        _ = meter.poll(atSeconds: 0)
        // 0.2 s: a tick boundary passes, but the window is too short to trust.
        try machine.writeProcStat(user: 1040, idle: 1000)
        _ = meter.poll(atSeconds: 0.2)
        #expect(meter.otherBusyRate == nil)
        // 1 s in all: 100 busy ticks = 1 CPU-second, none of it ours: another process's load.
        try machine.writeProcStat(user: 1100, idle: 1100)
        _ = meter.poll(atSeconds: 1)
        #expect(abs((meter.otherBusyRate ?? 0) - 1) < 1e-9)
    }
}
