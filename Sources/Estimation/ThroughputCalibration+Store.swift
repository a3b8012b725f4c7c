import Carbon
import RunStore

extension ThroughputCalibration {
    /// Throughput and energy per FLOP of the most recent completed `footprint train` runs.
    ///
    /// GFLOP/s = Σ FLOPs / Σ wall seconds (setup and evaluation included, so it is what a whole
    /// run achieved); J/FLOP = Σ joules / Σ FLOPs, with each run's attributed joules when it has
    /// them. The energy is `.estimated` if any run's was.
    ///
    /// - Parameters:
    ///   - database: The store.
    ///   - databasePath: Its path, for messages.
    ///   - limit: At most this many runs, newest first.
    /// - Returns: The calibration.
    /// - Throws: `EstimationError.noStoredRuns` when no completed run has FLOPs, time and energy;
    ///   `RunStoreError` when the store cannot be read.
    public static func fromStoredRuns(_ database: any RunStorage, databasePath: String, limit: Int = 5) throws -> ThroughputCalibration {
        let candidates = try database.runs(limit: 200, status: .completed).filter { run in
            run.kind == .train && (run.flopsTotal ?? 0) > 0 && (run.wallSeconds ?? 0) > 0 && run.energyJoules != nil
        }
        let runs = Array(candidates.prefix(max(limit, 1)))
        guard !runs.isEmpty else {
            throw EstimationError.noStoredRuns(
                databasePath: databasePath, reason: "no completed training run with FLOPs, time and energy")
        }
        let flops = runs.reduce(0.0) { $0 + Double($1.flopsTotal ?? 0) }
        let seconds = runs.reduce(0.0) { $0 + ($1.wallSeconds ?? 0) }
        let joules = runs.reduce(0.0) { $0 + ($1.attributedJoules ?? $1.energyJoules ?? 0) }
        let estimated = runs.contains { $0.energyProvenance != .measured }
        let models = Set(runs.compactMap(\.estimateModel)).sorted()
        var notes: [String] = []
        if runs.contains(where: { $0.attributedJoules == nil }) {
            notes.append("some runs have whole-machine energy only (no attribution)")
        }
        let ids = runs.compactMap(\.id).map(String.init).joined(separator: ", ")
        let names = Set(runs.compactMap(\.modelName)).sorted().joined(separator: ", ")
        return ThroughputCalibration(
            source: .storedRuns, workload: "stored runs \(ids) (\(names))",
            gflopsPerSecond: flops / seconds / 1e9, joulesPerFlop: joules / flops,
            energyBasis: estimated ? .estimated : .measured,
            energySource: estimated
                ? (models.isEmpty ? "estimated (model not recorded)" : models.joined(separator: "; ")) : "meters recorded with each run",
            flops: flops, seconds: seconds, joules: joules, threads: 1,
            kernel: runs.first?.gemmKernel, notes: notes)
    }
}
