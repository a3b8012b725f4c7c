import Foundation

/// One line a wrapped program wrote to `FOOTPRINT_EVENTS`.
///
/// Every value is checked before it is used: a number out of its domain (see ``EventLimits``)
/// or an `index` that is not a whole number refuses the line; an optional value of the wrong
/// type (`"loss": "0.1"`) is dropped with a warning; `null` means absent; unknown keys are
/// ignored.
public enum ProgramEvent: Equatable, Sendable {
    /// `{"event":"epoch","index":3,"loss":0.21,"accuracy":0.93}`; also `val_loss`/`validationLoss`,
    /// `mse`, `r2`, `samples`.
    case epoch(EpochMetrics)
    /// `{"event":"phase","name":"eval"}`: the program entered a named phase.
    case phase(name: String)

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
            return refuse("no \"event\" key (expected \"epoch\" or \"phase\")")
        }
        switch kind {
        case "epoch":
            return EpochFields(object: object).metrics(warn: warn).map(ProgramEvent.epoch).mapError {
                EventLineError(line: line, problem: $0.problem)
            }
        case "phase":
            guard let name = object["name"] as? String, !name.isEmpty else { return refuse("a phase event needs a \"name\"") }
            guard name.count <= EventLimits.phaseNameCharacters else {
                return refuse("a phase name is at most \(EventLimits.phaseNameCharacters) characters, not \(name.count)")
            }
            return .success(.phase(name: name))
        default:
            return refuse("unknown event \"\(EpochFields.shown(kind))\" (expected \"epoch\" or \"phase\")")
        }
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

/// The values of an epoch event, each checked against its type and domain.
private struct EpochFields {
    var object: [String: Any]

    /// The problem of a refused epoch line.
    struct Refusal: Error {
        var problem: String
    }

    /// What a key held.
    enum Value {
        case absent
        case number(key: String, Double)
        case wrongType(key: String, shown: String)
    }

    func metrics(warn: (String) -> Void) -> Result<EpochMetrics, Refusal> {
        let indexRule = "a whole number from 0 to \(EventIntake.grouped(EventLimits.maximumIndex))"
        let index: Int
        switch value(of: ["index", "epoch"]) {
        case .absent: return .failure(Refusal(problem: "an epoch event needs an integer \"index\""))
        case .wrongType(let key, let shown): return .failure(Refusal(problem: "\"\(key)\" must be \(indexRule), not \(shown)"))
        case .number(let key, let number):
            // Checked as a Double before conversion: Int(1e300) traps.
            guard number.isFinite, number == number.rounded(), number >= 0, number <= Double(EventLimits.maximumIndex) else {
                return .failure(Refusal(problem: "\"\(key)\" must be \(indexRule), not \(Self.shown(number))"))
            }
            index = Int(number)
        }
        var metrics = EpochMetrics(index: index)
        // A loss may be negative (a Gaussian negative log-likelihood, say); an MSE may not.
        let lossDomain = -EventLimits.maximumLoss...EventLimits.maximumLoss
        let loss = "a loss from \(Self.shown(-EventLimits.maximumLoss)) to \(Self.shown(EventLimits.maximumLoss))"
        let rules: [(keys: [String], domain: ClosedRange<Double>, rule: String, field: WritableKeyPath<EpochMetrics, Double?>)] = [
            (["loss", "trainLoss", "train_loss"], lossDomain, loss, \.quality.trainLoss),
            (["val_loss", "validationLoss", "validation_loss"], lossDomain, loss, \.quality.validationLoss),
            (["accuracy", "acc"], 0...1, "a fraction from 0 to 1 (0.93 for 93 %)", \.quality.accuracy),
            (["mse"], 0...EventLimits.maximumLoss, "an MSE from 0 to \(Self.shown(EventLimits.maximumLoss))", \.quality.mse),
            (["r2"], EventLimits.minimumR2...1, "an R² from \(Self.shown(EventLimits.minimumR2)) to 1", \.quality.r2),
        ]
        for (keys, domain, rule, field) in rules {
            switch value(of: keys) {
            case .absent: continue
            case .wrongType(let key, let shown):
                warn("epoch \(index): \"\(key)\" was dropped: it must be a number, not \(shown)")
            case .number(let key, let number):
                guard number.isFinite else { return .failure(Refusal(problem: "\"\(key)\" is NaN or infinite")) }
                guard domain.contains(number) else {
                    return .failure(Refusal(problem: "\"\(key)\" must be \(rule), not \(Self.shown(number))"))
                }
                metrics[keyPath: field] = number
            }
        }
        switch value(of: ["samples"]) {
        case .absent: break
        case .wrongType(let key, let shown):
            warn("epoch \(index): \"\(key)\" was dropped: it must be a number, not \(shown)")
        case .number(let key, let number):
            guard number.isFinite, number == number.rounded(), number >= 0, number <= EventLimits.maximumSamples else {
                return .failure(
                    Refusal(
                        problem:
                            "\"\(key)\" must be a whole number from 0 to \(Self.shown(EventLimits.maximumSamples)), not \(Self.shown(number))"
                    ))
            }
            metrics.samples = Int(number)
        }
        return .success(metrics)
    }

    /// The first of `keys` present and not `null`. A JSON `true` is a boolean, not the number 1:
    /// JSONSerialization hands both over as NSNumber, told apart by the boolean's type code "c".
    func value(of keys: [String]) -> Value {
        for key in keys {
            guard let value = object[key], !(value is NSNull) else { continue }
            if let number = value as? NSNumber, String(cString: number.objCType) != "c" {
                return .number(key: key, number.doubleValue)
            }
            return .wrongType(key: key, shown: Self.shown(any: value))
        }
        return .absent
    }

    /// A number as `%g` prints it: 1e+300, never 300 digits.
    static func shown(_ number: Double) -> String {
        number.isFinite ? String(format: "%g", number) : "\(number)"
    }

    /// A string cut to 40 characters.
    static func shown(_ text: String) -> String {
        text.count > 40 ? String(text.prefix(37)) + "..." : text
    }

    /// A JSON value in a few characters.
    static func shown(any value: Any) -> String {
        switch value {
        case let number as NSNumber where String(cString: number.objCType) == "c": number.boolValue ? "true" : "false"
        case let text as String: "the string \"\(shown(text))\""
        case is [Any]: "an array"
        case is [String: Any]: "an object"
        default: "a \(type(of: value))"
        }
    }
}
