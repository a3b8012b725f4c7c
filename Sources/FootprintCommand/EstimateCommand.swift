import ArgumentParser
import Carbon
import Energy
import Estimation
import Foundation
import Learning
import Reporting
import RunModel

/// `footprint estimate`: what training a model not run here would cost on this machine.
struct EstimateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "estimate",
        abstract: "Project the FLOPs, time, energy and CO2e of training a model on this machine.",
        discussion: """
            FLOPs come from the architecture's layer rules (2 per multiply-add, as PyTorch's FlopCounterMode). Time and energy are projected from this machine's throughput and joules per FLOP: measured now by a short run of our kernel (--calibrate measure, the default), or taken from the last completed `footprint train` runs (--calibrate store). The energy of a projection is always labelled estimated.

            AlexNet defaults: 1,200,000 samples (ImageNet 2012's 1.2 M training images), 90 epochs ("roughly 90 cycles through the training set", Krizhevsky et al. 2012 §5), batch 128, SGD with momentum 0.9. For an MLP, --samples and --epochs are required.
            """)

    @Option(name: .customLong("arch"), help: ArgumentHelp("alexnet, or mlp:IN-H-…-OUT such as mlp:784-256-10.", valueName: "architecture"))
    var architecture: String

    @Option(help: "Training samples per epoch (alexnet: 1,200,000).")
    var samples: Int?

    @Option(help: "Passes over the training samples (alexnet: 90).")
    var epochs: Int?

    @Option(name: .customLong("batch-size"), help: "Samples per optimizer step (default 128).")
    var batchSize: Int = 128

    @Option(help: ArgumentHelp("The optimizer (sgd with momentum 0.9): sets its FLOPs per step.", valueName: "name"))
    var optimizer: OptimizerChoice = .sgd

    @Option(
        help: ArgumentHelp(
            "Throughput from a short run of our kernel now (measure) or from the last completed training runs (store).", valueName: "source"
        ))
    var calibrate: CalibrationSource = .measure

    @Option(
        name: .customLong("cpu-watts"),
        help: ArgumentHelp("CPU power for the energy estimate when no meter can be read, in watts.", valueName: "W"))
    var cpuWatts: Double?

    @Flag(help: "Print one JSON object on stdout and nothing else there.")
    var json = false

    @OptionGroup var threads: ThreadOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var carbon: CarbonOptions
    @OptionGroup var choice: MeterChoice

    func validate() throws {
        if let samples, samples < 1 { throw ValidationError("--samples must be at least 1, got \(samples).") }
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1, got \(epochs).") }
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1, got \(batchSize).") }
        if let cpuWatts, !(cpuWatts > 0 && cpuWatts < 10_000) {
            throw ValidationError("--cpu-watts must be a positive number of watts, got \(cpuWatts).")
        }
    }

    func run() throws {
        let spec: ArchitectureSpec
        let cost: ArchitectureCost
        do {
            spec = try ArchitectureSpec.parse(architecture)
            cost = try spec.cost()
        } catch {
            throw ValidationError(error.description)
        }
        guard let work = TrainingWork.resolve(samples: samples, epochs: epochs, for: spec) else {
            throw ValidationError(
                "--samples and --epochs are required for \(spec.name): give the training set's size and the number of passes.")
        }
        let calculator = try carbon.calculator()
        let optimizerKind = optimizer.kind(momentum: 0.9)
        let calibration: ThroughputCalibration
        do {
            switch calibrate {
            case .store:
                let database = try store.open()
                calibration = try ThroughputCalibration.fromStoredRuns(database, databasePath: database.locationDescription)
            case .measure:
                var options = MeterOptions.fromEnvironment(ProcessInfo.processInfo.environment)
                if let cpuWatts { options.cpuWatts = cpuWatts }
                options.allowedMeters = choice.allowed
                let workload = CalibrationWorkload.representing(spec, cost: cost, batchSize: batchSize)
                if !json { printError("Calibrating: \(workload) for 0.5 s …") }
                calibration = try ThroughputCalibration.measure(workload: workload, threads: threads.count, meterOptions: options)
            }
        } catch {
            printError("footprint: \(error)")
            throw ExitCode(1)
        }
        let estimate = try TrainingEstimate.project(
            cost: cost, samples: work.samples, epochs: work.epochs, batchSize: batchSize, optimizer: optimizerKind,
            calibration: calibration, calculator: calculator)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(estimate), as: UTF8.self))
        } else {
            print(EstimateText.render(estimate, cost: cost, defaultsFrom: work.publishedSource))
        }
    }
}

