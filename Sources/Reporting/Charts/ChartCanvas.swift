/// One entry of a chart's legend.
struct LegendEntry {
    var name: String
    var colour: String
    var dash: String = ""
    var showsLine: Bool
    var showsMarker: Bool
}

/// The frame every chart shares: margins, axes, ticks, grid, titles, legend and notes. A chart
/// lays the canvas out from its data, draws its series with `x(_:)`/`y(_:)`, then `finish`es.
struct ChartCanvas {
    static let titleFontSize = 15.0
    static let tickFontSize = 11.0
    static let legendFontSize = 12.0
    static let noteFontSize = 11.0

    let width: Double
    let height: Double
    let xLayout: AxisLayout
    let yLayout: AxisLayout
    let plotLeft: Double
    let plotTop: Double
    let plotRight: Double
    let plotBottom: Double
    var writer = SVGWriter()

    private let title: String
    private let xAxis: ChartAxis
    private let yAxis: ChartAxis
    private let legend: [LegendEntry]
    private let legendRows: [[(entry: LegendEntry, width: Double)]]

    /// Lays the chart out; `xValues`/`yValues` hold every plotted value (non-empty, accepted by
    /// their axes); `noteLines` lines are kept free at the bottom for `finish(notes:)`.
    init(
        title: String, xAxis: ChartAxis, yAxis: ChartAxis, xValues: [Double], yValues: [Double],
        legend: [LegendEntry], noteLines: Int, width: Double, height: Double
    ) {
        self.title = title
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.legend = legend
        self.width = width
        self.height = height
        legendRows = Self.wrap(legend, width: width - 40)
        plotTop = 36 + Double(legendRows.count) * 18 + 10
        plotBottom = height - 44 - Double(noteLines) * 15 - (noteLines > 0 ? 8 : 0)
        let yLabelCount = max(2, Int((plotBottom - plotTop) / 36))
        yLayout = AxisLayout.make(for: yValues, axis: yAxis, maximumLabels: yLabelCount)
        let widest = yLayout.labels.map { SVGWriter.textWidth($0.text, fontSize: Self.tickFontSize) }.max() ?? 0
        plotLeft = 14 + 16 + 8 + widest + 6
        var right = width - 20
        var layout = AxisLayout.make(for: xValues, axis: xAxis, maximumLabels: 2)
        var target = max(2, Int((right - plotLeft) / 60))
        while target >= 2 {
            // Fewer labels until the widest fits its share of the axis with a gap.
            layout = AxisLayout.make(for: xValues, axis: xAxis, maximumLabels: target)
            let labelWidths = layout.labels.map { SVGWriter.textWidth($0.text, fontSize: Self.tickFontSize) }
            let lastHalf = (labelWidths.last ?? 0) / 2
            right = min(width - 20, width - 8 - lastHalf)
            let needed = Double(layout.labels.count) * ((labelWidths.max() ?? 0) + 14)
            if needed <= right - plotLeft || target == 2 { break }
            target -= 1
        }
        xLayout = layout
        plotRight = right
    }

    /// Horizontal position of an x value.
    func x(_ value: Double) -> Double { plotLeft + xLayout.fraction(value) * (plotRight - plotLeft) }
    /// Vertical position of a y value.
    func y(_ value: Double) -> Double { plotBottom - yLayout.fraction(value) * (plotBottom - plotTop) }

    /// Background, title, legend, grid, axes, ticks and axis titles; then opens the clipped
    /// group series are drawn into.
    mutating func drawFrame() {
        writer.element("rect", [("width", "100%"), ("height", "100%"), ("fill", "white")])
        drawTitle(at: 24)
        drawLegend()
        writer.open("defs")
        writer.open("clipPath", [("id", "plot-area")])
        writer.element(
            "rect",
            [
                ("x", n(plotLeft - 6)), ("y", n(plotTop - 6)),
                ("width", n(plotRight - plotLeft + 12)), ("height", n(plotBottom - plotTop + 12)),
            ])
        writer.close("clipPath")
        writer.close("defs")
        drawGrid()
        drawXAxis()
        drawYAxis()
        writer.open("g", [("class", "data"), ("clip-path", "url(#plot-area)")])
    }

    /// Closes the data group, writes the notes (bottom-aligned) and returns the document.
    mutating func finish(notes: [String]) -> String {
        writer.close("g")
        drawNotes(notes)
        return writer.document(width: width, height: height, title: title)
    }

