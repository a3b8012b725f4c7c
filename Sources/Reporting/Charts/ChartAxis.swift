/// How values map to distance along an axis.
public enum AxisScale: String, Sendable, Hashable, Codable {
    /// Equal distances for equal differences.
    case linear
    /// Equal distances for equal ratios; ticks at decades (1, 10, 100…). Values ≤ 0 cannot be
    /// shown and are dropped with a note in the chart.
    case log10
}

/// One axis of a chart: its title, unit and scale.
public struct ChartAxis: Sendable, Hashable {
    /// What the axis shows ("Energy").
    public var title: String
    /// Unit shown after the title in parentheses ("J"); nil for none.
    public var unit: String?
    /// Linear or log10.
    public var scale: AxisScale
    /// Extends a linear axis to include zero (useful for power, energy, counts).
    public var includesZero: Bool

    /// Creates an axis.
    ///
    /// - Parameters:
    ///   - title: What the axis shows.
    ///   - unit: Unit in parentheses after the title, if any.
    ///   - scale: `.linear` (default) or `.log10`.
    ///   - includesZero: Whether a linear axis must reach zero.
    public init(_ title: String, unit: String? = nil, scale: AxisScale = .linear, includesZero: Bool = false) {
        self.title = title
        self.unit = unit
        self.scale = scale
        self.includesZero = includesZero
    }

    /// The label drawn beside the axis: "Energy (J)".
    public var label: String {
        guard let unit, !unit.isEmpty else { return title }
        return "\(title) (\(unit))"
    }

    /// Whether a value can be placed on this axis.
    func accepts(_ value: Double) -> Bool {
        value.isFinite && (scale == .linear || value > 0)
    }
}

extension ChartAxis {
    /// The note a chart prints for points it could not draw, naming each reason:
    /// "Note: 2 points not drawn (Energy ≤ 0 on a log scale; not finite)." Nil when none.
    static func droppedNote(x xAxis: ChartAxis, y yAxis: ChartAxis, points: [(x: Double, y: Double)]) -> String? {
        let dropped = points.filter { !xAxis.accepts($0.x) || !yAxis.accepts($0.y) }
        guard !dropped.isEmpty else { return nil }
        var reasons: [String] = []
        if dropped.contains(where: { !$0.x.isFinite || !$0.y.isFinite }) { reasons.append("not finite") }
        for (axis, values) in [(xAxis, dropped.map(\.x)), (yAxis, dropped.map(\.y))]
        where axis.scale == .log10 && values.contains(where: { $0 <= 0 }) {
            reasons.append("\(axis.title) ≤ 0 on a log scale")
        }
        let count = dropped.count
        return "Note: \(count) point\(count == 1 ? "" : "s") not drawn (\(reasons.joined(separator: "; ")))."
    }
}
