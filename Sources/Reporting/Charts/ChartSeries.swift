import Foundation

/// A point of a chart, in data units.
public struct ChartPoint: Sendable, Hashable {
    /// Horizontal value.
    public var x: Double
    /// Vertical value.
    public var y: Double

    /// Creates a point.
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// A named line of a `LineChart`: power of one zone over time, training loss over epochs.
public struct LineSeries: Sendable, Hashable {
    /// Name shown in the legend and written as `data-series`.
    public var name: String
    /// Points in drawing order (usually increasing x).
    public var points: [ChartPoint]

    /// Creates a series from points.
    ///
    /// - Parameters:
    ///   - name: Legend name.
    ///   - points: Points in drawing order.
    public init(name: String, points: [ChartPoint]) {
        self.name = name
        self.points = points
    }

    /// Creates a series from (x, y) pairs.
    ///
    /// - Parameters:
    ///   - name: Legend name.
    ///   - pairs: (x, y) values in drawing order.
    public init(name: String, pairs: [(Double, Double)]) {
        self.init(name: name, points: pairs.map { ChartPoint(x: $0.0, y: $0.1) })
    }
}

/// A labelled point of a `ScatterChart`: one run, say, at (parameters, energy).
public struct ScatterPoint: Sendable, Hashable {
    /// Horizontal value.
    public var x: Double
    /// Vertical value.
    public var y: Double
    /// Text drawn beside the point ("H = 100"); nil for none.
    public var label: String?
    /// Whether the point belongs to the highlighted subset (the Pareto front).
    public var isHighlighted: Bool
    /// Lower end of a vertical error bar (a 95% interval), nil for none.
    public var yLow: Double?
    /// Upper end of a vertical error bar, nil for none.
    public var yHigh: Double?

    /// Creates a point.
    ///
    /// - Parameters:
    ///   - x: Horizontal value.
    ///   - y: Vertical value.
    ///   - label: Text beside the point.
    ///   - isHighlighted: Whether it belongs to the highlighted subset.
    ///   - yLow: Lower end of its error bar, if any.
    ///   - yHigh: Upper end of its error bar, if any.
    public init(x: Double, y: Double, label: String? = nil, isHighlighted: Bool = false, yLow: Double? = nil, yHigh: Double? = nil) {
        self.x = x
        self.y = y
        self.label = label
        self.isHighlighted = isHighlighted
        self.yLow = yLow
        self.yHigh = yHigh
    }

    /// The error bar's ends when both are set and the axis can show them.
    func errorBar(on axis: ChartAxis) -> (low: Double, high: Double)? {
        guard let yLow, let yHigh, axis.accepts(yLow), axis.accepts(yHigh), yLow < yHigh else { return nil }
        return (yLow, yHigh)
    }
}

/// A fitted curve drawn over a scatter plot.
public enum FittedLine: Sendable, Hashable {
    /// y = slope × x + intercept.
    case linear(slope: Double, intercept: Double, label: String)
    /// y = coefficient × x^exponent — a straight line on log–log axes (energy ∝ parameters^α).
    case power(coefficient: Double, exponent: Double, label: String)

    /// Legend text.
    public var label: String {
        switch self {
        case .linear(_, _, let label), .power(_, _, let label): label
        }
    }

    /// The curve's value at `x`.
    public func value(at x: Double) -> Double {
        switch self {
        case .linear(let slope, let intercept, _): slope * x + intercept
        case .power(let coefficient, let exponent, _): coefficient * pow(x, exponent)
        }
    }
}
