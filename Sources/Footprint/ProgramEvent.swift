import Foundation
import Vocabulary

/// One line a wrapped program wrote to `FOOTPRINT_EVENTS`.
///
/// Every value is checked before it is used: a number out of its domain (see ``EventLimits``)
/// or an `index` that is not a whole number refuses the line; an optional value of the wrong
/// type (`"loss": "0.1"`) is dropped with a warning; `null` means absent. Keys Footprint does not
/// know on a `model`, `epoch` or `result` line are kept as the run's extra facts (a number, a
/// string of at most ``ExtraFact/maximumTextLength`` characters or a boolean); on other lines
/// they are ignored.
public enum ProgramEvent: Equatable, Sendable {
    /// `{"event":"epoch","index":3,"loss":0.21,"accuracy":0.93}`; also `val_loss`/`validationLoss`,
    /// `mse`, `r2`, `samples`, and extra facts.
    case epoch(EpochMetrics, extraFacts: [String: ExtraFact] = [:])
    /// `{"event":"phase","name":"eval"}`: the program entered a named phase.
    case phase(name: String)
    /// `{"event":"model","name":"mlp-256","parameters":19210,"flops_per_sample":76800}`: the
    /// model trained.
    case model(ModelFacts, extraFacts: [String: ExtraFact] = [:])
    /// `{"event":"train_begin"}`: training starts now; what came before is the startup.
    case trainBegin
    /// `{"event":"result","accuracy":0.958}`: the run's final quality, with an epoch's keys.
    case result(QualityMetrics, extraFacts: [String: ExtraFact] = [:])
    /// `{"event":"tracking","mlflow_run_id":"…","mlflow_tracking_uri":"…"}`: the MLflow run the
    /// program logs to (the URI is optional).
    case tracking(mlflowRunID: String, mlflowTrackingURI: String?)

    /// The events a line may name, as a refusal lists them.
    static let expected = #""epoch", "phase", "model", "train_begin", "result" or "tracking""#

    /// Parses one line.
    ///
    /// - Parameters:
    ///   - line: The line, without its newline.
    ///   - warn: Receives a sentence for each optional value dropped from an accepted line.
    /// - Returns: The event, or a description of what is wrong with the line.
    public static func parse(_ line: String, warn: (String) -> Void = { _ in }) -> Result<ProgramEvent, EventLineError> {
        let refuse = { (problem: String) in Result<ProgramEvent, EventLineError>.failure(EventLineError(line: line, problem: problem)) }
        guard let data = line.data(using: .utf8),
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        else { return refuse("not a JSON object") }
        guard let kind = object["event"] as? String else {
            return refuse("no \"event\" key (expected \(expected))")
        }
        let fields = EventFields(object: object)
        let parsed: Result<ProgramEvent, EventFields.Refusal>
        switch kind {
        case "epoch":
            parsed = fields.epoch(warn: warn).map { metrics in
                .epoch(
                    metrics,
                    extraFacts: fields.extraFacts(excluding: EventFields.epochKeys, context: "epoch \(metrics.index)", warn: warn))
            }
        case "phase":
            parsed = fields.phaseName().map { .phase(name: $0) }
        case "model":
            parsed = fields.model(warn: warn).map { model in
                .model(model, extraFacts: fields.extraFacts(excluding: EventFields.modelKeys, context: "model", warn: warn))
            }
        case "train_begin":
            parsed = .success(.trainBegin)
        case "result":
            parsed = fields.quality(context: "result", warn: warn).map { quality in
                .result(quality, extraFacts: fields.extraFacts(excluding: EventFields.epochKeys, context: "result", warn: warn))
            }
        case "tracking":
            parsed = fields.tracking(warn: warn).map { .tracking(mlflowRunID: $0.runID, mlflowTrackingURI: $0.uri) }
        default:
            return refuse("unknown event \"\(EventFields.shown(kind))\" (expected \(expected))")
        }
        return parsed.mapError { EventLineError(line: line, problem: $0.problem) }
    }
}

/// A malformed event line: reported and skipped, never fatal.
public struct EventLineError: Error, Equatable, CustomStringConvertible {
    /// The start of the line (at most 120 characters: a line may be a megabyte long).
    public var line: String
    public var problem: String

    public init(line: String, problem: String) {
        self.line = line.count > 120 ? String(line.prefix(117)) + "..." : line
        self.problem = problem
    }

    public var description: String { "ignored event line '\(line)': \(problem)" }
}
