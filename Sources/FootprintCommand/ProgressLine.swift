import Footprint
import Learning
import Foundation
import Reporting
import Vocabulary

/// One progress line on stderr, rewritten after each epoch: epoch, loss, ETA and the predicted
/// energy of the whole run. Throttled so a fast run spends no time printing.
final class ProgressLine: @unchecked Sendable {
    // Used from the training thread only.
    private let enabled: Bool
    private var lastPrint = 0.0
    private var printed = false

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func update(_ progress: TrainingProgress) {
        guard enabled else { return }
        let now = Clocks.monotonicSeconds()
        let last = progress.epoch.index == progress.plannedEpochs
        guard last || now - lastPrint >= 0.2 else { return }
        lastPrint = now
        var parts = ["epoch \(progress.epoch.index)/\(progress.plannedEpochs)", "loss \(UnitFormat.number(progress.epoch.metrics.trainLoss))"]
        if let accuracy = progress.epoch.metrics.accuracy { parts.append("acc \(UnitFormat.percent(accuracy))") }
        if let prediction = progress.prediction {
            let remaining = max(prediction.seconds.predicted - progress.elapsedSeconds, 0)
            parts.append("ETA \(UnitFormat.seconds(remaining))")
            parts.append("run ≈ \(UnitFormat.joules(prediction.joules.predicted)) [\(UnitFormat.joules(prediction.joules.low))–\(UnitFormat.joules(prediction.joules.high))]")
        }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + parts.joined(separator: "  ")).utf8))
        printed = true
    }

    func finish() {
        if printed { FileHandle.standardError.write(Data("\n".utf8)) }
        printed = false
    }
}
