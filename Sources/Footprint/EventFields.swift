import Foundation
import Vocabulary

/// The values of one event line, each checked against its type and domain (``EventLimits``).
struct EventFields {
    var object: [String: Any]

    /// The problem of a refused line.
    struct Refusal: Error {
        var problem: String
    }

    /// What a key held.
    enum Value {
        case absent
        case number(key: String, Double)
        case wrongType(key: String, shown: String)
    }

    /// Every key an epoch line may use for a figure Footprint stores: the others are extra facts.
    /// A result line uses the same keys (its `index` and `samples`, if any, are not used).
    static let epochKeys: Set<String> = [
        "event", "index", "epoch", "samples", "loss", "trainLoss", "train_loss", "val_loss", "validationLoss", "validation_loss",
        "accuracy", "acc", "mse", "r2",
    ]

    /// The keys of a model line Footprint stores in columns of its own.
    static let modelKeys: Set<String> = ["event", "name", "parameters", "flops_per_sample"]

    /// An epoch's index, quality figures and samples.
    func epoch(warn: (String) -> Void) -> Result<EpochMetrics, Refusal> {
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
        let quality: QualityMetrics
        switch self.quality(context: "epoch \(index)", warn: warn) {
        case .failure(let refusal): return .failure(refusal)
        case .success(let figures): quality = figures
        }
        var metrics = EpochMetrics(index: index, quality: quality)
        switch wholeNumber(["samples"], upTo: EventLimits.maximumSamples, context: "epoch \(index)", warn: warn) {
        case .failure(let refusal): return .failure(refusal)
        case .success(let samples): metrics.samples = samples.map { Int($0) }
        }
        return .success(metrics)
    }

    /// The quality figures of an epoch or result line; `context` starts each warning.
    func quality(context: String, warn: (String) -> Void) -> Result<QualityMetrics, Refusal> {
        var quality = QualityMetrics()
        // A loss may be negative (a Gaussian negative log-likelihood, say); an MSE may not.
        let lossDomain = -EventLimits.maximumLoss...EventLimits.maximumLoss
        let loss = "a loss from \(Self.shown(-EventLimits.maximumLoss)) to \(Self.shown(EventLimits.maximumLoss))"
        let rules: [(keys: [String], domain: ClosedRange<Double>, rule: String, field: WritableKeyPath<QualityMetrics, Double?>)] = [
            (["loss", "trainLoss", "train_loss"], lossDomain, loss, \.trainLoss),
            (["val_loss", "validationLoss", "validation_loss"], lossDomain, loss, \.validationLoss),
            (["accuracy", "acc"], 0...1, "a fraction from 0 to 1 (0.93 for 93 %)", \.accuracy),
            (["mse"], 0...EventLimits.maximumLoss, "an MSE from 0 to \(Self.shown(EventLimits.maximumLoss))", \.mse),
            (["r2"], EventLimits.minimumR2...1, "an R² from \(Self.shown(EventLimits.minimumR2)) to 1", \.r2),
        ]
        for (keys, domain, rule, field) in rules {
            switch value(of: keys) {
            case .absent: continue
            case .wrongType(let key, let shown):
                warn("\(context): \"\(key)\" was dropped: it must be a number, not \(shown)")
            case .number(let key, let number):
                guard number.isFinite else { return .failure(Refusal(problem: "\"\(key)\" is NaN or infinite")) }
                guard domain.contains(number) else {
                    return .failure(Refusal(problem: "\"\(key)\" must be \(rule), not \(Self.shown(number))"))
                }
                quality[keyPath: field] = number
            }
        }
        return .success(quality)
    }

    /// A model line's name, parameters and FLOPs per sample.
    func model(warn: (String) -> Void) -> Result<ModelFacts, Refusal> {
        guard let name = object["name"] as? String, !name.isEmpty else {
            return .failure(Refusal(problem: "a model event needs a \"name\" (a string)"))
        }
        guard name.count <= EventLimits.modelNameCharacters else {
            return .failure(Refusal(problem: "a model name is at most \(EventLimits.modelNameCharacters) characters, not \(name.count)"))
        }
        let parameters: Int64
        switch wholeNumber(["parameters"], upTo: EventLimits.maximumParameters, context: "model", warn: { _ in }) {
        case .failure(let refusal): return .failure(refusal)
        case .success(nil):
            let rule = "a whole number from 0 to \(Self.shown(EventLimits.maximumParameters))"
            if case .wrongType(_, let shown) = value(of: ["parameters"]) {
                return .failure(Refusal(problem: "\"parameters\" must be \(rule), not \(shown)"))
            }
            return .failure(Refusal(problem: "a model event needs \"parameters\" (\(rule))"))
        case .success(let count?): parameters = count
        }
        var model = ModelFacts(name: name, parameters: parameters)
        switch wholeNumber(["flops_per_sample"], upTo: EventLimits.maximumFlopsPerSample, context: "model", warn: warn) {
        case .failure(let refusal): return .failure(refusal)
        case .success(let flops): model.flopsPerSample = flops
        }
        return .success(model)
    }

