import Testing

@testable import TierbenchCore

/// The runner's loop, driven by the planner against synthetic servers: grid first, then refinement; an
/// interrupted and resumed sweep ends with the same points and recommendation.
struct SweepPlannerTests {
    /// Tier label → server: workers* = 4 (free-ish), 12 and 30.
    static let servers: [String: SyntheticServer] = [
        "tier1": SyntheticServer(latency: 0.2, requestLimit: 20),
        "tier2": SyntheticServer(latency: 0.3, requestLimit: 40),
        "tier3": SyntheticServer(latency: 0.3, requestLimit: 100),
    ]

    static let spec = SweepSpec(
        maxWorkers: .geometric(from: 1, to: 64, factor: 2), tiers: [.mock("tier1"), .mock("tier2"), .mock("tier3")],
        models: ["m"], refine: true, pointBudget: 6)

    /// Measures one point on its tier's server.
    static func measure(_ settings: SweepPoint.Settings) -> SweepPointResult {
        let server = servers[settings.tier.label] ?? SyntheticServer(latency: 1, requestLimit: 1)
        return SweepPointResult(settings: settings, figures: server.figures(workers: settings.maxWorkers))
    }

    /// Runs the planner loop from `finished`, stopping after `limit` points (an interruption) if given.
    static func run(from finished: [SweepPointResult], limit: Int = .max) -> [SweepPointResult] {
        var done = finished
        var ran = 0
        while true {
            let next = SweepPlanner.next(spec: spec, finished: done)
            if next.isEmpty { return done }
            for settings in next {
                if ran == limit { return done }
                done.append(measure(settings))
                ran += 1
            }
        }
    }

    @Test("grid first, then refinement within the point budget, then done")
    func fullSweep() throws {
        let first = SweepPlanner.next(spec: Self.spec, finished: [])
        #expect(first == SweepGrid.expand(Self.spec))
        let done = Self.run(from: [])
        #expect(SweepPlanner.next(spec: Self.spec, finished: done).isEmpty)
        let refined = SweepPlanner.refinedWorkers(spec: Self.spec, finished: done)
        #expect(refined.values.allSatisfy { $0.count <= Self.spec.pointBudget && !$0.isEmpty })
        let result = SweepResult.build(spec: Self.spec, timeScale: 1, points: done.map { SweepPoint(result: $0) })
        for (tier, server) in Self.servers {
            let workers = Double(try #require(result.recommendation[tier]?.maxWorkers))
            #expect(abs(workers - server.workersStar) / server.workersStar <= 0.15, "\(tier)")
        }
    }

    @Test("an interrupted sweep resumed from its finished points reaches the same recommendation",
          arguments: [3, 21, 25, 30])
    func resume(interruptAfter: Int) {
        let uninterrupted = Self.run(from: [])
        let partial = Self.run(from: [], limit: interruptAfter)
        #expect(partial.count == interruptAfter)
        let resumed = Self.run(from: partial)
        #expect(resumed.map(\.settings) == uninterrupted.map(\.settings))
        let a = SweepResult.build(spec: Self.spec, timeScale: 1, points: uninterrupted.map { SweepPoint(result: $0) })
        let b = SweepResult.build(spec: Self.spec, timeScale: 1, points: resumed.map { SweepPoint(result: $0) })
        #expect(a.recommendation == b.recommendation)
        #expect(a == b)
    }

    @Test("without refine the sweep ends after the grid")
    func noRefine() {
        var spec = Self.spec
        spec.refine = false
        let grid = SweepGrid.expand(spec).map(Self.measure)
        #expect(SweepPlanner.next(spec: spec, finished: grid).isEmpty)
        #expect(SweepPlanner.refinedWorkers(spec: spec, finished: grid).isEmpty)
    }
}
