/// A line chart rendered as inline SVG: axes with ticks and labels, grid, one path per series, vertical
/// markers (knees, recommendations) and a legend. No scripts, no external references.
///
/// Every element carries a class and, where it is unique, an id derived from the chart's `id`, so a
/// screenshot or DOM check can find it: `{id}-svg`, `{id}-x-axis`, `{id}-y-axis`, `{id}-series-{k}`,
/// `{id}-marker-{k}`, `{id}-legend`; classes `chart`, `axis`, `axis-label`, `tick`, `grid`, `series`, `marker`,
/// `legend`, `legend-item`, `no-data`.
public struct SVGChart: Sendable {
    /// One line of the chart.
    public struct Series: Sendable {
        public var name: String
        /// (x, y) in data units; a point with a non-finite y breaks the line.
        public var points: [(x: Double, y: Double)]
        /// Draw a dot at each point (for sparse sweeps).
        public var dots: Bool
        public var dashed: Bool

        public init(name: String, points: [(x: Double, y: Double)], dots: Bool = false, dashed: Bool = false) {
            self.name = name
            self.points = points
            self.dots = dots
            self.dashed = dashed
        }
    }

    /// A vertical line at an x value with a label.
    public struct Marker: Sendable {
        public enum Kind: String, Sendable { case knee, recommendation, event }
        public var x: Double
        public var label: String
        public var kind: Kind

        public init(x: Double, label: String, kind: Kind) {
            self.x = x
            self.label = label
            self.kind = kind
        }
    }

    public var id: String
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var xScaleKind: ChartScale.Kind
    public var series: [Series]
    public var markers: [Marker]
    /// Formats y tick labels (default: plain numbers; use `ReportNumber.percent` for fractions).
    public var yFormat: @Sendable (Double) -> String

