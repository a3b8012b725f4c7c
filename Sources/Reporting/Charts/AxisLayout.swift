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
        case .linear:
            // An axis from -1e308 to 1e308 is wider than the largest Double: measure in halves.
            let span = upper - lower
            return span.isFinite ? (value - lower) / span : (value / 2 - lower / 2) / (upper / 2 - lower / 2)
        case .log10:
            return (Foundation.log10(value) - Foundation.log10(lower)) / (Foundation.log10(upper) - Foundation.log10(lower))
        }
    }

    /// Lays an axis out for values; those the scale cannot show (not finite, or ≤ 0 on a log
    /// axis) are left out.
    ///
    /// - Parameters:
    ///   - values: The values; with none the axis spans 0…1 (1…10 on a log axis).
    ///   - axis: Scale and zero inclusion.
    ///   - maximumLabels: How many labels fit along the axis.
    static func make(for values: [Double], axis: ChartAxis, maximumLabels: Int) -> AxisLayout {
        let shown = values.filter(axis.accepts)
        switch axis.scale {
        case .linear:
            let low = shown.min() ?? 0
            let high = shown.max() ?? 1
            let from = axis.includesZero ? min(low, 0) : low
            let to = axis.includesZero ? max(high, 0) : high
            return linear(min: from, max: to, targetCount: max(2, maximumLabels))
        case .log10:
            return logarithmic(min: shown.min() ?? 1, max: shown.max() ?? 10, maximumLabels: max(2, maximumLabels))
        }
    }

    /// Most labels an axis is laid out for, whatever a caller asks: ticks stay few and their
    /// steps stay far from the subnormal range.
    static let labelLimit = 100

    /// The "nice" step (1, 2 or 5 × 10ᵏ) nearest above `rawStep`; never above 1e308, the largest
    /// finite power of ten, nor below 1e-300.
    static func niceStep(_ rawStep: Double) -> Double {
        guard rawStep > 0, !rawStep.isNaN else { return 1 }
        guard rawStep < 1e308 else { return 1e308 }
        guard rawStep > 1e-300 else { return 1e-300 }
        let exponent = floor(log10(rawStep))
        let power = pow(10, exponent)
        let fraction = rawStep / power
        let nice: Double = fraction <= 1 + 1e-9 ? 1 : fraction <= 2 + 1e-9 ? 2 : fraction <= 5 + 1e-9 ? 5 : 10
        return min(nice * power, 1e308)
    }

    /// Ticks every nice step covering [min, max] with at most about `targetCount` intervals.
    ///
    /// Any finite input gives at most about `targetCount` + 3 ticks, all finite: a span wider than
    /// the largest Double is measured in halves and clamped to ±`greatestFiniteMagnitude`, and a
    /// span narrower than 1e-300 (subnormals) opens a window around its values. A non-finite
    /// bound is read as 0 (lower) or 1 (upper).
    static func linear(min low: Double, max high: Double, targetCount: Int) -> AxisLayout {
        let largest = Double.greatestFiniteMagnitude
        let count = Swift.min(Swift.max(2, targetCount), labelLimit)
        var from = low.isFinite ? low : 0
        var to = high.isFinite ? high : 1
        if from > to { swap(&from, &to) }
        let halfSpan = to / 2 - from / 2
        if halfSpan <= abs(to / 2) * 1e-12 || halfSpan < 1e-300 {
            // All values equal (or one point, or all within 1e-300): open a window around them.
            let middle = from / 2 + to / 2
            let half = middle == 0 ? 1 : Swift.max(abs(middle) * 0.1, 1e-300)
            from = Swift.max(middle - half, -largest)
            to = Swift.min(middle + half, largest)
        }
        // (to - from) / (count - 1), without overflowing when the span passes the largest Double.
        let step = niceStep((to / 2 - from / 2) / Double(count - 1) * 2)
        let first = (from / step + 1e-9).rounded(.down)
        let last = (to / step - 1e-9).rounded(.up)
        guard last - first <= Double(count) * 2 + 4 else {
            // Cannot happen with a nice step at least (to - from) / (count - 1); kept so a
            // rounding surprise draws a plain two-tick axis instead of looping.
            return plain(from: from, to: to)
        }
        let lower = Swift.max(first * step, -largest)
        let upper = Swift.min(last * step, largest)
        let ticks = (0...Int(last - first)).map { cleaned((first + Double($0)) * step, step: step) }.filter(\.isFinite)
        return AxisLayout(
            scale: .linear, lower: lower, upper: upper, majorTicks: ticks, minorTicks: [],
            labels: ticks.map { ($0, TickLabelFormatter.label($0, step: step)) })
    }

    /// An axis with a tick at each end, for what the nice-step layout cannot place.
    private static func plain(from: Double, to: Double) -> AxisLayout {
        AxisLayout(
            scale: .linear, lower: from, upper: to, majorTicks: [from, to], minorTicks: [],
            labels: [(from, TickLabelFormatter.label(from)), (to, TickLabelFormatter.label(to))])
    }

    /// Decade ticks (1, 10, 100…) with minor ticks at 2…9 × 10ᵏ when they fit. Within a
    /// single decade, 2 and 5 are labelled too so the axis never has fewer than three labels.
    /// With more decades than twice `maximumLabels`, only labelled decades get a major tick.
    /// Bounds that are not finite and positive are read as 1 (lower) and 10 (upper); decades
    /// stay within 1e-323…1e308, the powers of ten a Double holds.
    static func logarithmic(min low: Double, max high: Double, maximumLabels: Int) -> AxisLayout {
        let maximumLabels = Swift.min(Swift.max(2, maximumLabels), labelLimit)
        var low = low.isFinite && low > 0 ? low : 1
        var high = high.isFinite && high > 0 ? high : 10
        if low > high { swap(&low, &high) }
        var lowExponent = Swift.max(-323, Int(floor(log10(low) + 1e-12)))
        var highExponent = Swift.min(308, Int(ceil(log10(high) - 1e-12)))
        if highExponent <= lowExponent {
            // One value that is an exact power of ten: show the decades on either side.
            if lowExponent > -323 { lowExponent -= 1 }
            if highExponent < 308 { highExponent += 1 }
        }
        let decades = highExponent - lowExponent
        let stride = Swift.max(1, Int((Double(decades + 1) / Double(maximumLabels)).rounded(.up)))
        let everyDecadeIsMajor = decades + 1 <= 2 * maximumLabels
        var majors: [Double] = []
        var labels: [(Double, String)] = []
        var minors: [Double] = []
        for exponent in lowExponent...highExponent {
            let value = pow(10, Double(exponent))
            let labelled = (exponent - lowExponent) % stride == 0
            if labelled || everyDecadeIsMajor { majors.append(value) }
            if labelled { labels.append((value, TickLabelFormatter.label(value))) }
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
            scale: .log10, lower: pow(10, Double(lowExponent)), upper: pow(10, Double(highExponent)), majorTicks: majors,
            minorTicks: minors, labels: labels.sorted { $0.0 < $1.0 })
    }

    /// Removes floating-point noise from k × step (0.30000000000000004 → 0.3). Below a step of
    /// 1e-13, rounding to decimals would make every tick 0: those keep 13 significant digits.
    private static func cleaned(_ value: Double, step: Double) -> Double {
        let decimals = Swift.max(0, Int(-floor(log10(step))) + 2)
        guard decimals <= 15 else { return Double(String(format: "%.12e", value)) ?? value }
        let scale = pow(10, Double(decimals))
        let result = (value * scale).rounded() / scale
        return result == 0 ? 0 : result
    }
}
