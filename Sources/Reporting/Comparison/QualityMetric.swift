import Foundation
import RunModel
import Vocabulary

/// The figure that says how good a run's model is, and which way is better: accuracy (higher)
/// for classification, mean squared error (lower) or R² (higher) for regression.
public struct QualityMetric: Sendable, Equatable {
    /// Which metric: one of `MetricName.quality` (accuracy, MSE, R²) for a comparison.
    public var kind: MetricName
    /// Name for tables and sentences: `accuracy`, `validation MSE`, `training R²`.
    public var name: String
    /// True for accuracy and R², false for MSE.
    public var higherIsBetter: Bool

    /// Creates a metric description.
    ///
    /// - Parameters:
    ///   - kind: Which metric.
    ///   - split: The data it was computed on, or nil when unknown or mixed.
    public init(kind: MetricName, split: MetricSplit?) {
        self.kind = kind
        higherIsBetter = kind == .accuracy || kind == .r2
        let base =
            switch kind {
            case .accuracy: "accuracy"
            case .mse: "MSE"
            case .r2: "R²"
            case .trainLoss: "training loss"
            case .validationLoss: "validation loss"
            case .coefficient(let index): "θ\(index)"
            }
        // The losses name their split already.
        let splitName = MetricName.quality.contains(kind) ? split.map { $0.evaluatedOn + " " } : nil
        name = (splitName ?? "") + base
    }

    /// This metric's value for a run, if it recorded it.
    ///
    /// - Parameter document: The run.
    /// - Returns: The value.
    public func value(of document: RunDocument) -> Double? {
        document.metrics[kind].flatMap { $0.isFinite ? $0 : nil }
    }

    /// The value as text: `97.2%` for accuracy, `0.0123` for MSE, `0.9712` for R².
    ///
    /// - Parameter value: A value of this metric.
    /// - Returns: Text for a table.
    public func format(_ value: Double) -> String {
        switch kind {
        case .accuracy: UnitFormat.percent(value)
        case .r2: UnitFormat.fixed(value, decimals: 4)
        default: UnitFormat.number(value)
        }
    }

    /// The metric every run recorded, preferring accuracy, then MSE, then R².
    ///
    /// - Parameter documents: The runs.
    /// - Returns: The shared metric, named with its split when all runs evaluated it on the same
    ///   data; nil when no metric is shared by all of them (or there are no runs).
    public static func shared(by documents: [RunDocument]) -> QualityMetric? {
        guard !documents.isEmpty else { return nil }
        for kind in MetricName.quality {
            let probe = QualityMetric(kind: kind, split: nil)
            guard documents.allSatisfy({ probe.value(of: $0) != nil }) else { continue }
            let splits = Set(documents.map(\.metrics.split))
            return QualityMetric(kind: kind, split: splits.count == 1 ? splits.first ?? nil : nil)
        }
        return nil
    }

    /// The metric one run's report leads with.
    ///
    /// - Parameter document: The run.
    /// - Returns: Its metric, or nil when it recorded none.
    public static func primary(for document: RunDocument) -> QualityMetric? {
        shared(by: [document])
    }
}
