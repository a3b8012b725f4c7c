import Foundation

/// Point labels and the fitted curve of a scatter chart.
extension ScatterChart {
    /// A rectangle in SVG coordinates.
    struct Box {
        var left, top, right, bottom: Double

        func overlaps(_ other: Box) -> Bool {
            left < other.right && other.left < right && top < other.bottom && other.top < bottom
        }
    }

    static let labelFontSize = 10.0

    /// Places each label beside its point — right, left, above, below or diagonally, the first spot that
    /// overlaps no other label, no point and stays inside the plot — and skips it otherwise.
    ///
    /// - Returns: How many labels were left out.
    func drawLabels(_ kept: [ScatterPoint], on canvas: inout ChartCanvas) -> Int {
        let markers = kept.map { point -> Box in
            let cx = canvas.x(point.x)
            let cy = canvas.y(point.y)
            return Box(left: cx - 4, top: cy - 4, right: cx + 4, bottom: cy + 4)
        }
        let plot = Box(left: canvas.plotLeft, top: canvas.plotTop, right: canvas.plotRight, bottom: canvas.plotBottom)
        var placed: [Box] = []
        var omitted = 0
        let labelled = kept.enumerated().filter { !($0.element.label ?? "").isEmpty }
        guard !labelled.isEmpty else { return 0 }
        canvas.writer.open("g", [("class", "point-labels"), ("font-size", n(Self.labelFontSize)), ("fill", "#222222")])
        for (index, point) in labelled {
            let text = point.label ?? ""
            let textWidth = SVGWriter.textWidth(text, fontSize: Self.labelFontSize)
            let cx = canvas.x(point.x)
            let cy = canvas.y(point.y)
            // (anchor x, baseline y, text-anchor): right, left, above, below, then the diagonals
            // (which rescue points in the plot's corners).
            let candidates: [(Double, Double, String)] = [
                (cx + 7, cy + 3.5, "start"), (cx - 7, cy + 3.5, "end"),
                (cx, cy - 8, "middle"), (cx, cy + 16, "middle"),
                (cx + 5, cy - 6, "start"), (cx - 5, cy - 6, "end"),
                (cx + 5, cy + 14, "start"), (cx - 5, cy + 14, "end"),
            ]
            let spot = candidates.first { candidate in
                let box = Self.box(x: candidate.0, baseline: candidate.1, anchor: candidate.2, width: textWidth)
                let clear =
                    !placed.contains { $0.overlaps(box) }
                    && !markers.enumerated().contains { $0.offset != index && $0.element.overlaps(box) }
                return clear && box.left >= plot.left && box.right <= plot.right
                    && box.top >= plot.top - 4 && box.bottom <= plot.bottom + 2
            }
            guard let (x, y, anchor) = spot else {
                omitted += 1
                continue
            }
            placed.append(Self.box(x: x, baseline: y, anchor: anchor, width: textWidth))
            canvas.writer.text(text, [("class", "point-label"), ("x", n(x)), ("y", n(y)), ("text-anchor", anchor)])
        }
        canvas.writer.close("g")
        return omitted
    }

    private static func box(x: Double, baseline: Double, anchor: String, width: Double) -> Box {
        let left: Double =
            switch anchor {
            case "start": x
            case "end": x - width
            default: x - width / 2
            }
        return Box(left: left, top: baseline - labelFontSize, right: left + width, bottom: baseline + 2)
    }

    /// Samples the fitted curve at 64 x values evenly spaced (on the x axis's own scale)
    /// across the data, keeping those the y axis can show.
    func fitCurve(over kept: [ScatterPoint]) -> [ChartPoint] {
        guard let fit, let low = kept.map(\.x).min(), let high = kept.map(\.x).max(), high > low else { return [] }
        let samples = 64
        return (0..<samples).compactMap { step -> ChartPoint? in
            let t = Double(step) / Double(samples - 1)
            let x: Double =
                switch xAxis.scale {
                // Weighted ends, not low + t × (high - low): the span may pass the largest Double.
                case .linear: low * (1 - t) + high * t
                case .log10: low * pow(high / low, t)
                }
            let y = fit.value(at: x)
            return xAxis.accepts(x) && yAxis.accepts(y) ? ChartPoint(x: x, y: y) : nil
        }
    }
}

private func n(_ value: Double) -> String { SVGWriter.number(value) }
