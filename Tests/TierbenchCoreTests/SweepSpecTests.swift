import Foundation
import Testing

@testable import TierbenchCore

struct SweepSpecTests {
    @Test(
        "worker axes expand to distinct ascending integers",
        arguments: [
            (WorkerAxis.list([8, 1, 4, 2]), [1, 2, 4, 8]),
            (.geometric(from: 1, to: 64, factor: 2), [1, 2, 4, 8, 16, 32, 64]),
            (.geometric(from: 1, to: 50, factor: 2), [1, 2, 4, 8, 16, 32, 50]),
            (.geometric(from: 1, to: 10, factor: 1.5), [1, 2, 3, 5, 8, 10]),
            (.geometric(from: 3, to: 3, factor: 2), [3]),
            (.geometricSteps(from: 1, to: 64, steps: 7), [1, 2, 4, 8, 16, 32, 64]),
            (.geometricSteps(from: 1, to: 4, steps: 10), [1, 2, 3, 4]),
            (.geometric(from: 4, to: 2, factor: 2), []),
            (.geometric(from: 1, to: 8, factor: 1), []),
        ])
    func expansion(axis: WorkerAxis, expected: [Int]) {
        #expect(axis.values == expected)
    }

    /// Ways to break a valid spec, each with the start of the problem it must produce.
    static let breakages: [(String, @Sendable (inout SweepSpec) -> Void)] = [
        ("max_workers.factor", { $0.maxWorkers = .geometric(from: 1, to: 8, factor: 1) }),
        ("max_workers.steps", { $0.maxWorkers = .geometricSteps(from: 1, to: 8, steps: 1) }),
        ("max_workers.to", { $0.maxWorkers = .geometric(from: 8, to: 2, factor: 2) }),
        ("max_workers: the list is empty", { $0.maxWorkers = .list([]) }),
        ("max_workers: 0 is outside 1…100000", { $0.maxWorkers = .list([0, 2]) }),
        ("batch_size: the list is empty", { $0.batchSizes = [] }),
        ("batch_size: 0", { $0.batchSizes = [0] }),
        ("rate:", { $0.rates = [-1] }),
        ("tier: the list is empty", { $0.tiers = [] }),
        ("tier: two tiers share a label", { $0.tiers = [.mock("tier1"), .mock("tier1")] }),
        ("model: the list is empty", { $0.models = [] }),
        ("repetitions", { $0.repetitions = 0 }),
        ("point_budget", { $0.pointBudget = -1 }),
        ("slo_p95", { $0.sloP95 = .zero }),
        ("error_threshold", { $0.errorThreshold = 1.5 }),
        ("prompts_to_process", { $0.promptsToProcess = 0 }),
    ]

    @Test("invalid specs are reported with their YAML key", arguments: breakages)
    func validation(key: String, breakIt: @Sendable (inout SweepSpec) -> Void) {
        var spec = Self.valid
        #expect(spec.validate().isEmpty)
        breakIt(&spec)
        let problems = spec.validate()
        #expect(problems.contains { $0.hasPrefix(key) }, "\(problems)")
    }

    static let valid = SweepSpec(
        maxWorkers: .geometric(from: 1, to: 64, factor: 2), batchSizes: [1, 5], tiers: [.mock("free"), .mock("tier1")],
        models: ["gpt-4o-mini"])

    @Test("the grid runs tier, model, batch size, then workers ascending")
    func gridOrder() {
        var spec = Self.valid
        spec.maxWorkers = .list([4, 1, 2])
        spec.models = ["a", "b"]
        let grid = SweepGrid.expand(spec)
        #expect(grid.count == 2 * 2 * 2 * 3)
        #expect(grid.prefix(4).map(\.maxWorkers) == [1, 2, 4, 1])
        #expect(grid[3].batchSize == 5)
        #expect(grid[6].model == "b")
        #expect(grid[12].tier.label == "tier1")
        #expect(grid.allSatisfy { $0.rate == nil })
        spec.rates = [5, 10]
        #expect(SweepGrid.expand(spec).count == 2 * 2 * 2 * 2 * 3)
        #expect(SweepGrid.expand(spec).prefix(4).map(\.rate) == [5, 5, 5, 10])
    }