/// The projection as text for a terminal.
enum EstimateText {
    /// - Parameter defaultsFrom: Where published figures the projection used come from, if any.
    static func render(_ estimate: TrainingEstimate, cost: ArchitectureCost, defaultsFrom: String?) -> String {
        var lines: [String] = []
        lines.append(
            "Estimate: \(estimate.architecture), \(UnitFormat.integer(Int64(estimate.parameters))) parameters, "
                + "\(UnitFormat.integer(Int64(estimate.samples))) samples × \(estimate.epochs) epochs, batch \(estimate.batchSize), \(estimate.optimizer)"
        )
        if let defaultsFrom { lines.append("  defaults: \(defaultsFrom)") }
        lines.append("")
        let calibration = estimate.calibration
        let basis = calibration.energyBasis.rawValue
        let carbon = estimate.carbon
        let grid =
            "\(carbon.country ?? "user value"), \(UnitFormat.number(carbon.intensityGramsPerKilowattHour)) gCO2e/kWh (\(carbon.intensitySource)), PUE \(UnitFormat.number(carbon.pue))"
        let rows: [[String]] = [
            [
                "Forward per sample",
                "\(UnitFormat.integer(Int64(estimate.forwardMACsPerSample))) MACs (\(UnitFormat.flops(Double(cost.forwardFlopsPerSample))))",
            ],
            ["Training per sample", "\(UnitFormat.flops(Double(estimate.trainingFlopsPerSample))) (forward + backward + loss)"],
            ["FLOPs, whole run", "\(UnitFormat.flops(estimate.flops)) (matrix products \(UnitFormat.flops(estimate.matmulFlops)))"],
            ["Calibration", "\(calibration.workload): \(UnitFormat.number(calibration.gflopsPerSecond)) GFLOP/s"],
            ["  energy per FLOP", "\(UnitFormat.number(calibration.joulesPerFlop * 1e12)) pJ, \(basis)"],
            ["Time on this machine", duration(estimate.seconds)],
            ["Energy", "\(UnitFormat.joules(estimate.joules)) (estimated: projected)"],
            [
                "CO2e",
                "\(UnitFormat.gramsCO2e(estimate.gramsCO2e)) [\(UnitFormat.gramsCO2e(carbon.lowGramsCO2e)) – \(UnitFormat.gramsCO2e(carbon.highGramsCO2e))]",
            ],
            ["  grid", grid],
        ]
        lines.append(Table(headers: ["Projection", "Value"], rows: rows).text())
        lines.append("")
        lines.append("Beside the lecture's reference points:")
        let referenceRows = estimate.references.map { reference -> [String] in
            var figure: [String] = []
            var ratio: [String] = []
            if let seconds = reference.seconds, let r = reference.secondsRatio {
                figure.append(duration(seconds)); ratio.append("\(times(r)) the time")
            }
            if let joules = reference.joules, let r = reference.joulesRatio {
                figure.append(UnitFormat.joules(joules)); ratio.append("\(times(r)) the energy")
            }
            if let grams = reference.gramsCO2e, let r = reference.gramsCO2eRatio {
                figure.append(UnitFormat.gramsCO2e(grams)); ratio.append("\(times(r)) the CO2e")
            }
            return [reference.name, reference.source, figure.joined(separator: ", "), ratio.joined(separator: ", ")]
        }
        lines.append(
            Table(headers: ["Reference", "Source", "Its figure", "This projection"], rows: referenceRows, rightAligned: [2]).text())
        lines.append("")
        lines.append("Provenance: \(estimate.provenance).")
        lines.append("Calibration energy \(basis) with: \(calibration.energySource)")
        for note in calibration.notes { lines.append("note: \(note)") }
        return lines.joined(separator: "\n")
    }

    /// `3.2 days`, `1.4 years`, else the usual seconds format.
    static func duration(_ seconds: Double) -> String {
        let days = seconds / 86_400
        if days >= 365.25 { return "\(UnitFormat.number(days / 365.25)) years" }
        if days >= 2 { return "\(UnitFormat.number(days)) days" }
        return UnitFormat.seconds(seconds)
    }

    /// `17×`, `0.62×`, `3.1e-05×`.
    static func times(_ ratio: Double) -> String {
        "\(UnitFormat.number(ratio))×"
    }
}
