import Carbon
import Foundation
import Learning
import RunStore
import Testing
@testable import Estimation

/// The projection's arithmetic with injected calibration figures (nothing here is timed).
@Suite struct EstimationTests {
    static let calibration = ThroughputCalibration(
        source: .given, workload: "test figures", gflopsPerSecond: 50, joulesPerFlop: 1e-10,
        energyBasis: .measured, energySource: "rapl:package-0")

    static func calculator() throws -> CarbonCalculator {
        try CarbonCalculator(settings: CarbonSettings(intensityOverrideGramsPerKilowattHour: 100, pue: 1.5))
    }

    /// 60,000 samples × 10 epochs in batches of 100: 600 SGD steps per epoch at 2 FLOPs per parameter.
    @Test func projectsFlopsTimeEnergyAndCarbonFromTheCalibration() throws {
        let cost = try ArchitectureSpec.parse("mlp:784-256-10").cost()
        let estimate = try TrainingEstimate.project(
            cost: cost, samples: 60_000, epochs: 10, batchSize: 100, optimizer: .sgd(momentum: 0),
            calibration: Self.calibration, calculator: Self.calculator())
        let flops = 10.0 * (60_000.0 * Double(cost.trainingFlopsPerSample) + 600.0 * 2.0 * 203_530.0)
        #expect(estimate.parameters == 203_530)
        #expect(estimate.flops == flops)
        #expect(estimate.matmulFlops == 10.0 * 60_000.0 * 818_176.0)
        #expect(abs(estimate.seconds - flops / 50e9) < 1e-9 * estimate.seconds)
        #expect(abs(estimate.joules - flops * 1e-10) < 1e-9 * estimate.joules)
        let grams = estimate.joules / 3_600_000 * 1.5 * 100
        #expect(abs(estimate.gramsCO2e - grams) < 1e-9 * grams)
        // A projection is never a measurement, even from a measured calibration.
        #expect(estimate.carbon.energyBasis == .estimated)
        #expect(estimate.provenance.hasPrefix("estimated"))
        #expect(estimate.provenance.contains("measured (rapl:package-0)"))
    }

    @Test func setsTheProjectionBesideAlexNetsOwnRunAndTheLecturesPoints() throws {
        let cost = try ArchitectureSpec.alexNet.cost()
        let estimate = try TrainingEstimate.project(
            cost: cost, samples: 1_200_000, epochs: 90, batchSize: 128, optimizer: .sgd(momentum: 0.9),
            calibration: Self.calibration, calculator: Self.calculator())
        let alexNet = try #require(estimate.references.first)
        #expect(alexNet.seconds == 518_400)
        #expect(abs((alexNet.joules ?? 0) - 252_979_200) < 1e-3)  // 2 × 244 W × 518,400 s
        #expect(alexNet.secondsRatio == estimate.seconds / 518_400)
        let gpt3 = try #require(estimate.references.first { $0.name == "training GPT-3" })
        #expect(gpt3.gramsCO2eRatio == estimate.gramsCO2e / 552e6)
        #expect(estimate.references.count == ReferencePoint.all.count + 1)
    }

    @Test func jsonHasTheKeysScriptsRelyOn() throws {
        let cost = try ArchitectureSpec.parse("mlp:4-8-2").cost()
        let estimate = try TrainingEstimate.project(
            cost: cost, samples: 100, epochs: 2, batchSize: 10, optimizer: .adamDefault,
            calibration: Self.calibration, calculator: Self.calculator())
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(estimate)) as? [String: Any])
        for key in ["parameters", "flops", "seconds", "joules", "gramsCO2e", "provenance", "calibration"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["parameters"] as? Int == 4 * 8 + 8 + 8 * 2 + 2)
    }

    @Test(arguments: [(0, 1, 1), (1, 0, 1), (1, 1, 0)])
    func rejectsNonPositiveCounts(samples: Int, epochs: Int, batchSize: Int) throws {
        let cost = try ArchitectureSpec.parse("mlp:2-2").cost()
        #expect(throws: EstimationError.self) {
            try TrainingEstimate.project(
                cost: cost, samples: samples, epochs: epochs, batchSize: batchSize, optimizer: .sgd(momentum: 0),
                calibration: Self.calibration, calculator: Self.calculator())
        }
    }

    @Test func rejectsACalibrationWithNoThroughput() throws {
        var calibration = Self.calibration
        calibration.gflopsPerSecond = 0
        let cost = try ArchitectureSpec.parse("mlp:2-2").cost()
        #expect(throws: EstimationError.self) {
            try TrainingEstimate.project(
                cost: cost, samples: 1, epochs: 1, batchSize: 1, optimizer: .sgd(momentum: 0),
                calibration: calibration, calculator: Self.calculator())
        }
    }

    @Test func alexNetCalibratesOnConv2sProductAndAnMLPOnItsOwnSteps() throws {
        let alexNet = try ArchitectureSpec.alexNet.cost()
        #expect(CalibrationWorkload.representing(.alexNet, cost: alexNet, batchSize: 128) == .matmul(m: 729, n: 256, k: 2400))
        let spec = try ArchitectureSpec.parse("mlp:784-256-10")
        let workload = CalibrationWorkload.representing(spec, cost: try spec.cost(), batchSize: 128)
        #expect(workload == .trainingSteps(MLPArchitecture(inputs: 784, hiddenLayers: 1, hiddenWidth: 256, outputs: 10), batchSize: 128))
    }
}
