import Foundation
import TierbenchCore
import TierbenchMock

/// The enqueued-token budget per model that batch planning splits under (batch-api.md §6).
///
/// For `target: mock` it is the `batch_queue` of the scenario's mock tier for the model, read from the mock's tier
/// data (the built-in `tiers.json` or `mock.tiers_file`), the same table the mock enforces. For a real target
/// there is no way to ask the API, so it is what the user gives (`--queue-limit`), else none.
public enum BatchQueueBudget {
    /// The budget for `scenario`'s model, or nil (no tier, no such limit, or a real target without `override`).
    /// - Parameter override: `--queue-limit`; wins for every target.
    public static func limit(for scenario: Scenario, override: Int? = nil) -> Int? {
        if let override { return override }
        guard scenario.target.isMock, let tier = scenario.mock.tier else { return nil }
        return mockTierLimit(tiersFile: scenario.mock.tiersFile, tierSet: scenario.mock.tierSet, tier: tier,
                             model: scenario.model)
    }

    /// `batch_queue` of (`tierSet`, `tier`, `model`) in the tier data: the model's own table, its alias's, else the
    /// set's fallback model's. nil when the file cannot be read or has no such value.
    public static func mockTierLimit(tiersFile: String?, tierSet: String, tier: String, model: String) -> Int? {
        let url = tiersFile.map { URL(fileURLWithPath: $0) } ?? builtInTiersURL
        guard let data = try? Data(contentsOf: url), let file = try? JSONDecoder().decode(TierFile.self, from: data),
              let set = file.sets[tierSet]
        else { return nil }
        let resolved = set.aliases?[model] ?? model
        if let own = set.models[resolved]?.tiers[tier] { return own.batchQueue }
        return set.fallbackModel.flatMap { set.models[$0]?.tiers[tier]?.batchQueue }
    }

    /// The mock's built-in tier data (installed beside the executable, else in the build tree).
    static var builtInTiersURL: URL {
        ResourceLocator.url("tiers.json", bundleName: "tierbench_TierbenchMock.resources") {
            Bundle.main.bundleURL.appendingPathComponent("tierbench_TierbenchMock.resources/Resources/tiers.json")
        }
    }

    /// The parts of `tiers.json` read here.
    private struct TierFile: Decodable {
        struct Limits: Decodable {
            var batchQueue: Int?
            enum CodingKeys: String, CodingKey { case batchQueue = "batch_queue" }
        }
        struct Model: Decodable { var tiers: [String: Limits] }
        struct TierSet: Decodable {
            var fallbackModel: String?
            var models: [String: Model]
            var aliases: [String: String]?
            enum CodingKeys: String, CodingKey {
                case models, aliases
                case fallbackModel = "fallback_model"
            }
        }
        var sets: [String: TierSet]
    }
}
