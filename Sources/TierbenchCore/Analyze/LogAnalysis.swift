import Foundation

/// Everything `tierbench analyze` found, as `analysis.json` writes it (docs/analyze.md defines every figure).
public struct LogAnalysis: Sendable, Codable {
    public var toolVersion: String
    public var files: [LogAnalyzer.FileSummary]
    /// Rows that could not be used, all counted; the first ones listed with file and line.
    public var badRows: Int
    public var badRowsListed: [AnalyzeProblem]
    public var requests: RequestFigures?
    public var sessions: SessionFigures?

    enum CodingKeys: String, CodingKey {
        case files, requests, sessions
        case toolVersion = "tool_version"
        case badRows = "bad_rows"
        case badRowsListed = "bad_rows_listed"
    }

    /// Request figures (from `requests.jsonl` rows and trace rows).
    public struct RequestFigures: Sendable, Codable {
        public var rows: Int
        public var warmup: Int
        /// Good rows minus warmup rows: the base of every figure below but the arrival ones.
        public var measured: Int
        public var succeeded: Int
        public var failed: Int
        /// failed / measured.
        public var errorRate: Double
        public var arrivals: ArrivalFigures
        public var frequency: [FrequencySeries]
        public var latencyMs: DurationStats?
        public var responseTimeMs: DurationStats?
        public var ttftMs: DurationStats?
        public var promptTokens: CountStats?
        public var completionTokens: CountStats?
        public var byModel: [ModelFigures]
        public var byStatus: [String: Int]
        public var byErrorClass: [String: Int]
        /// Measured requests per turn index (`turn` key); the last entry counts every later turn.
        public var byTurn: [Int]?
        /// Prompt tokens of the requests with `turn` 1 (a session's first user message and its framing); nil
        /// without session turns.
        public var firstTurnPromptTokens: CountStats?
        /// Values each distribution clamped to its range (durations above 1 h, token counts above 10⁹): counted,
        /// but at the top of the range in the percentiles.
        public var clamped: [String: Int] = [:]

        enum CodingKeys: String, CodingKey {
            case rows, warmup, measured, succeeded, failed, arrivals, frequency
            case errorRate = "error_rate"
            case latencyMs = "latency_ms"
            case responseTimeMs = "response_time_ms"
            case ttftMs = "ttft_ms"
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
            case byModel = "by_model"
            case byStatus = "by_status"
            case byErrorClass = "by_error_class"
            case byTurn = "by_turn"
            case firstTurnPromptTokens = "first_turn_prompt_tokens"
            case clamped
        }
    }

    /// When requests arrived: the rate and the gaps between consecutive arrivals.
    public struct ArrivalFigures: Sendable, Codable {
        /// Arrivals put in time order (every good row, warmup included).
        public var count: Int
        /// First to last arrival (s); with several files, overlaid from their origins like the frequency series:
        /// the earliest first to the latest last arrival of any file.
        public var spanS: Double
        /// Σ over files (arrivals − 1) / span: the mean arrival rate of the overlaid files (requests/s).
        public var ratePerS: Double
        /// Gaps between consecutive arrivals (ms).
        public var interArrivalMs: DurationStats
        /// stddev / mean of the gaps: 1 for Poisson arrivals, 0 for evenly spaced ones, above 1 for bursts.
        public var cv: Double
        /// Rows logged too late to be put in order (left out of the gaps).
        public var outOfOrder: Int
        /// The width (s) of the rate windows the profile looks at (at most 60 windows over the span).
        public var windowS: Int?
        /// The gaps' CV inside windows of `cvWindowS`: each gap divided by its window's mean gap, so a changing rate
        /// does not count as burstiness (corrected for few gaps per window, `GapMoments`); nil with no window of 3 gaps.
        public var cvWithinWindows: Double?
        /// The window width (s) `cvWithinWindows` was measured in: `windowS`, widened until the median window holds
        /// at least 10 gaps.
        public var cvWindowS: Int?