    /// A chart with its title, empty axes' titles and a "No data" message.
    static func noData(title: String, xAxis: ChartAxis, yAxis: ChartAxis, notes: [String], width: Double, height: Double) -> String {
        var writer = SVGWriter()
        writer.element("rect", [("width", "100%"), ("height", "100%"), ("fill", "white")])
        writer.text(
            fitted(title, width: width - 20, fontSize: titleFontSize * 1.1),
            [
                ("class", "chart-title"), ("x", n(width / 2)), ("y", "24"), ("text-anchor", "middle"),
                ("font-size", n(titleFontSize)), ("font-weight", "bold"),
            ])
        writer.element(
            "rect",
            [
                ("class", "plot-frame"), ("x", "60"), ("y", "46"), ("width", n(width - 80)),
                ("height", n(height - 110 - Double(notes.count) * 15)), ("fill", "none"), ("stroke", "#bbbbbb"),
            ])
        writer.text(
            "No data",
            [
                ("class", "no-data"), ("x", n(width / 2)), ("y", n(height / 2)), ("text-anchor", "middle"),
                ("font-size", "16"), ("fill", "#555555"),
            ])
        writer.text(
            "\(yAxis.label) against \(xAxis.label)",
            [
                ("class", "axis-title"), ("x", n(width / 2)), ("y", n(height / 2 + 22)), ("text-anchor", "middle"),
                ("fill", "#555555"),
            ])
        for (index, note) in notes.enumerated() {
            writer.text(
                note,
                [
                    ("class", "note"), ("x", "14"), ("y", n(height - 14 - Double(notes.count - 1 - index) * 15)),
                    ("font-size", n(noteFontSize)), ("fill", "#555555"),
                ])
        }
        return writer.document(width: width, height: height, title: title)
    }

    // MARK: - Pieces

    private mutating func drawTitle(at baseline: Double) {
        writer.text(
            Self.fitted(title, width: width - 20, fontSize: Self.titleFontSize * 1.1),
            [
                ("class", "chart-title"), ("x", n(width / 2)), ("y", n(baseline)), ("text-anchor", "middle"),
                ("font-size", n(Self.titleFontSize)), ("font-weight", "bold"),
            ])
    }

    private mutating func drawLegend() {
        guard !legend.isEmpty else { return }
        writer.open("g", [("class", "legend")])
        for (row, entries) in legendRows.enumerated() {
            let rowWidth = entries.reduce(0) { $0 + $1.width }
            var left = (width - rowWidth) / 2
            let middle = 44 + Double(row) * 18
            for (entry, entryWidth) in entries {
                writer.open("g", [("class", "legend-entry")])
                if entry.showsLine {
                    var line: [(String, String)] = [
                        ("x1", n(left)), ("y1", n(middle)), ("x2", n(left + 22)), ("y2", n(middle)),
                        ("stroke", entry.colour), ("stroke-width", "2"),
                    ]
                    if !entry.dash.isEmpty { line.append(("stroke-dasharray", entry.dash)) }
                    writer.element("line", line)
                }
                if entry.showsMarker {
                    writer.element("circle", [("cx", n(left + 11)), ("cy", n(middle)), ("r", "3.5"), ("fill", entry.colour)])
                }
                writer.text(
                    entry.name,
                    [("class", "legend-label"), ("x", n(left + 28)), ("y", n(middle + 4)), ("font-size", n(Self.legendFontSize))])
                writer.close("g")
                left += entryWidth
            }
        }
        writer.close("g")
    }

    private mutating func drawGrid() {
        writer.open("g", [("class", "grid"), ("stroke", "#e6e6e6"), ("stroke-width", "1")])
        for value in xLayout.majorTicks {
            writer.element("line", [("x1", n(x(value))), ("y1", n(plotTop)), ("x2", n(x(value))), ("y2", n(plotBottom))])
        }
        for value in yLayout.majorTicks {
            writer.element("line", [("x1", n(plotLeft)), ("y1", n(y(value))), ("x2", n(plotRight)), ("y2", n(y(value)))])
        }
        writer.close("g")
    }

