/// What `tierbench run --dry-run` prints: the requests, tokens and cost a scenario would send, computed without
/// sending anything (docs/metrics.md, "Cost").
///
/// Token counts are the shared estimate (`TokenEstimator`) for prompts and `n × max_tokens` for completions, so the
/// cost is an upper bound for the completion part (a model may stop early).
public struct DryRunEstimate: Sendable, Equatable {
    /// Expected requests; nil when they depend on the server's latency (a closed loop or waves run for a duration).
    public var requests: Int?
    /// How `requests` follows from the scenario, e.g. `rate 200/s for 10 s`.
    public var basis: String
    /// Σ estimated prompt tokens and Σ `n × max_tokens` of the expected requests (nil with `requests`).
    public var promptTokens: Int?
    public var maxCompletionTokens: Int?
    /// Mean estimated cost of one request over the distinct bodies (USD); nil without a price.
    public var costPerRequestUSD: Double?
    /// Estimated cost of the expected requests (USD); nil without a price or a request count.
    public var costUSD: Double?
    /// The model, the price table's date, the budget and the projected job.
    public var model: String
    public var priceDate: String
    public var budgetUSD: Double?
    public var projectedPrompts: Int
    /// Cost of `projectedPrompts` prompts at the per-prompt estimate, with standard and Batch API prices.
    public var projectedUSD: Double?
    public var projectedBatchUSD: Double?

    /// The estimate for `scenario` sending `bodies` (request i sends `bodies[i % count]`).
    /// - Parameter traceRows: the number of rows of `load.trace`, when the scenario replays one.
    public init(scenario: Scenario, bodies: [RequestBody], traceRows: Int?, prices: PriceTable) {
        let load = scenario.load
        let duration = load.duration ?? (load.stages.isEmpty ? nil : load.stagesDuration)
        var count: Int?
        var basis: String
        switch load.mode {
        case .trace:
            count = traceRows
            basis = "\(traceRows ?? 0) trace rows"
        case .openLoop, .rampingRate:
            let stages = load.stages.compactMap { stage -> RateProfile.Stage? in
                guard case .rate(let target) = stage.target else { return nil }
                return RateProfile.Stage(duration: stage.duration.seconds, target: target)
            }
            let profile = RateProfile(startRate: load.rate ?? 0, stages: stages)
            if let duration {
                count = Int(profile.cumulative(at: duration.seconds).rounded())
                basis = stages.isEmpty ? "rate \(Self.trim(load.rate ?? 0))/s for \(duration)" : "rate stages over \(duration)"
            } else {
                basis = "open loop without a duration"
            }
        case .closedLoop, .rampingWorkers, .waves:
            basis = duration.map { "closed loop for \($0): depends on latency" } ?? "closed loop"
        }
        if let limit = load.requests {
            if count == nil || limit < count ?? 0 { basis = "load.requests" }
            count = min(count ?? limit, limit)
        }
        requests = count
        self.basis = basis
        model = scenario.model
        priceDate = prices.date
        budgetUSD = scenario.budget.maxUSD
        projectedPrompts = scenario.budget.promptsToProcess
        let completions = bodies.map(\.maxCompletionTokens)
        if let count, !bodies.isEmpty {
            let cycles = count / bodies.count
            let rest = count % bodies.count
            // Saturating: `load.requests`, `n` and `max_tokens` have no upper bound.
            func total(_ values: [Int]) -> Int {
                Self.sum([Self.product(cycles, Self.sum(values)), Self.sum(values.prefix(rest))])
            }
            promptTokens = total(bodies.map(\.estimatedPromptTokens))
            maxCompletionTokens = total(completions)
        }
        guard let price = prices.modelPrice(for: scenario.model), !bodies.isEmpty else { return }
        func cost(_ prompt: Int, _ completion: Int, input: Double, output: Double) -> Double {
            (Double(prompt) * input + Double(completion) * output) / 1e6
        }
        let promptSum = Self.sum(bodies.map(\.estimatedPromptTokens))
        let completionSum = Self.sum(completions)
        costPerRequestUSD = CostSummary.rounded(
            cost(promptSum, completionSum, input: price.input, output: price.output) / Double(bodies.count))
        if let promptTokens, let maxCompletionTokens {
            costUSD = CostSummary.rounded(cost(promptTokens, maxCompletionTokens, input: price.input, output: price.output))
        }
        let promptsPerCycle = Double(bodies.reduce(0) { $0 + $1.promptCount })
        let scale = Double(projectedPrompts) / max(promptsPerCycle, 1)
        projectedUSD = CostSummary.rounded(cost(promptSum, completionSum, input: price.input, output: price.output) * scale)
        projectedBatchUSD = CostSummary.rounded(
            cost(promptSum, completionSum, input: price.batchInput ?? price.input / 2,
                 output: price.batchOutput ?? price.output / 2) * scale)
    }

