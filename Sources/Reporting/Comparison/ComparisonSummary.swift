import Foundation
import Statistics

/// The comparison as `footprint compare --json` prints it, for scripts: every point with its
/// runs and energy interval, the Pareto front, every energy ratio with its interval, the
/// scaling exponent (null when not fitted) and the conclusion. Absent figures are `null`, so
/// every key is always present — except a point's `startupJoules`, which only wrapped programs
/// that sent a `train_begin` have (its presence says `joules` is the training's alone).
public struct ComparisonSummary: Sendable, Equatable, Encodable {
    /// One configuration.
    public struct Point: Sendable, Equatable, Encodable {
        /// The point's label (`H = 100`).
        public var label: String
        /// The model's name, when recorded.
        public var model: String?
        /// Run ids.
        public var runs: [Int64]
        /// Trainable parameters, when recorded.
        public var parameters: Int64?
        /// Median FLOPs.
        public var flops: Int64?
        /// Energy over the runs; null when none recorded it. The training's when the point has
        /// `startupJoules`: a wrapped program's startup is left out of it.
        public var joules: Joules?
        /// The wrapped programs' startup energy (before their `train_begin`) over the runs that
        /// sent one; the key is absent when none did, so other comparisons print as before.
        public var startupJoules: Joules? = nil
        /// Whether the energy is above resolution, and so compared.
        public var resolved: Bool
        /// Quality; null when the runs share no comparable metric.
        public var quality: Quality?

        /// Encodes every key, absent figures as `null`.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(label, forKey: .label)
            try container.encode(model, forKey: .model)
            try container.encode(runs, forKey: .runs)
            try container.encode(parameters, forKey: .parameters)
            try container.encode(flops, forKey: .flops)
            try container.encode(joules, forKey: .joules)
            try container.encode(resolved, forKey: .resolved)
            try container.encode(quality, forKey: .quality)
            try container.encodeIfPresent(startupJoules, forKey: .startupJoules)
        }

        private enum CodingKeys: String, CodingKey { case label, model, runs, parameters, flops, joules, resolved, quality, startupJoules }
    }

    /// A point's energy: the median with its 95% interval over the runs (null ends for one run).
    public struct Joules: Sendable, Equatable, Encodable {
        /// The log-normal median, joules.
        public var median: Double
        /// Lower end of the 95% interval, joules; null for one run.
        public var low: Double?
        /// Upper end of the 95% interval, joules; null for one run.
        public var high: Double?

        /// Encodes every key, absent figures as `null`.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(median, forKey: .median)
            try container.encode(low, forKey: .low)
            try container.encode(high, forKey: .high)
        }

        private enum CodingKeys: String, CodingKey { case median, low, high }
    }

    /// A point's quality: the metric's name and its central value over the runs.
    public struct Quality: Sendable, Equatable, Encodable {
        /// `validation MSE`, `accuracy`.
        public var metric: String
        /// The central value over the runs.
        public var median: Double
    }

    /// One energy ratio, `of` over `to`.
    public struct Ratio: Sendable, Equatable, Encodable {
        /// Label of the larger configuration.
        public var of: String
        /// Label of the smaller configuration.
        public var to: String
        /// Ratio of median energies.
        public var median: Double
        /// Lower end of its 95% interval; null with a single run on either side.
        public var low: Double?
        /// Upper end of its 95% interval; null with a single run on either side.
        public var high: Double?
        /// Whether the interval excludes 1.
        public var distinguishable: Bool

        /// Encodes every key, absent figures as `null`.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(of, forKey: .of)
            try container.encode(to, forKey: .to)
            try container.encode(median, forKey: .median)
            try container.encode(low, forKey: .low)
            try container.encode(high, forKey: .high)
            try container.encode(distinguishable, forKey: .distinguishable)
        }

        private enum CodingKeys: String, CodingKey { case of, to, median, low, high, distinguishable }
    }

    /// The scaling exponent of energy with parameters and its 95% interval.
    public struct Scaling: Sendable, Equatable, Encodable {
        /// α in energy ∝ parameters^α.
        public var exponent: Double
        /// Lower end of α's 95% interval.
        public var low: Double?
        /// Upper end of α's 95% interval.
        public var high: Double?
        /// Configurations the fit used.
        public var points: Int

        /// Encodes every key, absent figures as `null`.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(exponent, forKey: .exponent)
            try container.encode(low, forKey: .low)
            try container.encode(high, forKey: .high)
            try container.encode(points, forKey: .points)
        }

        private enum CodingKeys: String, CodingKey { case exponent, low, high, points }
    }

    /// The configurations, in the comparison's order.
    public var points: [Point]
    /// Labels on the Pareto front, in point order.
    public var pareto: [String]
    /// Every resolved pair's energy ratio.
    public var ratios: [Ratio]
    /// The scaling exponent; null with fewer than three distinct resolved sizes.
    public var scaling: Scaling?
    /// The conclusion as plain text.
    public var conclusion: String

    /// Encodes every key, `scaling` as `null` when not fitted.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(points, forKey: .points)
        try container.encode(pareto, forKey: .pareto)
        try container.encode(ratios, forKey: .ratios)
        try container.encode(scaling, forKey: .scaling)
        try container.encode(conclusion, forKey: .conclusion)
    }

    private enum CodingKeys: String, CodingKey { case points, pareto, ratios, scaling, conclusion }

    /// Pretty-printed JSON with sorted keys.
    ///
    /// - Throws: An encoding error for a non-finite figure (none is produced by a comparison).
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