    /// Line colours, cycled; chosen to stay distinct for common colour-vision deficiencies.
    public static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
                                 "#17becf"]

    static let width = 860.0
    static let height = 340.0
    static let left = 72.0
    static let right = 24.0
    static let top = 44.0
    static let bottom = 56.0

    public init(
        id: String, title: String, xLabel: String, yLabel: String, xScale: ChartScale.Kind = .linear,
        series: [Series], markers: [Marker] = [], yFormat: @escaping @Sendable (Double) -> String = ReportNumber.plain
    ) {
        self.id = id
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xScaleKind = xScale
        self.series = series
        self.markers = markers
        self.yFormat = yFormat
    }

    /// Whether any series has at least one finite point.
    public var hasData: Bool { series.contains { $0.points.contains { $0.x.isFinite && $0.y.isFinite } } }

    /// The `<figure>` holding the SVG.
    public func render() -> String {
        let e = XMLText.attribute
        let xs = series.flatMap { $0.points.map(\.x) } + markers.map(\.x)
        let ys = series.flatMap { $0.points.map(\.y) }
        let xScale = ChartScale(kind: xScaleKind, covering: xs)
        let yScale = ChartScale(kind: .linear, covering: ys)
        let plotWidth = Self.width - Self.left - Self.right
        let plotHeight = Self.height - Self.top - Self.bottom
        func px(_ x: Double) -> Double { Self.left + xScale.fraction(x) * plotWidth }
        func py(_ y: Double) -> Double { Self.top + (1 - yScale.fraction(y)) * plotHeight }

        var svg = "<figure class=\"chart\" id=\"\(e(id))\">\n"
        svg += "<figcaption class=\"chart-title\">\(XMLText.escape(title))</figcaption>\n"
        svg += "<svg id=\"\(e(id))-svg\" class=\"chart-svg\" viewBox=\"0 0 \(n(Self.width)) \(n(Self.height))\""
            + " width=\"\(n(Self.width))\" height=\"\(n(Self.height))\" role=\"img\" aria-label=\"\(e(title))\">\n"
        svg += "<rect class=\"plot-area\" x=\"\(n(Self.left))\" y=\"\(n(Self.top))\" width=\"\(n(plotWidth))\""
            + " height=\"\(n(plotHeight))\" fill=\"#ffffff\" stroke=\"#c8c8c8\"/>\n"
        // Grid and axes.
        svg += "<g class=\"axis y-axis\" id=\"\(e(id))-y-axis\">\n"
        for tick in yScale.ticks(format: yFormat) {
            let y = py(tick.value)
            svg += "<line class=\"grid\" x1=\"\(n(Self.left))\" x2=\"\(n(Self.left + plotWidth))\" y1=\"\(n(y))\""
                + " y2=\"\(n(y))\" stroke=\"#e6e6e6\"/>"
            svg += "<text class=\"tick\" x=\"\(n(Self.left - 6))\" y=\"\(n(y + 4))\" text-anchor=\"end\">"
                + "\(XMLText.escape(tick.label))</text>\n"
        }
        svg += "<text class=\"axis-label y-label\" transform=\"translate(16 \(n(Self.top + plotHeight / 2)))"
            + " rotate(-90)\" text-anchor=\"middle\">\(XMLText.escape(yLabel))</text>\n</g>\n"
        svg += "<g class=\"axis x-axis\" id=\"\(e(id))-x-axis\">\n"
        svg += "<line class=\"axis-line\" x1=\"\(n(Self.left))\" x2=\"\(n(Self.left + plotWidth))\""
            + " y1=\"\(n(Self.top + plotHeight))\" y2=\"\(n(Self.top + plotHeight))\" stroke=\"#555555\"/>\n"
        for tick in xScale.ticks() {
            let x = px(tick.value)
            svg += "<line class=\"tick-mark\" x1=\"\(n(x))\" x2=\"\(n(x))\" y1=\"\(n(Self.top + plotHeight))\""
                + " y2=\"\(n(Self.top + plotHeight + 5))\" stroke=\"#555555\"/>"
            svg += "<text class=\"tick\" x=\"\(n(x))\" y=\"\(n(Self.top + plotHeight + 18))\" text-anchor=\"middle\">"
                + "\(XMLText.escape(tick.label))</text>\n"
        }
        svg += "<text class=\"axis-label x-label\" x=\"\(n(Self.left + plotWidth / 2))\""
            + " y=\"\(n(Self.height - 12))\" text-anchor=\"middle\">\(XMLText.escape(xLabel))</text>\n</g>\n"
        // Series.
        for (index, line) in series.enumerated() {
            let color = Self.palette[index % Self.palette.count]
            let d = path(line.points, px: px, py: py)
            svg += "<g class=\"series-group\" id=\"\(e(id))-series-\(index)-group\">"
            svg += "<path class=\"series series-\(index)\" id=\"\(e(id))-series-\(index)\" d=\"\(d)\" fill=\"none\""
                + " stroke=\"\(color)\" stroke-width=\"2\"\(line.dashed ? " stroke-dasharray=\"6 4\"" : "")>"
                + "<title>\(XMLText.escape(line.name))</title></path>"
            if line.dots {
                for point in line.points where point.x.isFinite && point.y.isFinite {
                    svg += "<circle class=\"dot\" cx=\"\(n(px(point.x)))\" cy=\"\(n(py(point.y)))\" r=\"3\""
                        + " fill=\"\(color)\"><title>\(XMLText.escape(line.name)): \(ReportNumber.plain(point.x)),"
                        + " \(yFormat(point.y))</title></circle>"
                }
            }
            svg += "</g>\n"
        }
        svg += markerElements(px: px, plotHeight: plotHeight)
        if !hasData {
            svg += "<text class=\"no-data\" x=\"\(n(Self.left + plotWidth / 2))\" y=\"\(n(Self.top + plotHeight / 2))\""
                + " text-anchor=\"middle\">no data</text>\n"
        }
        svg += legend()
        svg += "</svg>\n</figure>\n"
        return svg
    }

    /// The SVG path data: `M` at the start and after every gap, `L` otherwise.
    func path(_ points: [(x: Double, y: Double)], px: (Double) -> Double, py: (Double) -> Double) -> String {
        var d = ""
        var penDown = false
        for point in points {
            guard point.x.isFinite, point.y.isFinite else { penDown = false; continue }
            d += (penDown ? "L" : (d.isEmpty ? "M" : " M")) + n(px(point.x)) + " " + n(py(point.y))
            penDown = true
        }
        return d
    }

    private func markerElements(px: (Double) -> Double, plotHeight: Double) -> String {
        var out = ""
        // The recommendation first, so its label takes the top row; one label row per marker, so labels of
        // markers at the same x never overlap.
        let ordered = markers.enumerated().sorted { lhs, rhs in
            (lhs.element.kind == .recommendation ? 0 : 1, lhs.offset) < (rhs.element.kind == .recommendation ? 0 : 1, rhs.offset)
        }
        for (row, (index, marker)) in ordered.enumerated() {
            let x = px(marker.x)
            let color = marker.kind == .recommendation ? "#2ca02c" : (marker.kind == .knee ? "#7f7f7f" : "#d62728")
            let dash = marker.kind == .recommendation ? "" : " stroke-dasharray=\"4 3\""
            let labelY = Self.top + 12 + Double(row % 16) * 13
            // Labels near the right edge go to the left of their line.
            let leftSide = x > Self.width - Self.right - 150
            let labelX = leftSide ? x - 4 : x + 4
            out += "<g class=\"marker \(marker.kind.rawValue)\" id=\"\(XMLText.attribute(id))-marker-\(index)\">"
            out += "<line x1=\"\(n(x))\" x2=\"\(n(x))\" y1=\"\(n(Self.top))\" y2=\"\(n(Self.top + plotHeight))\""
                + " stroke=\"\(color)\" stroke-width=\"1.5\"\(dash)/>"
            out += "<text class=\"marker-label\" x=\"\(n(labelX))\" y=\"\(n(labelY))\" fill=\"\(color)\""
                + "\(leftSide ? " text-anchor=\"end\"" : "")>"
                + "\(XMLText.escape(marker.label))</text></g>\n"
        }
        return out
    }

    private func legend() -> String {
        var out = "<g class=\"legend\" id=\"\(XMLText.attribute(id))-legend\">"
        var x = Self.left
        for (index, line) in series.enumerated() {
            let color = Self.palette[index % Self.palette.count]
            out += "<g class=\"legend-item\"><rect x=\"\(n(x))\" y=\"14\" width=\"14\" height=\"4\" fill=\"\(color)\"/>"
                + "<text x=\"\(n(x + 18))\" y=\"20\">\(XMLText.escape(line.name))</text></g>"
            x += 30 + Double(line.name.count) * 7
        }
        return out + "</g>\n"
    }

    /// A coordinate with at most one decimal.
    private func n(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