    /// A phase line's name.
    func phaseName() -> Result<String, Refusal> {
        guard let name = object["name"] as? String, !name.isEmpty else {
            return .failure(Refusal(problem: "a phase event needs a \"name\""))
        }
        guard name.count <= EventLimits.phaseNameCharacters else {
            return .failure(Refusal(problem: "a phase name is at most \(EventLimits.phaseNameCharacters) characters, not \(name.count)"))
        }
        return .success(name)
    }

    /// A tracking line's MLflow run id and, when given and usable, its tracking URI.
    func tracking(warn: (String) -> Void) -> Result<(runID: String, uri: String?), Refusal> {
        guard let runID = object["mlflow_run_id"] as? String, !runID.isEmpty else {
            return .failure(Refusal(problem: "a tracking event needs an \"mlflow_run_id\" (a string)"))
        }
        guard runID.count <= EventLimits.trackingRunIDCharacters else {
            return .failure(
                Refusal(problem: "an MLflow run id is at most \(EventLimits.trackingRunIDCharacters) characters, not \(runID.count)"))
        }
        var uri: String?
        switch object["mlflow_tracking_uri"] {
        case nil, is NSNull: break
        case let text as String where !text.isEmpty && text.count <= EventLimits.trackingURICharacters: uri = text
        case let text as String:
            warn(
                "tracking: \"mlflow_tracking_uri\" was dropped: it must be 1 to \(EventLimits.trackingURICharacters) characters, not \(text.count)"
            )
        case let other?:
            warn("tracking: \"mlflow_tracking_uri\" was dropped: it must be a string, not \(Self.shown(any: other))")
        }
        return .success((runID, uri))
    }

    /// The keys not in `known`, each kept when it is a number, a short string or a boolean, in
    /// key order, at most ``ExtraFact/maximumCount`` of them; the others are dropped with a warning.
    func extraFacts(excluding known: Set<String>, context: String, warn: (String) -> Void) -> [String: ExtraFact] {
        var facts: [String: ExtraFact] = [:]
        var beyondLimit = 0
        for key in object.keys.sorted() where !known.contains(key) {
            guard let value = object[key], !(value is NSNull) else { continue }
            guard key.count <= ExtraFact.maximumKeyLength else {
                warn("\(context): the key \"\(Self.shown(key))\" was dropped: a key is at most \(ExtraFact.maximumKeyLength) characters")
                continue
            }
            let fact: ExtraFact
            switch value {
            case let number as NSNumber where String(cString: number.objCType) == "c": fact = .flag(number.boolValue)
            case let number as NSNumber:
                guard number.doubleValue.isFinite else {
                    warn("\(context): \"\(Self.shown(key))\" was dropped: it is NaN or infinite")
                    continue
                }
                fact = .number(number.doubleValue)
            case let text as String:
                guard text.count <= ExtraFact.maximumTextLength else {
                    warn(
                        "\(context): \"\(Self.shown(key))\" was dropped: a string is at most \(ExtraFact.maximumTextLength) characters, not \(text.count)"
                    )
                    continue
                }
                fact = .text(text)
            default:
                warn(
                    "\(context): \"\(Self.shown(key))\" was dropped: it must be a number, a string or a boolean, not \(Self.shown(any: value))"
                )
                continue
            }
            guard facts.count < ExtraFact.maximumCount else {
                beyondLimit += 1
                continue
            }
            facts[key] = fact
        }
        if beyondLimit > 0 {
            warn(
                "\(context): \(EventIntake.counted(beyondLimit, "more key was", "more keys were")) dropped: a run keeps at most \(ExtraFact.maximumCount) extra facts"
            )
        }
        return facts
    }

    /// The first of `keys` as a whole number in 0…`maximum`: nil when absent, or when of the
    /// wrong type (dropped with a warning); a refusal when out of its domain.
    func wholeNumber(_ keys: [String], upTo maximum: Double, context: String, warn: (String) -> Void) -> Result<Int64?, Refusal> {
        switch value(of: keys) {
        case .absent: return .success(nil)
        case .wrongType(let key, let shown):
            warn("\(context): \"\(key)\" was dropped: it must be a number, not \(shown)")
            return .success(nil)
        case .number(let key, let number):
            // Checked as a Double before conversion: Int64(1e300) traps.
            guard number.isFinite, number == number.rounded(), number >= 0, number <= maximum else {
                return .failure(
                    Refusal(problem: "\"\(key)\" must be a whole number from 0 to \(Self.shown(maximum)), not \(Self.shown(number))"))
            }
            return .success(Int64(number))
        }
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
