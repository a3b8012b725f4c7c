import Carbon
import Learning

/// A projection of what training a model would cost on this machine: FLOPs from the
/// architecture's rules, time from the measured throughput, energy from the measured (or
/// estimated) joules per FLOP, CO2e from the carbon settings.
///
/// The projection is always `.estimated` energy for carbon purposes, whatever the calibration's
/// basis: it extrapolates a short measurement to a long run.
public struct TrainingEstimate: Sendable, Codable {
    /// `alexnet`, `mlp:784-256-10`.
    public var architecture: String
    public var parameters: Int
    /// Training samples per epoch.
    public var samples: Int
    public var epochs: Int
    public var batchSize: Int
    /// The optimizer counted (`sgd(momentum 0.9)`).
    public var optimizer: String
    /// Forward multiply-adds per sample.
    public var forwardMACsPerSample: Int
    /// Forward + backward + loss FLOPs per sample.
    public var trainingFlopsPerSample: Int
    /// Every FLOP of the run, optimizer steps included.
    public var flops: Double
    /// The matrix-multiply / convolution share of `flops`.
    public var matmulFlops: Double
    /// Projected wall time on this machine, s.
    public var seconds: Double
    /// Projected energy, J (IT energy, before PUE).
    public var joules: Double
    /// Projected CO2e, operational plus embodied, g.
    public var gramsCO2e: Double
    public var carbon: CarbonEstimate
    /// One sentence saying how the figures were obtained.
    public var provenance: String
    public var calibration: ThroughputCalibration
    /// The lecture's reference points, with the projection's ratio to each.
    public var references: [ReferenceComparison]

    /// Projects a run.
    ///
    /// - Parameters:
    ///   - cost: The architecture's per-sample cost.
    ///   - samples: Training samples per epoch (≥ 1).
    ///   - epochs: Passes over them (≥ 1).
    ///   - batchSize: Samples per optimizer step (≥ 1).
    ///   - optimizer: The optimizer whose per-step FLOPs are counted.
    ///   - calibration: This machine's throughput and energy per FLOP.
    ///   - calculator: Carbon settings, resolved.
    /// - Returns: The projection.
    /// - Throws: `EstimationError.invalidInput` for a bad count or calibration; `CarbonError`.
    public static func project(
        cost: ArchitectureCost, samples: Int, epochs: Int, batchSize: Int, optimizer: OptimizerKind,
        calibration: ThroughputCalibration, calculator: CarbonCalculator
    ) throws -> TrainingEstimate {
        for (name, value) in [("--samples", samples), ("--epochs", epochs), ("--batch-size", batchSize)] where value < 1 {
            throw EstimationError.invalidInput(name: name, value: "\(value)", expected: "a whole number ≥ 1")
        }
        try calibration.validate()
        let flops = cost.trainingFlops(samples: samples, epochs: epochs, batchSize: batchSize, optimizer: optimizer)
        let matmulFlops = Double(cost.trainingMatmulFlopsPerSample) * Double(samples) * Double(epochs)
        let seconds = flops / (calibration.gflopsPerSecond * 1e9)
        let joules = flops * calibration.joulesPerFlop
        let carbon = try calculator.estimate(joules: joules, basis: .estimated, runSeconds: seconds)
        let energyWord =
            calibration.energyBasis == .measured ? "measured (\(calibration.energySource))" : "estimated (see calibration.energySource)"
        let provenance =
            "estimated: FLOPs from \(cost.name)'s layer rules; time and energy projected from "
            + "\(calibration.workload) at \(format(calibration.gflopsPerSecond)) GFLOP/s, with calibration energy \(energyWord)"
        return TrainingEstimate(
            architecture: cost.name, parameters: cost.parameters, samples: samples, epochs: epochs,
            batchSize: batchSize, optimizer: optimizer.description, forwardMACsPerSample: cost.forwardMACsPerSample,
            trainingFlopsPerSample: cost.trainingFlopsPerSample, flops: flops, matmulFlops: matmulFlops,
            seconds: seconds, joules: joules, gramsCO2e: carbon.gramsCO2e, carbon: carbon,
            provenance: provenance, calibration: calibration,
            references: ReferenceComparison.lectureReferences(gramsCO2e: carbon.gramsCO2e, seconds: seconds, joules: joules))
    }

    private static func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? "\(Int(rounded))" : "\(rounded)"
    }
}
