import Foundation
import TierbenchCore
import TierbenchMock

/// The enqueued-token budget per model that batch planning splits under (batch-api.md §6).
///
/// For `target: mock` it is the `batch_queue` of the scenario's mock tier for the model, from the mock's own tier
/// data (`MockTierLimits`: the built-in `tiers.json` or `mock.tiers_file`, the table the mock enforces). For a real
/// target there is no way to ask the API, so it is what the user gives (`--queue-limit`), else none.
public enum BatchQueueBudget {
    /// The budget for `scenario`'s model, or nil (no tier, no such limit, unreadable tier data, or a real target
    /// without `override`).
    /// - Parameter override: `--queue-limit`; wins for every target.
    public static func limit(for scenario: Scenario, override: Int? = nil) -> Int? {
        if let override { return override }
        guard scenario.target.isMock, scenario.mock.tier != nil else { return nil }
        return (try? MockTierLimits.limits(model: scenario.model, settings: scenario.mock))?.batchQueueTokens
    }
}
