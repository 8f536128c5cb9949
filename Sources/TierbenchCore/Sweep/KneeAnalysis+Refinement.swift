extension KneeAnalysis {
    /// Worker counts to measure next on `curve`: the midpoint of each gap around a knee (bisection), the gap that
    /// decides the recommendation first, at most `budget` of them.
    ///
    /// The gaps are (the setting below, the setting at) the throughput knee, the error knee (per attempt) and the
    /// latency knee. A gap of one worker is final. A curve with no knee in the grid gets candidates only in the
    /// gaps below its error or latency knee (a grid that simply ends too early needs a wider range, not
    /// bisection); curves where every setting fails, or with too few points, get none. Run the candidates, add
    /// them to the curve, and call again until the result is empty or the budget is spent.
    /// - Parameters:
    ///   - curve: The measured curve.
    ///   - options: The analysis thresholds.
    ///   - budget: Most candidates to return (the refinement points this curve may still use).
    /// - Returns: New worker counts, not yet on the curve, most decisive first.
    public static func refinementCandidates(for curve: SweepCurve, options: KneeOptions, budget: Int) -> [Int] {
        KneeAnalysis(curve: curve, options: options).refinementCandidates(budget: budget)
    }

    /// The candidates of `refinementCandidates(for:options:budget:)` for this analysis' curve.
    public func refinementCandidates(budget: Int) -> [Int] {
        guard budget > 0, outcome == .knee || outcome == .noKneeInGrid, let recommendedWorkers else { return [] }
        var boundaries: [Int] = []
        // The boundary that decides the recommendation comes first.
        let limits = [errorKneeAttemptWorkers, latencyKneeWorkers].compactMap { $0 }
        if let throughputKneeWorkers, recommendedWorkers == throughputKneeWorkers {
            boundaries.append(throughputKneeWorkers)
            boundaries += limits.sorted()
        } else {
            boundaries += limits.sorted()
            if let throughputKneeWorkers { boundaries.append(throughputKneeWorkers) }
        }
        let existing = Set(workers)
        var candidates: [Int] = []
        for boundary in boundaries {
            guard let index = workers.firstIndex(of: boundary), index > 0 else { continue }
            let lower = workers[index - 1]
            guard boundary - lower > 1 else { continue }
            let middle = lower + (boundary - lower) / 2
            if !existing.contains(middle), !candidates.contains(middle) { candidates.append(middle) }
        }
        return Array(candidates.prefix(budget))
    }
}
