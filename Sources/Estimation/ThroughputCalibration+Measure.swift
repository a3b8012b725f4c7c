import Carbon
import Energy
import Learning
import Vocabulary
import RunModel
import Statistics

extension ThroughputCalibration {
    /// Runs `workload` for about `targetSeconds` with an `EnergyMonitor` sampling beside it.
    ///
    /// Joules are the monitor's whole-machine energy shared out to this process by CPU time
    /// (`attributedJoules`), or the whole machine's when attribution is unavailable (noted).
    /// Warm-up repetitions (about 50 ms) run before the clock starts. Throughput is the median of
    /// the repetitions' rates, so a burst of another process's work on a shared machine does not
    /// drag it down, nor does one lucky repetition lift it.
    ///
    /// - Parameters:
    ///   - workload: What to run.
    ///   - threads: Threads for the matrix kernel.
    ///   - targetSeconds: How long to run after warm-up.
    ///   - meterOptions: How to read energy.
    /// - Returns: The calibration, its energy labelled measured or estimated.
    /// - Throws: `EstimationError.calibrationFailed` when no work could be timed;
    ///   `LearningError` for a bad MLP; `EnergyError.noMeterAvailable` when not even the estimate opens.
    public static func measure(
        workload: CalibrationWorkload, threads: Int = 1, targetSeconds: Double = 0.5,
        meterOptions: MeterOptions = MeterOptions()
    ) throws -> ThroughputCalibration {
        let repeatOnce = try makeRepetition(workload, threads: threads)
        // Warm-up: page in buffers, settle the clock frequency.
        let warmUpStart = Clocks.monotonicSeconds()
        repeat { _ = repeatOnce() } while Clocks.monotonicSeconds() - warmUpStart < 0.05
        var meterOptions = meterOptions
        if meterOptions.processCPUSeconds == nil { meterOptions.processCPUSeconds = { Clocks.processCPUSeconds() } }
        let monitor = EnergyMonitor(options: meterOptions)
        try monitor.start()
        let cpuStart = Clocks.processCPUSeconds()
        let start = Clocks.monotonicSeconds()
        var flops = 0.0
        var rates: [Double] = []
        var last = start
        repeat {
            let done = repeatOnce()
            let now = Clocks.monotonicSeconds()
            flops += done
            if now > last { rates.append(done / (now - last)) }
            last = now
        } while last - start < targetSeconds
        let seconds = Clocks.monotonicSeconds() - start
        let measurement = monitor.stop(processCPUSeconds: Clocks.processCPUSeconds() - cpuStart)
        guard seconds > 0, flops > 0 else {
            throw EstimationError.calibrationFailed(reason: "\(flops) FLOPs in \(seconds) s")
        }
        var notes = measurement.notes
        let joules: Double
        if let attributed = measurement.attributedJoules {
            joules = attributed
        } else {
            joules = measurement.joules
            notes.append("whole-machine energy used: this process's share could not be attributed")
        }
        let basis = measurement.provenance
        if !measurement.resolved {
            notes.append(
                "the calibration's energy is below its meter's resolution (\(measurement.resolution.source)): its joules per FLOP are noise"
            )
        }
        let meters = measurement.meters.filter(\.includedInTotal).map { "\($0.name):\($0.zone)" }.joined(separator: ", ")
        let energySource = basis == .measured ? meters : (measurement.estimateModel ?? meters)
        return ThroughputCalibration(
            source: workloadSource(workload),
            workload: "\(workload) on the \(MatrixMultiply.kernelName) kernel, \(threads) thread\(threads == 1 ? "" : "s")",
            gflopsPerSecond: (RepeatStatistics.median(rates) ?? 0) / 1e9, joulesPerFlop: joules / flops, energyBasis: basis,
            energySource: energySource, flops: flops, seconds: seconds, joules: joules, threads: threads,
            kernel: MatrixMultiply.kernelName, notes: notes)
    }

    private static func workloadSource(_ workload: CalibrationWorkload) -> Source {
        switch workload {
        case .matmul: .matmulKernel
        case .trainingSteps: .trainingSteps
        }
    }

    /// A closure running one repetition of the workload and returning its FLOPs.
    private static func makeRepetition(_ workload: CalibrationWorkload, threads: Int) throws -> () -> Double {
        switch workload {
        case let .matmul(m, n, k):
            let buffers = MatmulBuffers(m: m, n: n, k: k)
            return {
                buffers.multiply(threads: threads)
                return Double(MatrixMultiply.flops(m: m, n: n, k: k))
            }
        case let .trainingSteps(architecture, batchSize):
            let loop = try SyntheticTrainingLoop(architecture: architecture, batchSize: batchSize, threads: threads)
            return {
                loop.resetLedger()
                loop.run(steps: 1)
                return Double(loop.ledger.total)
            }
        }
    }
}
