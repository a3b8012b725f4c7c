/// A line chart of one or more series — power over time per zone, loss over epochs for
/// training and validation — written as a standalone SVG 1.1 document.
///
/// ```swift
/// let chart = LineChart(
///     title: "Loss over epochs", xAxis: ChartAxis("Epoch"), yAxis: ChartAxis("MSE", scale: .log10),
///     series: [LineSeries(name: "train", pairs: train), LineSeries(name: "validation", pairs: validation)])
/// try chart.svg().write(toFile: "loss.svg", atomically: true, encoding: .utf8)
/// ```
///
/// Each series is a `<g class="series" data-series="NAME" data-points="N">` holding one
/// `<polyline class="line">` per unbroken run of points (a point a log axis cannot show breaks
/// the line) and, for series of up to `markerLimit` points, a `<circle class="point">` per point.
public struct LineChart: Sendable {
    /// Title above the chart.
    public var title: String
    /// Horizontal axis.
    public var xAxis: ChartAxis
    /// Vertical axis.
    public var yAxis: ChartAxis
    /// The lines, in legend order.
    public var series: [LineSeries]
    /// Width of the SVG viewport, px.
    public var width: Double
    /// Height of the SVG viewport, px.
    public var height: Double
    /// Series with at most this many points also get a marker per point.
    public var markerLimit: Int

    /// Creates a line chart.
    ///
    /// - Parameters:
    ///   - title: Title above the chart.
    ///   - xAxis: Horizontal axis.
    ///   - yAxis: Vertical axis.
    ///   - series: Lines, in legend order.
    ///   - width: Viewport width, px (default 720).
    ///   - height: Viewport height, px (default 420).
    ///   - markerLimit: Largest series that gets point markers (default 40).
    public init(
        title: String, xAxis: ChartAxis, yAxis: ChartAxis, series: [LineSeries],
        width: Double = 720, height: Double = 420, markerLimit: Int = 40
    ) {
        self.title = title
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.series = series
        self.width = width
        self.height = height
        self.markerLimit = markerLimit
    }

    /// Renders the chart.
    ///
    /// - Returns: A standalone SVG 1.1 document. Points a log axis cannot show (≤ 0) and
    ///   non-finite values are left out and counted in a note; with nothing left the chart says
    ///   "No data".
    public func svg() -> String {
        // Unbroken runs of drawable points per series.
        let runs: [[[ChartPoint]]] = series.map { line in
            var segments: [[ChartPoint]] = [[]]
            for point in line.points {
                if xAxis.accepts(point.x), yAxis.accepts(point.y) {
                    segments[segments.count - 1].append(point)
                } else {
                    if !(segments.last?.isEmpty ?? true) { segments.append([]) }
                }
            }
            return segments.filter { !$0.isEmpty }
        }
        let kept = runs.flatMap { $0.flatMap { $0 } }
        var notes: [String] = []
        let all = series.flatMap(\.points).map { (x: $0.x, y: $0.y) }
        if let note = ChartAxis.droppedNote(x: xAxis, y: yAxis, points: all) { notes.append(note) }
        if series.isEmpty || kept.isEmpty {
            return ChartCanvas.noData(title: title, xAxis: xAxis, yAxis: yAxis, notes: notes, width: width, height: height)
        }
        let legend = series.indices.map { index in
            LegendEntry(
                name: series[index].name, colour: ChartPalette.colour(at: index),
                dash: ChartPalette.dashPattern(at: index), showsLine: true,
                showsMarker: series[index].points.count <= markerLimit)
        }
        var canvas = ChartCanvas(
            title: title, xAxis: xAxis, yAxis: yAxis, xValues: kept.map(\.x), yValues: kept.map(\.y),
            legend: legend.filter { !$0.name.isEmpty }, noteLines: notes.count, width: width, height: height)
        canvas.drawFrame()
        for (index, line) in series.enumerated() {
            draw(line, segments: runs[index], index: index, on: &canvas)
        }
        return canvas.finish(notes: notes)
    }

    private func draw(_ line: LineSeries, segments: [[ChartPoint]], index: Int, on canvas: inout ChartCanvas) {
        let colour = ChartPalette.colour(at: index)
        let count = segments.reduce(0) { $0 + $1.count }
        canvas.writer.open("g", [("class", "series"), ("data-series", line.name), ("data-points", "\(count)")])
        for segment in segments where segment.count > 1 {
            let points = segment.map { "\(n(canvas.x($0.x))),\(n(canvas.y($0.y)))" }.joined(separator: " ")
            var attributes: [(String, String)] = [
                ("class", "line"), ("points", points), ("fill", "none"), ("stroke", colour),
                ("stroke-width", "2"), ("stroke-linejoin", "round"),
            ]
            let dash = ChartPalette.dashPattern(at: index)
            if !dash.isEmpty { attributes.append(("stroke-dasharray", dash)) }
            canvas.writer.element("polyline", attributes)
        }
        // Markers when the series is short, or for a point with no neighbour to draw a line to.
        for segment in segments where line.points.count <= markerLimit || segment.count == 1 {
            for point in segment {
                canvas.writer.element(
                    "circle",
                    [
                        ("class", "point"), ("cx", n(canvas.x(point.x))), ("cy", n(canvas.y(point.y))),
                        ("r", "3"), ("fill", colour),
                    ])
            }
        }
        canvas.writer.close("g")
    }
}

private func n(_ value: Double) -> String { SVGWriter.number(value) }
