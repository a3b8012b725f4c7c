import Foundation

/// An axis's extent and ticks, in data units, computed from the values it must show.
struct AxisLayout: Equatable {
    var scale: AxisScale
    /// Lowest and highest value of the axis (decade-aligned on a log axis).
    var lower: Double
    var upper: Double
    /// Values with a tick mark and grid line.
    var majorTicks: [Double]
    /// Values with a short tick mark only (log axes: 2…9 × 10ᵏ).
    var minorTicks: [Double]
    /// Tick labels, placed at their values.
    var labels: [(value: Double, text: String)]

    static func == (lhs: AxisLayout, rhs: AxisLayout) -> Bool {
        lhs.scale == rhs.scale && lhs.lower == rhs.lower && lhs.upper == rhs.upper
            && lhs.majorTicks == rhs.majorTicks && lhs.minorTicks == rhs.minorTicks
            && lhs.labels.map(\.text) == rhs.labels.map(\.text)
    }

    /// Position of `value` along the axis, 0 at `lower` and 1 at `upper`.
    func fraction(_ value: Double) -> Double {
        switch scale {
        case .linear: (value - lower) / (upper - lower)
        case .log10: (Foundation.log10(value) - Foundation.log10(lower)) / (Foundation.log10(upper) - Foundation.log10(lower))
        }
    }

    /// Lays an axis out for values (already filtered to those the scale accepts).
    ///
    /// - Parameters:
    ///   - values: Finite values (positive on a log axis); must not be empty.
    ///   - axis: Scale and zero inclusion.
    ///   - maximumLabels: How many labels fit along the axis.
    static func make(for values: [Double], axis: ChartAxis, maximumLabels: Int) -> AxisLayout {
        let low = values.min() ?? 0
        let high = values.max() ?? 1
        switch axis.scale {
        case .linear:
            let from = axis.includesZero ? min(low, 0) : low
            let to = axis.includesZero ? max(high, 0) : high
            return linear(min: from, max: to, targetCount: max(2, maximumLabels))
        case .log10:
            return logarithmic(min: low, max: high, maximumLabels: max(2, maximumLabels))
        }
    }

    /// The "nice" step (1, 2 or 5 × 10ᵏ) nearest above `rawStep`.
    static func niceStep(_ rawStep: Double) -> Double {
        guard rawStep > 0, rawStep.isFinite else { return 1 }
        let exponent = floor(log10(rawStep))
        let power = pow(10, exponent)
        let fraction = rawStep / power
        let nice: Double = fraction <= 1 + 1e-9 ? 1 : fraction <= 2 + 1e-9 ? 2 : fraction <= 5 + 1e-9 ? 5 : 10
        return nice * power
    }

    /// Ticks every nice step covering [min, max] with at most about `targetCount` intervals.
    static func linear(min low: Double, max high: Double, targetCount: Int) -> AxisLayout {
        var from = low
        var to = high
        if to - from <= abs(to) * 1e-12 {
            // All values equal (or one point): open a window around the value.
            let half = from == 0 ? 1 : abs(from) * 0.1
            from -= half
            to += half
        }
        let step = niceStep((to - from) / Double(max(1, targetCount - 1)))
        let first = (from / step + 1e-9).rounded(.down)
        let last = (to / step - 1e-9).rounded(.up)
        let ticks = stride(from: first, through: last, by: 1).map { cleaned($0 * step, step: step) }
        return AxisLayout(
            scale: .linear, lower: first * step, upper: last * step, majorTicks: ticks, minorTicks: [],
            labels: ticks.map { ($0, TickLabelFormatter.label($0, step: step)) })
    }

    /// Decade ticks (1, 10, 100…) with minor ticks at 2…9 × 10ᵏ when they fit. Within a
    /// single decade, 2 and 5 are labelled too so the axis never has fewer than three labels.
    static func logarithmic(min low: Double, max high: Double, maximumLabels: Int) -> AxisLayout {
        var lowExponent = Int(floor(log10(low) + 1e-12))
        var highExponent = Int(ceil(log10(high) - 1e-12))
        if highExponent <= lowExponent {
            // One value that is an exact power of ten: show the decades on either side.
            lowExponent -= 1
            highExponent += 1
        }
        let decades = highExponent - lowExponent
        let stride = max(1, Int((Double(decades + 1) / Double(maximumLabels)).rounded(.up)))
        var majors: [Double] = []
        var labels: [(Double, String)] = []
        var minors: [Double] = []
        for exponent in lowExponent...highExponent {
            let value = pow(10, Double(exponent))
            majors.append(value)
            if (exponent - lowExponent) % stride == 0 { labels.append((value, TickLabelFormatter.label(value))) }
            if exponent < highExponent, decades <= 6 {
                for multiple in 2...9 {
                    let minor = Double(multiple) * value
                    minors.append(minor)
                    if decades == 1, multiple == 2 || multiple == 5 {
                        labels.append((minor, TickLabelFormatter.label(minor)))
                    }
                }
            }
        }
        return AxisLayout(
            scale: .log10, lower: majors.first ?? 1, upper: majors.last ?? 10, majorTicks: majors,
            minorTicks: minors, labels: labels.sorted { $0.0 < $1.0 })
    }

    /// Removes floating-point noise from k × step (0.30000000000000004 → 0.3).
    private static func cleaned(_ value: Double, step: Double) -> Double {
        let decimals = max(0, Int(-floor(log10(step))) + 2)
        let scale = pow(10, Double(min(decimals, 15)))
        let result = (value * scale).rounded() / scale
        return result == 0 ? 0 : result
    }
}
