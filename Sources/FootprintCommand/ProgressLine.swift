import Footprint
import Learning
import Foundation
import Reporting
import Synchronization
import Vocabulary
import RunModel

/// One progress line on stderr, rewritten after each epoch: epoch, loss, ETA and the predicted
/// energy of the whole run. Throttled so a fast run spends no time printing.
final class ProgressLine: Sendable {
    private let enabled: Bool
    /// When the line was last printed, and whether it has been: the training thread updates it,
    /// `finish` may come from the command's thread, so both go through the lock.
    private let state = Mutex<(lastPrint: Double, printed: Bool)>((0, false))

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func update(_ progress: TrainingProgress) {
        guard enabled else { return }
        let now = Clocks.monotonicSeconds()
        let last = progress.epoch.index == progress.plannedEpochs
        let due = state.withLock { state -> Bool in
            guard last || now - state.lastPrint >= 0.2 else { return false }
            state.lastPrint = now
            state.printed = true
            return true
        }
        guard due else { return }
        var parts = [
            "epoch \(progress.epoch.index)/\(progress.plannedEpochs)",
            "loss \(UnitFormat.number(progress.epoch.quality.trainLoss ?? .nan))",
        ]
        if let accuracy = progress.epoch.quality.accuracy { parts.append("acc \(UnitFormat.percent(accuracy))") }
        if let prediction = progress.prediction {
            let remaining = max(prediction.seconds.predicted - progress.elapsedSeconds, 0)
            parts.append("ETA \(UnitFormat.seconds(remaining))")
            parts.append(
                "run ≈ \(UnitFormat.joules(prediction.joules.predicted)) [\(UnitFormat.joules(prediction.joules.low))–\(UnitFormat.joules(prediction.joules.high))]"
            )
        }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + parts.joined(separator: "  ")).utf8))
    }

    func finish() {
        let printed = state.withLock { state -> Bool in
            defer { state.printed = false }
            return state.printed
        }
        if printed { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
