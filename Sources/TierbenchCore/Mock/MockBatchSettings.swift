/// How the mock's Files and Batches APIs behave: the seeded time model of a batch's lifecycle and its limits.
///
/// Every duration is in virtual (real-API) seconds; `timeScale` compresses them onto the wall clock
/// (`virtual_now = t0 + scale × (real_now − t0)`). Defaults reproduce the real timings recorded in
/// shared/reference/batch-api.md §10: validating a few seconds, a heavy-tailed queue wait (median 90 s), about
/// 2 lines/s (2,000 lines in ~17 min), finalizing 1–6 s. docs/mock.md, "Files and Batches", lists them.
public struct MockBatchSettings: Sendable, Equatable, Codable {
    /// Time compression for batches; nil = the mock's `timeScale`.
    public var timeScale: Double?
    /// Validating lasts `U(validateMin, validateMax) + validatePerMB × input MB`.
    public var validateMin: TimeSpan = .seconds(1)
    public var validateMax: TimeSpan = .seconds(30)
    public var validatePerMB: TimeSpan = .seconds(0.5)
    /// The wait between validating and the first line: lognormal with this median and log-space sigma; sigma 0
    /// makes it a constant (`queueDelayMedian`).
    public var queueDelayMedian: TimeSpan = .seconds(90)
    public var queueDelaySigma: Double = 1.5
    /// Probability that a batch stalls before its first line, and for how long (added to the queue wait).
    public var stallProbability: Double = 0.01
    public var stallDuration: TimeSpan = .seconds(3 * 3_600)
    /// Processing rate: lines per second and (optionally) input tokens per second; the slower of the two sets how
    /// long the lines take. `tokensPerSecond` nil = no token term.
    public var linesPerSecond: Double = 2
    public var tokensPerSecond: Double?
    /// Per-model processing rates overriding `linesPerSecond`/`tokensPerSecond`.
    public var modelRates: [String: MockBatchRate] = [:]
    /// Finalizing lasts `U(finalizeMin, finalizeMax)`.
    public var finalizeMin: TimeSpan = .seconds(1)
    public var finalizeMax: TimeSpan = .seconds(6)
    /// Cancelling lasts `U(cancelMin, cancelMax)`; lines finished by its end go to the output file.
    public var cancelMin: TimeSpan = .zero
    public var cancelMax: TimeSpan = .seconds(600)
    /// Batch creations allowed per (virtual) hour; more get 429 `rate_limit_exceeded`.
    public var creationsPerHour: Int = BatchLimits.creationsPerHour
    /// Largest batch input file `POST /v1/files` accepts, in bytes (OpenAI: 200 MB); larger uploads get 413.
    public var maxFileBytes: Int = BatchLimits.maxInputBytes
    /// Whether a line's sampled latency (the mock's latency model) is added to its virtual finish time.
    public var lineLatency: Bool = true

    public init() {}

    /// The processing rate for `model`.
    public func rate(for model: String) -> MockBatchRate {
        modelRates[model] ?? MockBatchRate(linesPerSecond: linesPerSecond, tokensPerSecond: tokensPerSecond)
    }
}

/// A batch processing rate: lines per second and optionally input tokens per second.
public struct MockBatchRate: Sendable, Equatable, Codable {
    public var linesPerSecond: Double
    public var tokensPerSecond: Double?

    public init(linesPerSecond: Double, tokensPerSecond: Double? = nil) {
        self.linesPerSecond = linesPerSecond
        self.tokensPerSecond = tokensPerSecond
    }

    /// Virtual seconds to process `lines` lines holding `tokens` input tokens.
    public func seconds(lines: Int, tokens: Int) -> Double {
        let byLines = Double(lines) / linesPerSecond
        guard let tokensPerSecond else { return byLines }
        return max(byLines, Double(tokens) / tokensPerSecond)
    }
}