    @Test("resume skips finished points")
    func remaining() {
        let grid = SweepGrid.expand(Self.valid)
        let left = SweepGrid.remaining(Self.valid, finished: Array(grid.prefix(5)))
        #expect(left == Array(grid.dropFirst(5)))
    }

    @Test("the sweep: keys decode with their defaults and round-trip")
    func decoding() throws {
        let json = """
            {"max_workers": {"from": 1, "to": 64, "factor": 2}, "model": ["gpt-4o-mini"],
             "tier": ["free", "unlimited",
                      {"label": "prod", "base_url": "https://api.example/v1", "api_key_env": "KEY"}],
             "slo_p95": "2s", "batch_size": [1, 10]}
            """
        let spec = try JSONDecoder().decode(SweepSpec.self, from: Data(json.utf8))
        #expect(spec.maxWorkers == .geometric(from: 1, to: 64, factor: 2))
        #expect(spec.tiers.map(\.label) == ["free", "unlimited", "prod"])
        #expect(spec.tiers[1].target == .mock(preset: nil))
        #expect(spec.tiers[2].target == .remote(baseURL: "https://api.example/v1", apiKeyEnv: "KEY"))
        #expect(spec.sloP95Milliseconds == 2000)
        #expect(spec.repetitions == 1 && spec.errorThreshold == 0.01 && spec.promptsToProcess == 10_000)
        #expect(spec.goodput == .requests && !spec.refine && spec.rates.isEmpty)
        let again = try JSONDecoder().decode(SweepSpec.self, from: JSONEncoder().encode(spec))
        #expect(again == spec)
        let steps = try JSONDecoder().decode(
            WorkerAxis.self, from: Data(#"{"from": 2, "to": 32, "steps": 5}"#.utf8))
        #expect(steps == .geometricSteps(from: 2, to: 32, steps: 5))
        let relabelled = [
            SweepTier(label: "cheap", target: .mock(preset: "tier1")), .unlimitedMock, .mock("tier2"),
            SweepTier(label: "free", target: .mock(preset: "free"), timeScale: 2000),
        ]
        let tiers = try JSONDecoder().decode([SweepTier].self, from: JSONEncoder().encode(relabelled))
        #expect(tiers == relabelled)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(WorkerAxis.self, from: Data(#"{"from": 2, "to": 32}"#.utf8))
        }
    }

    @Test("scenario files: a mock tier's own time_scale and mock.initial_fill are read; errors name the key")
    func tierTimeScaleAndInitialFill() throws {
        let text = ScenarioTestSupport.minimal("""
            mock: { time_scale: 10, initial_fill: 0 }
            sweep:
              max_workers: [1, 2]
              model: [gpt-4o-mini]
              tier: [{ label: free, preset: free, time_scale: 2000 }, tier1]
            """)
        let scenario = try ScenarioLoader.parse(text: text, fileName: "t.yaml")
        #expect(scenario.mock.initialFill == 0)
        #expect(scenario.sweep?.tiers == [SweepTier(label: "free", target: .mock(preset: "free"), timeScale: 2000), .mock("tier1")])
        let note = SweepResult.note(timeScale: 10, tiers: scenario.sweep?.tiers ?? [])
        #expect(note.contains("free 2000") && note.contains("other tiers 10"))
        let bad = ScenarioTestSupport.errors(ScenarioTestSupport.minimal("""
            mock: { initial_fill: 2 }
            sweep:
              max_workers: [1]
              model: [m]
              tier: [{ label: prod, base_url: "https://x/v1", time_scale: 5 }]
            """))
        #expect(bad.contains { $0.keyPath == "mock.initial_fill" })
        #expect(bad.contains { $0.keyPath.hasSuffix("time_scale") && $0.message.contains("mock tiers only") })
    }
}
