/// `budget:` — spend limits and the job size that cost figures are projected to.
public struct BudgetSettings: Sendable, Equatable, Codable {
    /// Stop sending before the estimated spend would pass this many USD; nil = no limit.
    public var maxUSD: Double?
    /// The number of prompts the real job has; the summary projects its cost from the run. Default 10 000.
    public var promptsToProcess: Int

    public init(maxUSD: Double? = nil, promptsToProcess: Int = BudgetSettings.defaultPromptsToProcess) {
        self.maxUSD = maxUSD
        self.promptsToProcess = promptsToProcess
    }

    /// The job size projected to when the scenario gives none (the same default as `sweep.prompts_to_process`).
    public static let defaultPromptsToProcess = 10_000

    enum CodingKeys: String, CodingKey {
        case maxUSD = "max_usd"
        case promptsToProcess = "prompts_to_process"
    }
}
