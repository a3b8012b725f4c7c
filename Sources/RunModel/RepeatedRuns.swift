import Foundation
import RunStore
import Statistics
import Vocabulary

/// N trials of one configuration, each stored as a run and tagged as one group, with the
/// median and 95% interval of what they cost.
public struct RepeatedRuns: Sendable, Encodable {
    /// The tag every trial carries: `repeat:<when>-<random>`.
    public var group: String
    /// The trials, as stored, in order.
    public var runs: [RunDocument]
    public var summary: RepeatSummary

    /// Builds the summary of stored runs.
    ///
    /// - Parameters:
    ///   - group: The group tag.
    ///   - runs: The trials.
    public init(group: String, runs: [RunDocument]) {
        self.group = group
        self.runs = runs
        summary = RepeatSummary(runs: runs)
    }

    /// A fresh group tag: the UTC time to the second and four random hex digits.
    public static func makeGroupTag(now: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss"
        return "repeat:" + formatter.string(from: now) + "-" + String(format: "%04x", UInt16.random(in: 0...UInt16.max))
    }

    /// Pretty-printed JSON with sorted keys: `{"group", "runs": [...], "summary": {...}}`.
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}

/// Median and 95% interval of the repeats' joules, seconds, CO2e and quality.
///
/// Energy, time and CO2e are positive and right-skewed, so they are summarised on logarithms
/// (``RepeatStatistics/method`` says how and why); the quality metric, which may be negative
/// (R²), with a t interval on its values. With one run there is no interval (low and high null).
public struct RepeatSummary: Sendable, Encodable {
    public var count: Int
    /// Runs whose energy is above their meters' resolution; figures below it are noise.
    public var resolvedRuns: Int
    public var joules: CentralInterval?
    public var seconds: CentralInterval?
    public var gramsCO2e: CentralInterval?
    /// `accuracy`, `mse` or `r2`: the quality metric every run recorded.
    public var metric: String?
    public var quality: CentralInterval?
    public var confidence: Double
    public var method: String

    /// - Parameter runs: The trials.
    public init(runs: [RunDocument]) {
        count = runs.count
        resolvedRuns = runs.filter { $0.energy?.resolved == true }.count
        joules = RepeatStatistics.logNormalInterval(runs.compactMap { $0.energy?.joules })
        seconds = RepeatStatistics.logNormalInterval(runs.compactMap { $0.seconds["wall"] })
        gramsCO2e = RepeatStatistics.logNormalInterval(runs.compactMap { $0.carbon?.gramsCO2e })
        let metrics: [(MetricName, (RunDocument) -> Double?)] = [
            (.accuracy, { $0.metrics.accuracy }), (.mse, { $0.metrics.mse }), (.r2, { $0.metrics.r2 }),
        ]
        for (name, value) in metrics {
            let values = runs.compactMap(value)
            guard !values.isEmpty, values.count == runs.count else { continue }
            metric = name.rawValue
            quality = RepeatStatistics.meanInterval(values)
            break
        }
        confidence = RepeatStatistics.confidence
        method = RepeatStatistics.method
    }

    /// Keys by name, since the quality metric is keyed by its own name (`"accuracy": {…}`).
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(count, forKey: Key("count"))
        try container.encode(resolvedRuns, forKey: Key("resolvedRuns"))
        try container.encode(joules, forKey: Key("joules"))
        try container.encode(seconds, forKey: Key("seconds"))
        try container.encode(gramsCO2e, forKey: Key("gramsCO2e"))
        try container.encode(confidence, forKey: Key("confidence"))
        try container.encode(method, forKey: Key("method"))
        if let metric, let quality { try container.encode(quality, forKey: Key(metric)) }
    }
}