    private mutating func drawXAxis() {
        writer.open("g", [("class", "axis x-axis"), ("data-scale", xLayout.scale.rawValue), ("stroke", "#333333")])
        writer.element("line", [("x1", n(plotLeft)), ("y1", n(plotBottom)), ("x2", n(plotRight)), ("y2", n(plotBottom))])
        for value in xLayout.majorTicks { tick(x: x(value), y: plotBottom, dx: 0, dy: 6, kind: "major") }
        for value in xLayout.minorTicks { tick(x: x(value), y: plotBottom, dx: 0, dy: 3, kind: "minor") }
        for (value, text) in xLayout.labels {
            writer.text(
                text,
                [
                    ("class", "tick-label"), ("data-value", "\(value)"), ("x", n(x(value))), ("y", n(plotBottom + 19)),
                    ("text-anchor", "middle"), ("font-size", n(Self.tickFontSize)), ("stroke", "none"), ("fill", "#333333"),
                ])
        }
        writer.text(
            Self.fitted(xAxis.label, width: plotRight - plotLeft),
            [
                ("class", "axis-title"), ("x", n((plotLeft + plotRight) / 2)), ("y", n(plotBottom + 38)),
                ("text-anchor", "middle"), ("stroke", "none"), ("fill", "#222222"),
            ])
        writer.close("g")
    }

    private mutating func drawYAxis() {
        writer.open("g", [("class", "axis y-axis"), ("data-scale", yLayout.scale.rawValue), ("stroke", "#333333")])
        writer.element("line", [("x1", n(plotLeft)), ("y1", n(plotTop)), ("x2", n(plotLeft)), ("y2", n(plotBottom))])
        for value in yLayout.majorTicks { tick(x: plotLeft, y: y(value), dx: -6, dy: 0, kind: "major") }
        for value in yLayout.minorTicks { tick(x: plotLeft, y: y(value), dx: -3, dy: 0, kind: "minor") }
        for (value, text) in yLayout.labels {
            writer.text(
                text,
                [
                    ("class", "tick-label"), ("data-value", "\(value)"), ("x", n(plotLeft - 9)), ("y", n(y(value) + 4)),
                    ("text-anchor", "end"), ("font-size", n(Self.tickFontSize)), ("stroke", "none"), ("fill", "#333333"),
                ])
        }
        let middle = (plotTop + plotBottom) / 2
        writer.text(
            Self.fitted(yAxis.label, width: plotBottom - plotTop),
            [
                ("class", "axis-title"), ("x", "24"), ("y", n(middle)), ("text-anchor", "middle"),
                ("transform", "rotate(-90 24 \(n(middle)))"), ("stroke", "none"), ("fill", "#222222"),
            ])
        writer.close("g")
    }

    private mutating func tick(x: Double, y: Double, dx: Double, dy: Double, kind: String) {
        writer.element("line", [("class", "tick \(kind)"), ("x1", n(x)), ("y1", n(y)), ("x2", n(x + dx)), ("y2", n(y + dy))])
    }

    private mutating func drawNotes(_ notes: [String]) {
        guard !notes.isEmpty else { return }
        writer.open("g", [("class", "notes"), ("font-size", n(Self.noteFontSize)), ("fill", "#555555")])
        for (index, note) in notes.enumerated() {
            writer.text(
                Self.fitted(note, width: width - 28, fontSize: Self.noteFontSize),
                [
                    ("class", "note"), ("x", "14"), ("y", n(height - 12 - Double(notes.count - 1 - index) * 15)),
                ])
        }
        writer.close("g")
    }

    // MARK: - Helpers

    /// Splits legend entries into rows no wider than `width`.
    private static func wrap(_ entries: [LegendEntry], width: Double) -> [[(entry: LegendEntry, width: Double)]] {
        var rows: [[(entry: LegendEntry, width: Double)]] = []
        var current: [(entry: LegendEntry, width: Double)] = []
        var used = 0.0
        for entry in entries {
            let entryWidth = 28 + SVGWriter.textWidth(entry.name, fontSize: legendFontSize) + 18
            if !current.isEmpty, used + entryWidth > width {
                rows.append(current)
                current = []
                used = 0
            }
            current.append((entry, entryWidth))
            used += entryWidth
        }
        if !current.isEmpty { rows.append(current) }
        return rows
    }

    /// Shortens a text with "…" so it fits `width` at `fontSize`.
    static func fitted(_ text: String, width: Double, fontSize: Double = 12) -> String {
        let capacity = Int(width / (fontSize * 0.6))
        guard text.count > capacity, capacity > 1 else { return text }
        return String(text.prefix(capacity - 1)) + "…"
    }
}

/// Shorthand for SVG numbers (file-private: Reporting's other files may use short names too).
private func n(_ value: Double) -> String { SVGWriter.number(value) }
