import Foundation

/// What `wrap` does with the lines of the event channel: epochs go to the store, phases to the
/// run's notes, `train_begin` ends the startup, the model, result, extra facts and MLflow run
/// are gathered for the run's end (``facts``), and what is refused is reported, in memory that
/// does not grow with the lines.
///
/// The first ``EventLimits/reportedProblems`` problems are warned about and kept in full; later
/// ones are only counted, and ``finish()`` reports the counts once. An epoch index seen before
/// is refused (the first report is kept), so no row is ever overwritten. When the store cannot
/// take an epoch (a full disk), the first failure is warned about and the rest are counted.
final class EventIntake: @unchecked Sendable {
    // @unchecked: every mutable field is only touched while `lock` is held.
    private let lock = NSLock()
    private let session: RunSession
    private let warn: @Sendable (String) -> Void
    /// Indices of the epochs stored: one range for the usual 1, 2, 3…, so it stays small.
    private var recordedIndices = IndexSet()
    private var ignoredLines: [String] = []
    private var ignoredCount = 0
    private var firstDroppedValue: String?
    private var droppedCount = 0
    private var warningsShown = 0
    private var unrecordedCount = 0
    private var firstStoreFailure: String?
    private var gathered = WrappedProgramFacts()
    private var trainingBegan = false
    private var ignoredTrainBegins = 0

    init(session: RunSession, warn: @escaping @Sendable (String) -> Void) {
        self.session = session
        self.warn = warn
    }

    /// The first ignored lines, described (at most ``EventLimits/reportedProblems``).
    var firstIgnoredLines: [String] { lock.withLock { ignoredLines } }
    /// Every line ignored.
    var ignoredLineCount: Int { lock.withLock { ignoredCount } }
    /// Epochs the store could not take.
    var unrecordedEpochCount: Int { lock.withLock { unrecordedCount } }
    /// What the program said about itself so far.
    var facts: WrappedProgramFacts { lock.withLock { gathered } }

    /// Handles one line of the channel.
    func receive(_ line: EventChannelLine) {
        lock.withLock {
            switch line {
            case .tooLong(let bytes):
                ignore(
                    "ignored an event line of \(Self.grouped(bytes)) bytes: the limit is \(Self.grouped(EventLimits.lineBytes)) bytes (1 MiB)"
                )
            case .invalidUTF8(let bytes):
                ignore("ignored an event line of \(Self.grouped(bytes)) bytes: it is not valid UTF-8")
            case .text(let text):
                let parsed = ProgramEvent.parse(text) { dropped($0) }
                switch parsed {
                case .failure(let problem): ignore(problem.description)
                case .success(.phase(let name)): session.markPhase(name)
                case .success(.epoch(let metrics, let extraFacts)):
                    if record(metrics, line: text) { gathered.keep(extraFacts) }
                case .success(.model(let model, let extraFacts)):
                    if let earlier = gathered.model, earlier != model {
                        show(
                            "a later model event replaced the earlier one ('\(earlier.name)', \(earlier.parameters) parameters) with '\(model.name)', \(model.parameters) parameters"
                        )
                    }
                    gathered.model = model
                    gathered.keep(extraFacts)
                case .success(.trainBegin): beginTraining()
                case .success(.result(let quality, let extraFacts)):
                    gathered.result = quality
                    gathered.keep(extraFacts)
                case .success(.tracking(let runID, let uri)):
                    gathered.mlflowRunID = runID
                    gathered.mlflowTrackingURI = uri
                }
            }
        }
    }

    /// The first `train_begin` ends the startup; a later one, or one after an epoch, is ignored.
    private func beginTraining() {
        guard !trainingBegan, recordedIndices.isEmpty else {
            ignoredTrainBegins += 1
            let reason = trainingBegan ? "training had already begun" : "an epoch was already recorded"
            show("a train_begin event was ignored: \(reason)")
            return
        }
        trainingBegan = true
        session.beginTraining()
    }

    /// Stores an epoch; returns whether it was stored.
    private func record(_ metrics: EpochMetrics, line: String) -> Bool {
        guard !recordedIndices.contains(metrics.index) else {
            let problem = "epoch \(metrics.index) was already recorded; a repeated index is refused and the first report kept"
            ignore(EventLineError(line: line, problem: problem).description)
            return false
        }
        do {
            try session.recordEpoch(metrics)
            recordedIndices.insert(metrics.index)
            gathered.observeEpoch(metrics)
            return true
        } catch {
            unrecordedCount += 1
            if firstStoreFailure == nil {
                firstStoreFailure = "\(error)"
                warn(
                    "epoch \(metrics.index) was not recorded (later ones the store refuses are counted, and reported when the run ends): \(error)"
                )
            }
            return false
        }
    }

    private func ignore(_ description: String) {
        ignoredCount += 1
        if ignoredLines.count < EventLimits.reportedProblems { ignoredLines.append(description) }
        show(description)
    }

    private func dropped(_ description: String) {
        droppedCount += 1
        if firstDroppedValue == nil { firstDroppedValue = description }
        show(description)
    }

    private func show(_ warning: String) {
        warningsShown += 1
        if warningsShown <= EventLimits.reportedProblems { warn(warning) }
    }

    /// Reports once what was refused or lost beyond the warnings already shown, and returns
    /// the notes to store with the run.
    func finish() -> [String] {
        lock.withLock {
            let hidden = warningsShown - EventLimits.reportedProblems
            if hidden > 0 {
                warn(
                    "… and \(Self.counted(hidden, "more problem with event lines was", "more problems with event lines were")) not shown (\(Self.grouped(ignoredCount)) lines ignored and \(Self.grouped(droppedCount)) values dropped in all)"
                )
            }
            var notes: [String] = []
            if let first = ignoredLines.first {
                notes.append("\(Self.counted(ignoredCount, "event line was", "event lines were")) ignored (the first: \(first))")
            }
            if let first = firstDroppedValue {
                notes.append("\(Self.counted(droppedCount, "value was", "values were")) dropped from event lines (the first: \(first))")
            }
            if !trainingBegan, !recordedIndices.isEmpty {
                notes.append(Self.noTrainBeginNote)
            }
            if ignoredTrainBegins > 0 {
                notes.append(
                    "\(Self.counted(ignoredTrainBegins, "train_begin event was", "train_begin events were")) ignored: training had already begun (an earlier train_begin or a recorded epoch)"
                )
            }
            notes += gathered.notes
            if let failure = firstStoreFailure {
                let lost = "\(Self.counted(unrecordedCount, "epoch was", "epochs were")) not recorded: \(failure)"
                warn(lost)
                notes.append(lost)
            }
            return notes
        }
    }

    /// The note of a run whose program sent epochs but no `train_begin`.
    static let noTrainBeginNote = "no train_begin event: the first epoch includes the program's startup"

    /// "1 epoch was", "2,976 epochs were".
    static func counted(_ number: Int, _ one: String, _ many: String) -> String {
        "\(grouped(number)) \(number == 1 ? one : many)"
    }

    /// 199990 as "199,990".
    static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var text = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return (number < 0 ? "-" : "") + text
    }
}