        enum CodingKeys: String, CodingKey {
            case count, cv
            case windowS = "window_s"
            case cvWithinWindows = "cv_within_windows"
            case cvWindowS = "cv_window_s"
            case spanS = "span_s"
            case ratePerS = "rate_per_s"
            case interArrivalMs = "inter_arrival_ms"
            case outOfOrder = "out_of_order"
        }
    }

    /// Tokens and cost of one model.
    public struct ModelFigures: Sendable, Codable {
        public var model: String
        public var requests: Int
        /// Requests whose row reported token counts.
        public var withTokens: Int
        public var promptTokens: Int
        public var completionTokens: Int
        public var cachedTokens: Int
        /// USD at the price table's list prices; nil when the table has no price for the model.
        public var costUSD: Double?

        enum CodingKeys: String, CodingKey {
            case model, requests
            case withTokens = "with_tokens"
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
            case cachedTokens = "cached_tokens"
            case costUSD = "cost_usd"
        }
    }

    /// Session figures (from `sessions.jsonl`).
    public struct SessionFigures: Sendable, Codable {
        public var sessions: Int
        public var byOutcome: [String: Int]
        public var durationMs: DurationStats
        /// Sessions per duration bin: `[upper bound (s) or null for the open last bin, count]`.
        public var durationHistogram: [DurationBin]
        public var turnsDone: CountStats
        /// `[turns, sessions]` for every turn count that occurs.
        public var turnsHistogram: [[Int]]
        public var turnsPlanned: CountStats?
        public var activeMs: DurationStats?
        public var thinkPerGapMs: DurationStats?
        public var promptTokens: Int
        public var completionTokens: Int
        public var cachedTokens: Int
        public var costUSD: Double
        public var errors: Int
        /// Share of the sessions with `slo_met` whose value is true; nil when no row has it.
        public var goodput: Double?
        public var starts: [FrequencySeries]
        /// Session starts per second: (sessions − 1) / (last start − first start); nil without two distinct starts.
        public var startRatePerS: Double?
        /// Values each distribution clamped to its range (as `RequestFigures.clamped`).
        public var clamped: [String: Int] = [:]

        enum CodingKeys: String, CodingKey {
            case sessions, errors, goodput, starts, clamped
            case startRatePerS = "start_rate_per_s"
            case byOutcome = "by_outcome"
            case durationMs = "duration_ms"
            case durationHistogram = "duration_histogram"
            case turnsDone = "turns_done"
            case turnsHistogram = "turns_histogram"
            case turnsPlanned = "turns_planned"
            case activeMs = "active_ms"
            case thinkPerGapMs = "think_per_gap_ms"
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
            case cachedTokens = "cached_tokens"
            case costUSD = "cost_usd"
        }
    }

    /// One bin of the session-duration histogram: `[lowerS, upperS)`, `upperS` nil for the last.
    public struct DurationBin: Sendable, Hashable, Codable {
        public var lowerS: Double
        public var upperS: Double?
        public var sessions: Int

        enum CodingKeys: String, CodingKey {
            case sessions
            case lowerS = "lower_s"
            case upperS = "upper_s"
        }
    }

    /// Kept for the charts and the profile (not encoded): the raw distributions.
    public var latencyHistogram = DurationHistogram()
    public var interArrivalHistogram = DurationHistogram()
    public var sessionDurationHistogram = DurationHistogram()
    /// Arrivals per window for the profile's rate shape.
    var rateWindows: RateWindows?
    /// `rate_per_s` before rounding to 3 decimals (the profile keeps 6 significant digits).
    var exactRatePerS: Double?

    /// Arrivals per window of `width` seconds; the windows cover `coveredS` seconds (the last may be shorter).
    struct RateWindows: Sendable {
        var width: Int
        var counts: [Int]
        var coveredS: Int
    }

    static func round3(_ value: Double) -> Double {
        value.isFinite ? (value * 1_000).rounded() / 1_000 : 0
    }

    static func stats(_ histogram: DurationHistogram) -> DurationStats? {
        histogram.count > 0 ? DurationStats(histogram) : nil
    }
}