    /// The text `--dry-run` prints.
    public func render(target: String) -> String {
        func dollars(_ value: Double) -> String { "$" + ConsoleSummary.fixed(value, value < 1 ? 6 : 2) }
        var lines = ["dry run · \(model) → \(target) · nothing was sent"]
        lines.append("Requests    " + (requests.map { ConsoleSummary.grouped($0) } ?? "unknown") + " (\(basis))")
        if let promptTokens, let maxCompletionTokens {
            lines.append("Tokens      prompt ≈ \(ConsoleSummary.grouped(promptTokens)) · completion ≤ "
                + "\(ConsoleSummary.grouped(maxCompletionTokens)) (n × max_tokens)")
        }
        if let costPerRequestUSD {
            var text = "Cost        "
            if let costUSD { text += "≤ \(dollars(costUSD)) · " }
            text += "\(dollars(costPerRequestUSD)) per request · \(dollars(costPerRequestUSD * 1_000)) per 1,000 requests "
                + "(prices of \(priceDate))"
            lines.append(text)
        } else {
            lines.append("Cost        unknown: the price table (\(priceDate)) has no price for \(model); pass --price-file")
        }
        if let projectedUSD, let projectedBatchUSD {
            lines.append("Projection  \(ConsoleSummary.grouped(projectedPrompts)) prompts ≤ \(dollars(projectedUSD)) "
                + "(\(dollars(projectedBatchUSD)) with the Batch API)")
        }
        if let budgetUSD {
            var text = "Budget      \(dollars(budgetUSD))"
            if let costPerRequestUSD, costPerRequestUSD > 0, (costUSD ?? .infinity) > budgetUSD {
                let requests = Int(min(budgetUSD / costPerRequestUSD, 9e18))  // max_usd has no upper bound
                text += ": stops the run after about \(ConsoleSummary.grouped(requests)) requests"
            } else if costUSD != nil {
                text += ": not reached"
            }
            lines.append(text)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The sum of `values`, held at Int.max (or .min) instead of overflowing.
    private static func sum(_ values: some Sequence<Int>) -> Int {
        values.reduce(0) { total, value in
            let (result, overflow) = total.addingReportingOverflow(value)
            return overflow ? (value > 0 ? .max : .min) : result
        }
    }

    /// `a × b`, held at Int.max (or .min) instead of overflowing.
    private static func product(_ a: Int, _ b: Int) -> Int {
        let (result, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? ((a > 0) == (b > 0) ? .max : .min) : result
    }

    private static func trim(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

extension RequestBody {
    /// The most completion tokens this body asks for: `n × max_tokens` (16 when the template sets no `max_tokens`),
    /// held at Int.max when the product overflows (both come from the scenario's request template, unbounded).
    public var maxCompletionTokens: Int {
        let (product, overflow) = choices.multipliedReportingOverflow(by: maxTokens ?? 16)
        return overflow ? ((choices > 0) == ((maxTokens ?? 16) > 0) ? .max : .min) : product
    }
}
