import Footprint
import Learning
import Vocabulary
import RunModel

/// The FLOP ledger's share of a training step on the smallest model (1-10-1, batch 32, the
/// terrain shape), where bookkeeping weighs most.
///
/// The ledger cannot be switched off (every kernel reports into it), so its cost is measured
/// by replay: the steps are timed, the number of ledger operations per step is read from the
/// ledger itself, and the same number of `add` calls, over the same slots and phases, is timed
/// on its own. The share is replayed ledger seconds ÷ step seconds.
package struct LedgerOverheadBenchmark {
    package var steps = 20_000
    package var batchSize = 32

    package init() {}

    package func run() throws -> [BenchmarkRow] {
        let architecture = MLPArchitecture(inputs: 1, hiddenLayers: 1, hiddenWidth: 10, outputs: 1)
        let loop = try SyntheticTrainingLoop(architecture: architecture, batchSize: batchSize, threads: 1)
        loop.run(steps: steps / 10)  // warm-up
        loop.resetLedger()
        let start = Clocks.monotonicSeconds()
        loop.run(steps: steps)
        let stepSeconds = (Clocks.monotonicSeconds() - start) / Double(steps)
        let operationsPerStep = max(loop.ledger.operationCount / steps, 1)

        var replay = loop.ledger.emptyCopy()
        let slots = replay.slotNames.count
        let phases: [Phase] = [.forward, .backward, .optimizer]
        // The per-step sequence of (slot, phase) is fixed up front, so the timed loop does what
        // a kernel does: one `add` with ready arguments.
        let plan = (0..<operationsPerStep).map { (slot: $0 % slots, phase: phases[$0 % phases.count]) }
        let replayStart = Clocks.monotonicSeconds()
        replay.replay(plan, repetitions: steps)
        let replaySeconds = (Clocks.monotonicSeconds() - replayStart) / Double(steps)
        // Keep the replay observable so the optimiser cannot drop it.
        precondition(replay.operationCount == steps * operationsPerStep)
        let share = replaySeconds / stepSeconds
        return [
            BenchmarkRow(
                group: "mlp", name: "FLOP ledger share of a step, \(architecture.description) b\(batchSize)",
                value: share * 100, unit: "%", higherIsBetter: false, goal: "< 1%", goalMet: share < 0.01,
                note:
                    "\(operationsPerStep) ledger operations per \(UnitFormat.seconds(stepSeconds)) step, replayed in \(UnitFormat.seconds(replaySeconds))"
            )
        ]
    }
}
