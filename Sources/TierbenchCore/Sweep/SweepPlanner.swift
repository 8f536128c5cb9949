/// Decides what a sweep runs next, from the spec and the points finished so far, and nothing else.
///
/// Because the plan is a pure function of the finished points, an interrupted sweep resumed with the points it
/// kept asks for exactly the points an uninterrupted one would have, and reaches the same recommendation.
/// The runner loops: `let next = SweepPlanner.next(spec:finished:)`; stop when empty; run and record each point.
public enum SweepPlanner {
    /// The points to run next: the unfinished coarse-grid points in grid order; once the grid is done and
    /// `spec.refine` is set, the refinement candidates of every curve (within each curve's remaining
    /// `point_budget`); empty when the sweep is complete.
    /// - Parameters:
    ///   - spec: The sweep.
    ///   - finished: Every point measured so far (grid and refinement), in real units.
    public static func next(spec: SweepSpec, finished: [SweepPointResult]) -> [SweepPoint.Settings] {
        let remaining = SweepGrid.remaining(spec, finished: finished.map(\.settings))
        guard remaining.isEmpty else { return remaining }
        guard spec.refine, spec.pointBudget > 0 else { return [] }
        let options = KneeOptions(spec: spec)
        let refined = refinedWorkers(spec: spec, finished: finished)
        var settings: [SweepPoint.Settings] = []
        for curve in SweepGrid.curves(finished) {
            guard let template = curve.points.first?.settings else { continue }
            let budget = spec.pointBudget - (refined[curve.key]?.count ?? 0)
            let candidates = KneeAnalysis.refinementCandidates(for: curve, options: options, budget: budget)
            settings += candidates.map { template.with(maxWorkers: $0) }
        }
        return settings
    }

    /// Per curve, the worker counts measured beyond the coarse grid (the refinement points), ascending.
    public static func refinedWorkers(spec: SweepSpec, finished: [SweepPointResult]) -> [SweepCurve.Key: [Int]] {
        let grid = Set(spec.maxWorkers.values)
        var refined: [SweepCurve.Key: [Int]] = [:]
        for curve in SweepGrid.curves(finished) {
            let extra = curve.workers.filter { !grid.contains($0) }
            if !extra.isEmpty { refined[curve.key] = extra }
        }
        return refined
    }
}
