import Foundation

/// A scatter plot of labelled points — runs at (parameters, energy) or (CO2e, quality) — with
/// an optional highlighted subset joined by a step line (the Pareto front) and an optional
/// fitted curve, written as a standalone SVG 1.1 document.
///
/// Ordinary points are `<circle class="point">` inside `<g class="series" data-series="…">`;
/// highlighted ones are `<circle class="point highlighted">` in a second series group whose
/// step line is `<path class="front">`; the fit is `<polyline class="fit">`; a point's 95%
/// interval is `<line class="error-bar">` before its circle. A label that would
/// overlap another is left out, and a note says how many.
public struct ScatterChart: Sendable {
    /// Title above the chart.
    public var title: String
    /// Horizontal axis.
    public var xAxis: ChartAxis
    /// Vertical axis.
    public var yAxis: ChartAxis
    /// The points.
    public var points: [ScatterPoint]
    /// Legend name of the ordinary points.
    public var pointsName: String
    /// Legend name of the highlighted subset.
    public var highlightName: String
    /// A curve drawn over the data range, if any.
    public var fit: FittedLine?
    /// Width of the SVG viewport, px.
    public var width: Double
    /// Height of the SVG viewport, px.
    public var height: Double

    /// Creates a scatter chart.
    ///
    /// - Parameters:
    ///   - title: Title above the chart.
    ///   - xAxis: Horizontal axis.
    ///   - yAxis: Vertical axis.
    ///   - points: The points; those with `isHighlighted` form the front.
    ///   - pointsName: Legend name of the points (default "runs").
    ///   - highlightName: Legend name of the highlighted subset (default "Pareto front").
    ///   - fit: Fitted curve to draw, if any.
    ///   - width: Viewport width, px (default 720).
    ///   - height: Viewport height, px (default 460).
    public init(
        title: String, xAxis: ChartAxis, yAxis: ChartAxis, points: [ScatterPoint],
        pointsName: String = "runs", highlightName: String = "Pareto front", fit: FittedLine? = nil,
        width: Double = 720, height: Double = 460
    ) {
        self.title = title
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.points = points
        self.pointsName = pointsName
        self.highlightName = highlightName
        self.fit = fit
        self.width = width
        self.height = height
    }

    /// Renders the chart.
    ///
    /// - Returns: A standalone SVG 1.1 document. Points a log axis cannot show (≤ 0) and
    ///   non-finite ones are left out and counted in a note; with none left the chart says
    ///   "No data".
    public func svg() -> String {
        let kept = points.filter { xAxis.accepts($0.x) && yAxis.accepts($0.y) }
        var notes: [String] = []
        if let note = ChartAxis.droppedNote(x: xAxis, y: yAxis, points: points.map { (x: $0.x, y: $0.y) }) {
            notes.append(note)
        }
        guard !kept.isEmpty else {
            return ChartCanvas.noData(title: title, xAxis: xAxis, yAxis: yAxis, notes: notes, width: width, height: height)
        }
        let front = kept.filter(\.isHighlighted).sorted { $0.x < $1.x }
        let ordinary = kept.filter { !$0.isHighlighted }
        let fitPoints = fitCurve(over: kept)
        // No legend entry for ordinary points when every point is on the front.
        var legend: [LegendEntry] = []
        if !ordinary.isEmpty || front.isEmpty {
            legend.append(LegendEntry(name: pointsName, colour: Self.pointColour, showsLine: false, showsMarker: true))
        }
        if !front.isEmpty {
            legend.append(LegendEntry(name: highlightName, colour: Self.frontColour, showsLine: true, showsMarker: true))
        }
        if let fit, !fitPoints.isEmpty {
            legend.append(LegendEntry(name: fit.label, colour: Self.fitColour, dash: "6 4", showsLine: true, showsMarker: false))
        }
        // Reserve a line for a note about labels left out, so it has room if needed.
        let labelled = kept.contains { !($0.label ?? "").isEmpty }
        var canvas = ChartCanvas(
            title: title, xAxis: xAxis, yAxis: yAxis,
            xValues: kept.map(\.x),
            yValues: kept.flatMap { point in [point.y] + (point.errorBar(on: yAxis).map { [$0.low, $0.high] } ?? []) }, legend: legend,
            noteLines: notes.count + (labelled ? 1 : 0), width: width, height: height)
        canvas.drawFrame()
        if let fit, fitPoints.count > 1 {
            let coordinates = fitPoints.map { "\(n(canvas.x($0.x))),\(n(canvas.y($0.y)))" }.joined(separator: " ")
            canvas.writer.element(
                "polyline",
                [
                    ("class", "fit"), ("data-label", fit.label), ("points", coordinates), ("fill", "none"),
                    ("stroke", Self.fitColour), ("stroke-width", "1.5"), ("stroke-dasharray", "6 4"),
                ])
        }
        drawGroup(ordinary, name: pointsName, colour: Self.pointColour, highlighted: false, on: &canvas)
        if !front.isEmpty {
            drawGroup(front, name: highlightName, colour: Self.frontColour, highlighted: true, on: &canvas)
        }
        let omitted = drawLabels(kept, on: &canvas)
        if omitted > 0 {
            notes.append("Note: \(omitted) point label\(omitted == 1 ? "" : "s") left out to avoid overlap.")
        }
        return canvas.finish(notes: notes)
    }

    static let pointColour = ChartPalette.okabeIto[0]
    static let frontColour = ChartPalette.okabeIto[1]
    static let fitColour = "#555555"

    private func drawGroup(_ group: [ScatterPoint], name: String, colour: String, highlighted: Bool, on canvas: inout ChartCanvas) {
        canvas.writer.open("g", [("class", "series"), ("data-series", name), ("data-points", "\(group.count)")])
        if highlighted, group.count > 1 {
            // Step line: along x at the current y, then to the next point's y — the boundary
            // of the region the front dominates.
            var path = "M \(n(canvas.x(group[0].x))) \(n(canvas.y(group[0].y)))"
            for point in group.dropFirst() {
                path += " H \(n(canvas.x(point.x))) V \(n(canvas.y(point.y)))"
            }
            canvas.writer.element(
                "path",
                [
                    ("class", "front"), ("d", path), ("fill", "none"), ("stroke", colour), ("stroke-width", "1.5"),
                ])
        }
        for point in group {
            if let bar = point.errorBar(on: yAxis) {
                let x = n(canvas.x(point.x))
                canvas.writer.element(
                    "line",
                    [
                        ("class", "error-bar"), ("x1", x), ("x2", x), ("y1", n(canvas.y(bar.low))), ("y2", n(canvas.y(bar.high))),
                        ("stroke", colour), ("stroke-width", "1.5"),
                    ])
            }
            canvas.writer.element(
                "circle",
                [
                    ("class", highlighted ? "point highlighted" : "point"), ("cx", n(canvas.x(point.x))),
                    ("cy", n(canvas.y(point.y))), ("r", highlighted ? "5" : "4"), ("fill", colour),
                    ("fill-opacity", "0.85"), ("stroke", "white"), ("stroke-width", "1"),
                ])
        }
        canvas.writer.close("g")
    }
}

private func n(_ value: Double) -> String { SVGWriter.number(value) }
