/// A measured sweep point: its settings, the figures of each repetition, their median, and the spread.
///
/// The analysis reads `figures` (the per-figure median over repetitions, so a single outlier run cannot move a
/// knee); `spread` shows how much the repetitions disagreed.
public struct SweepPointResult: Sendable, Equatable, Codable {
    public var settings: SweepPoint.Settings
    /// Per-figure median over `runs` (each figure's median taken separately).
    public var figures: SweepFigures
    /// Min/max/quartiles of each figure over `runs`, keyed by the figure's snake_case name
    /// (`SweepFigures.namedFigures`, plus `cost_usd` when every run has a cost).
    public var spread: [String: FigureSpread]
    /// The figures of each repetition, in run order.
    public var runs: [SweepFigures]

    /// Combines the repetitions of one point. Returns nil when `runs` is empty.
    public init?(settings: SweepPoint.Settings, runs: [SweepFigures]) {
        guard let first = runs.first else { return nil }
        var median = first
        var spread: [String: FigureSpread] = [:]
        for (name, keyPath) in SweepFigures.namedFigures {
            let values = runs.map { $0[keyPath: keyPath] }
            if let middle = FigureSpread.median(values) { median[keyPath: keyPath] = middle }
            spread[name] = FigureSpread(of: values)
        }
        let costs = runs.compactMap(\.costUSD)
        if costs.count == runs.count {
            median.costUSD = FigureSpread.median(costs)
            spread["cost_usd"] = FigureSpread(of: costs)
        } else {
            median.costUSD = nil
        }
        self.settings = settings
        self.figures = median
        self.spread = spread
        self.runs = runs
    }

    /// A point measured once.
    public init(settings: SweepPoint.Settings, figures: SweepFigures) {
        self.settings = settings
        self.figures = figures
        self.spread = [:]
        self.runs = [figures]
        for (name, keyPath) in SweepFigures.namedFigures {
            spread[name] = FigureSpread(of: [figures[keyPath: keyPath]])
        }
        if let cost = figures.costUSD { spread["cost_usd"] = FigureSpread(of: [cost]) }
    }
}
