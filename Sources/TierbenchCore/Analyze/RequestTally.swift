/// The request figures, summed row by row in bounded memory (histograms and capped tallies, no row list).
///
/// Cleaning (docs/analyze.md): every good row counts in `rows` and in the arrival figures (warmup traffic still
/// reached the server); warmup rows are left out of everything else, like summary.json leaves them out; failed
/// rows count in the error figures and their tokens, never in the latency, response-time or TTFT distributions.
struct RequestTally: Sendable {
    /// Distinct models, error classes and turn indexes kept apart; the rest are summed under "other" / the last.
    static let maxModels = 32
    static let maxClasses = 48
    static let maxTurn = 64

    /// Per-model sums.
    struct ModelTally: Sendable {
        var requests = 0
        var withUsage = 0
        var promptTokens = 0
        var completionTokens = 0
        var cachedTokens = 0
    }

    var rows = 0
    var warmup = 0
    var succeeded = 0
    var failed = 0
    var latency = DurationHistogram()
    var responseTime = DurationHistogram()
    var ttft = DurationHistogram()
    var promptTokens = CountDistribution()
    /// Prompt tokens of first turns (`turn` 1): a session's first user message and its framing.
    var firstTurnPromptTokens = CountDistribution()
    var completionTokens = CountDistribution()
    var byStatus: [Int: Int] = [:]
    var byClass: [String: Int] = [:]
    var byModel: [String: ModelTally] = [:]
    /// Requests and TTFT sum (ms) per turn index (index `maxTurn` holds every later turn).
    var turnRequests = Array(repeating: 0, count: RequestTally.maxTurn + 1)

    mutating func add(_ row: RequestRow, defaultModel: String?) {
        rows &+= 1
        guard !row.warmup else {
            warmup &+= 1
            return
        }
        if let status = row.status { byStatus[status, default: 0] &+= 1 }
        if let errorClass = row.errorClass {
            failed &+= 1
            let key = byClass[errorClass] != nil || byClass.count < Self.maxClasses ? errorClass : "other"
            byClass[key, default: 0] &+= 1
        } else {
            succeeded &+= 1
            if let value = row.latencyMs { latency.record(nanoseconds: Self.nanos(value)) }
            if let value = row.responseTimeMs ?? row.latencyMs { responseTime.record(nanoseconds: Self.nanos(value)) }
            if let value = row.ttftMs { ttft.record(nanoseconds: Self.nanos(value)) }
        }
        if let tokens = row.promptTokens {
            promptTokens.record(tokens)
            if row.turn == 1 { firstTurnPromptTokens.record(tokens) }
        }
        if let tokens = row.completionTokens { completionTokens.record(tokens) }
        let model = row.model ?? defaultModel ?? "unknown"
        let modelKey = byModel[model] != nil || byModel.count < Self.maxModels ? model : "other"
        var tally = byModel[modelKey] ?? ModelTally()
        tally.requests &+= 1
        if row.promptTokens != nil || row.completionTokens != nil {
            tally.withUsage &+= 1
            tally.promptTokens &+= row.promptTokens ?? 0
            tally.completionTokens &+= row.completionTokens ?? 0
            tally.cachedTokens &+= min(row.cachedTokens ?? 0, row.promptTokens ?? 0)
        }
        byModel[modelKey] = tally
        if let turn = row.turn { turnRequests[min(turn, Self.maxTurn)] &+= 1 }
    }

    /// Milliseconds (range-checked by the reader) as nanoseconds.
    static func nanos(_ milliseconds: Double) -> UInt64 {
        UInt64((milliseconds * 1e6).rounded())
    }
}
