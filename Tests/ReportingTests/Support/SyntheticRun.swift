import Foundation
import RunStore
import Vocabulary

/// A fixed run written through the store's public API into a temporary database, so the
/// report is built from the same path `footprint report` takes.
enum SyntheticRun {
    static let startedAt = Date(timeIntervalSince1970: 1_736_935_200)  // 2025-01-15T10:00:00Z

    /// A temporary database path, removed by `cleanUp`.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("footprint-reporting-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Records the golden run (MLP 1-100-1 on terrain, 4 epochs, measured RAPL energy) and
    /// returns its id.
    /// - Parameter resolutionStepJoules: A meter step to store (coarse ones make the energy
    ///   unresolved); nil keeps the resolution assumed for the provenance.
    static func record(
        in database: RunDatabase, provenance: EnergyProvenance = .measured, withSamples: Bool = true, resolutionStepJoules: Double? = nil
    ) throws -> Int64 {
        var run = RunRecord(name: "mlp-h100", kind: .train, startedAt: startedAt, host: "testhost")
        run.os = "Ubuntu 24.04.1 LTS"
        run.kernel = "Linux 6.8.0-45-generic"
        run.cpuModel = "Intel(R) Xeon(R) Platinum 8480+"
        run.cpuCount = 2
        run.memoryBytes = 8 * 1_073_741_824
        run.command = "footprint train --dataset terrain --hidden 100 --epochs 4"
        run.modelName = "mlp:1-100-1"
        run.modelDescription = "Linear(100) → Tanh → Linear(1)"
        run.parameterCount = 301
        run.dataset = "terrain"
        run.task = "regression"
        run.hyperparametersJSON = #"{"hidden":"100","layers":"1","model":"mlp"}"#
        run.gitCommit = "0123456789abcdef0123456789abcdef01234567"
        run.tags = ["golden"]
        let id = try database.insertRun(run)
        run.id = id
        run.flopsForward = 240_000_000
        run.flopsBackward = 480_000_000
        run.flopsOptimizer = 12_000_000
        run.flopsEvaluation = 60_000_000
        run.flopsTotal = 792_000_000
        run.flopsMatmul = 700_000_000
        run.phaseSecondsJSON = #"{"backward":0.9,"data":0.1,"evaluation":0.2,"forward":0.5,"optimizer":0.3}"#
        run.gemmKernel = "avx2"
        run.samplesProcessed = 4_000
        run.predictionJSON =
            #"{"afterEpoch":2,"method":"mean of epochs 1–2, ±2σ","plannedEpochs":4,"#
            + #""seconds":{"predicted":2.0,"low":1.8,"high":2.3},"joules":{"predicted":120.0,"low":100.0,"high":140.0},"#
            + #""gramsCO2e":{"predicted":0.0016,"low":0.0008,"high":0.0032}}"#
        run.energyJoules = 150
        run.attributedJoules = 110
        run.energyProvenance = provenance
        if let step = resolutionStepJoules {
            run.energyResolutionJoules = step
            run.energyResolutionSeconds = 0.001
            run.energyResolutionSource = "test meter: \(Int(step)) J steps"
        }
        if provenance != .measured {
            run.estimateModel = "4 W per thread × 2 threads + 3 W per GB × 8 GB (CodeCarbon constants)"
        }
        run.energyNotesJSON = #"["perf power PMU not readable: perf_event_paranoid is 4; RAPL used"]"#
        run.gramsCO2e = 0.00183
        run.gramsCO2eLow = 0.00132
        run.gramsCO2eHigh = 0.0022
        run.intensityGramsPerKilowattHour = 44
        run.intensitySource = "Ember"
        run.intensityYear = 2024
        run.country = "FRA"
        run.pue = 1.0
        run.embodiedGrams = 0
        try database.updateRun(run)
        for index in 1...4 {
            var epoch = EpochRecord(runID: id, epochIndex: index)
            epoch.trainLoss = 0.8 / Double(index * index)
            epoch.validationLoss = 0.9 / Double(index * index)
            epoch.mse = 0.9 / Double(index * index)
            epoch.r2 = 1 - 0.09 / Double(index)
            epoch.samples = 1_000
            epoch.flopsForward = 60_000_000
            epoch.flopsBackward = 120_000_000
            epoch.flopsOptimizer = 3_000_000
            epoch.flopsEvaluation = 15_000_000
            epoch.wallSeconds = index == 1 ? 0.7 : 0.5
            epoch.elapsedSeconds = 0.2 + 0.7 + Double(index - 1) * 0.5
            epoch.energyJoules = index == 1 ? 45 : 32
            try database.appendEpoch(epoch)
        }
        // Layer costs are the run's totals, as the store documents (4 epochs × 1,000 samples):
        // 300, 100 and 201 forward FLOPs per sample. Their sum is far below the run's forward
        // FLOPs (which count the loss and more), the case that once mislabelled them "/sample".
        try database.insertLayerCosts([
            LayerCostRecord(
                runID: id, layerIndex: 0, name: "dense1", outputShape: "100", parameters: 200, forwardFlops: 1_200_000,
                backwardFlops: 2_400_000),
            LayerCostRecord(
                runID: id, layerIndex: 1, name: "tanh", outputShape: "100", parameters: 0, forwardFlops: 400_000, backwardFlops: 400_000),
            LayerCostRecord(
                runID: id, layerIndex: 2, name: "dense2", outputShape: "1", parameters: 101, forwardFlops: 804_000, backwardFlops: 1_604_000
            ),
        ])
        try database.insertMetrics([
            MetricRecord(runID: id, name: "trainLoss", value: 0.05, split: .train),
            MetricRecord(runID: id, name: "validationLoss", value: 0.0563, split: .validation),
            MetricRecord(runID: id, name: "mse", value: 0.0563, split: .validation),
            MetricRecord(runID: id, name: "r2", value: 0.9775, split: .validation),
        ])
        try database.insertMeterEnergy([
            MeterEnergyRecord(runID: id, meter: "rapl", zone: "package-0", joules: 120, includedInTotal: true),
            MeterEnergyRecord(runID: id, meter: "rapl", zone: "dram-0", joules: 30, includedInTotal: true),
            MeterEnergyRecord(runID: id, meter: "rapl", zone: "core-0", joules: 95, includedInTotal: false),
        ])
        if withSamples {
            var samples: [PowerSampleRecord] = []
            for step in 1...8 {
                let t = Double(step) * 0.25
                samples.append(PowerSampleRecord(runID: id, elapsedSeconds: t, meter: "rapl", zone: "dram-0", watts: 14 + Double(step % 2)))
                samples.append(
                    PowerSampleRecord(runID: id, elapsedSeconds: t, meter: "rapl", zone: "package-0", watts: 55 + Double(step % 3) * 2))
            }
            try database.insertPowerSamples(samples)
        }
        try database.finishRun(id: id, status: .completed, endedAt: startedAt.addingTimeInterval(2.5), wallSeconds: 2.5, cpuSeconds: 2.4)
        return id
    }
}
