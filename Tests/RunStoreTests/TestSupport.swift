import Foundation
@testable import RunStore

/// The migrations a file of this build records, spelled out so that a build registering fewer
/// (or renaming one) fails the tests instead of agreeing with itself.
let currentMigrations = ["v1-runs", "v2-energy", "v3-carbon", "v4-trust", "v5-jobs", "v6-bridges", "v7-wrapped-model"]

/// A fresh directory under the system temporary directory, removed when released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("runstore-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    /// A path inside the directory.
    func file(_ name: String) -> String { path + "/" + name }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// A date with whole milliseconds, the precision the store keeps.
func millisecondDate(_ secondsSince1970: Double) -> Date {
    Date(timeIntervalSince1970: (secondsSince1970 * 1000).rounded() / 1000)
}

/// A run of this host and process with only identity fields set.
func makeRun(
    name: String = "run", kind: RunKind = .train, startedAt: Date = millisecondDate(1_750_000_000.123),
    modelName: String? = nil, tags: [String] = []
) -> RunRecord {
    let me = ProcessIdentity.current()
    var run = RunRecord(name: name, kind: kind, startedAt: startedAt, host: me.hostName)
    run.pid = me.pid
    run.processStartTicks = me.startTicks
    run.modelName = modelName
    run.tags = tags
    return run
}

/// A run with every column set to a distinct, non-default value.
func makeFullRun() -> RunRecord {
    var run = makeRun(
        name: "mlp-h100", kind: .wrap, startedAt: millisecondDate(1_750_000_000.456),
        modelName: "mlp:1-100-1", tags: ["baseline", "h100"])
    run.endedAt = millisecondDate(1_750_000_123.789)
    run.os = "Ubuntu 24.04.1 LTS"
    run.kernel = "6.8.0-45-generic"
    run.cpuModel = "AMD EPYC 7763 64-Core Processor"
    run.cpuCount = 2
    run.memoryBytes = 8_589_934_592
    run.command = "python train.py --epochs 3"
    run.modelDescription = "MLP 1-100-1, tanh, Adam"
    run.parameterCount = 301
    run.dataset = "terrain"
    run.task = "regression"
    run.hyperparametersJSON = #"{"learningRate":0.01,"epochs":3}"#
    run.unsignedSeed = UInt64.max - 6
    run.gitCommit = "0123456789abcdef0123456789abcdef01234567"
    run.errorText = "none, but set"
    run.exitStatus = 3
    run.wallSeconds = 123.25
    run.cpuSeconds = 240.5
    run.flopsForward = 1_000_001
    run.flopsBackward = 2_000_002
    run.flopsOptimizer = 3_003
    run.flopsEvaluation = 4_004
    run.flopsTotal = 3_007_010
    run.flopsMatmul = 2_900_000
    run.phaseSecondsJSON = #"{"forward":1.5,"backward":2.5}"#
    run.gemmKernel = "avx2"
    run.samplesProcessed = 3_000
    run.predictionJSON = #"{"seconds":[100,140]}"#
    run.energyJoules = 5_000.5
    run.attributedJoules = 4_000.25
    run.energyProvenance = .estimated
    run.idleWatts = 12.5
    run.netJoules = 3_500.75
    run.energyNotesJSON = #"{"rapl":"permission denied"}"#
    run.estimateModel = "tdp:AMD EPYC 7763=280W; memory 0.3725 W/GB"
    run.energyResolutionJoules = 0.000_061_035_156_25
    run.energyResolutionSeconds = 0.001
    run.energyResolutionSource = "rapl: 2^-14 J steps, ~1 ms updates"
    run.bridgedJoules = 1_150.125
    run.energyMinimumJoules = 3_850.375
    run.energyMaximumJoules = 5_400.5
    run.energyResolved = false
    run.gramsCO2e = 0.61
    run.gramsCO2eLow = 0.4
    run.gramsCO2eHigh = 0.9
    run.intensityGramsPerKilowattHour = 436.5
    run.intensitySource = "Ember 2023"
    run.intensityYear = 2023
    run.country = "DEU"
    run.pue = 1.56
    run.embodiedGrams = 0.02
    run.embodiedKilograms = 1_200
    run.lifetimeYears = 4
    return run
}

/// The bytes of a file, to prove it was left untouched.
func bytes(of path: String) throws -> Data {
    try Data(contentsOf: URL(fileURLWithPath: path))
}

/// The files in a directory, to prove no `-wal`/`-shm`/journal was left beside a refused file.
func fileNames(in directory: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
}
