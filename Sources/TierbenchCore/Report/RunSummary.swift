import Foundation

/// The result of one run, as `summary.json` stores it (schema: docs/summary.schema.json; figures: docs/metrics.md).
///
/// Keys are snake_case and written in sorted order, so two summaries of the same run are byte-identical.
/// Optional blocks (`ttft_ms`, `itl_ms`, `tpot_ms`) are omitted when the run did not stream.
public struct RunSummary: Codable, Sendable, Hashable {
    /// Version of this layout (`TierbenchVersion.summarySchema`).
    public var schemaVersion: Int
    /// The tierbench version that produced the run.
    public var toolVersion: String
    /// The scenario as run, with every default filled in.
    public var scenario: JSONValue
    /// Wall-clock start and end of the run, ISO-8601 UTC.
    public var startedAt: String
    public var endedAt: String
    /// Whole run, warmup included (s).
    public var durationS: Double
    /// The measured window (s): from the end of the warmup to the last completion of a measured request.
    public var measuredWindowS: Double
    /// Whether the run was stopped early (signal or budget) rather than finishing its schedule.
    public var interrupted: Bool
    public var requests: Requests
    /// failed / total over measured requests; 0 when nothing was measured.
    public var errorRate: Double
    public var throughput: Throughput
    /// Service time (end − actual send) of measured successes.
    public var latencyMs: DurationStats
    /// Response time (end − intended send) of measured successes; equals `latency_ms` in a closed loop.
    public var responseTimeMs: DurationStats
    /// Send lateness (actual − intended send) of every measured request.
    public var sendLatenessMs: DurationStats
    /// Streaming only: time to first content chunk, gap between content chunks, time per output token.
    public var ttftMs: DurationStats?
    public var itlMs: DurationStats?
    public var tpotMs: DurationStats?
    public var tokens: Tokens
    public var bytes: Bytes
    /// Measured responses per HTTP status, e.g. `{"200": 980, "429": 20}`; requests without a response are absent.
    public var statusCounts: [String: Int]
    /// Measured failures per `ErrorClass` label, e.g. `{"http_429": 20, "timeout": 1}`.
    public var errors: [String: Int]
    public var timingsMs: PhaseTimingMeans
    public var generator: Generator
    public var histograms: Histograms
    public var timeSeries: TimeSeries
    /// Attempts, retries by cause, backoff, whole-request vs final-attempt latency (docs/metrics.md, "Retries").
    /// Optional only so summaries written before it existed still decode; `make` always fills it.
    public var retries: RetrySummary?
    /// Cost at list prices, projection and budget (docs/metrics.md, "Cost"); nil when the model has no price.
    public var cost: CostSummary?
    /// Why the run stopped before its schedule ended, when tierbench stopped it (a hopeless target: "the first 20
    /// requests all failed with HTTP 404 http_4xx: …"); nil otherwise.
    public var stoppedEarly: String?
    /// Multi-turn conversation figures (docs/sessions.md); nil without `sessions:` in the scenario.
    public var sessions: SessionSummary?
    /// Which slice of a sharded run this is (docs/distributed.md); nil for an unsharded run or a merged result.
    public var shard: ShardInfo?
    /// Whether the figures can be trusted at this load (docs/metrics.md, "Self-check"); nil in summaries written
    /// before it existed.
    public var selfCheck: SelfCheck?
    /// Only in a result of `tierbench merge`: the shards that went in, the union window, start skew and what was
    /// left out (docs/distributed.md); nil for a single run.
    public var merge: MergeInfo? = nil

    enum CodingKeys: String, CodingKey {
        case scenario, interrupted, requests, throughput, tokens, bytes, errors, generator, histograms, retries, cost
        case sessions, shard, merge
        case selfCheck = "self_check"
        case stoppedEarly = "stopped_early"
        case schemaVersion = "schema_version", toolVersion = "tool_version"
        case startedAt = "started_at", endedAt = "ended_at", durationS = "duration_s"
        case measuredWindowS = "measured_window_s", errorRate = "error_rate"
        case latencyMs = "latency_ms", responseTimeMs = "response_time_ms", sendLatenessMs = "send_lateness_ms"
        case ttftMs = "ttft_ms", itlMs = "itl_ms", tpotMs = "tpot_ms"
        case statusCounts = "status_counts", timingsMs = "timings_ms", timeSeries = "time_series"
    }

    /// Request counts.
    public struct Requests: Codable, Sendable, Hashable {
        /// Measured requests finished: succeeded + failed.
        public var total: Int
        public var succeeded: Int
        public var failed: Int
        /// Requests started during the warmup, left out of every other figure.
        public var warmupExcluded: Int
        /// Prompts carried by measured requests, and by the measured successes.
        public var prompts: Int
        public var promptsSucceeded: Int
        /// Attempts made by measured requests, and how many requests needed more than one.
        public var attempts: Int
        public var retried: Int

        enum CodingKeys: String, CodingKey {
            case total, succeeded, failed, prompts, attempts, retried
            case warmupExcluded = "warmup_excluded", promptsSucceeded = "prompts_succeeded"
        }
    }

    /// Rates over the measured window (per second).
    public struct Throughput: Codable, Sendable, Hashable {
        /// Measured requests finished (success or failure) / window.
        public var requestsPerS: Double
        /// Measured successes / window ("goodput").
        public var succeededPerS: Double
        /// Prompts carried by measured successes / window.
        public var promptsPerS: Double
        /// `total_tokens` summed over measured responses / window.
        public var tokensPerS: Double
        public var promptTokensPerS: Double
        public var completionTokensPerS: Double

        enum CodingKeys: String, CodingKey {
            case requestsPerS = "requests_per_s", succeededPerS = "succeeded_per_s", promptsPerS = "prompts_per_s"
            case tokensPerS = "tokens_per_s", promptTokensPerS = "prompt_tokens_per_s"
            case completionTokensPerS = "completion_tokens_per_s"
        }
    }

    /// Token usage summed from the responses' `usage` objects (measured requests only), in tokens.
    public struct Tokens: Codable, Sendable, Hashable {
        public var prompt: Int
        public var completion: Int
        public var total: Int
        /// The part of `prompt` served from the prompt cache (`prompt_tokens_details.cached_tokens`).
        public var cachedPrompt: Int = 0
        /// Measured responses that reported usage.
        public var responsesWithUsage: Int

        enum CodingKeys: String, CodingKey {
            case prompt, completion, total
            case cachedPrompt = "cached_prompt"
            case responsesWithUsage = "responses_with_usage"
        }
    }

    /// Bytes moved by measured requests.
    public struct Bytes: Codable, Sendable, Hashable {
        public var sent: Int
        public var received: Int
    }

    /// Mean cumulative libcurl phase times over measured successes (ms from the transfer's start).
    public struct PhaseTimingMeans: Codable, Sendable, Hashable {
        public var dns: Double
        public var connect: Double
        public var tls: Double
        public var firstByte: Double
        public var total: Double
        /// Measured successes that opened a new connection (the rest reused one).
        public var newConnections: Int

        enum CodingKeys: String, CodingKey {
            case dns, connect, tls, total
            case firstByte = "first_byte", newConnections = "new_connections"
        }
    }

    /// How the load generator kept up with its schedule.
    public struct Generator: Codable, Sendable, Hashable {
        /// Load model as configured: `closed`, `waves`, `open`, `stages`, `trace`; nil when not given.
        public var loadModel: String?
        /// Target arrival rate (requests/s) of an open-loop run; nil otherwise.
        public var targetRequestsPerS: Double?
        /// Achieved send rate: (measured sends − 1) / (last send − first send).
        public var achievedRequestsPerS: Double
        /// Measured sends later than `late_send_threshold_ms` after their intended time.
        public var lateSends: Int
        public var lateSendThresholdMs: Double
        /// Of `late_sends`, those that waited for a free slot because all `max_in_flight` were busy.
        public var heldSends: Int
        /// Intended sends never made: the duration ended while they waited for a slot (open loop).
        public var droppedSends: Int
        /// True when more than 1 % of an open-loop run's sends were late for the generator's own reasons (not
        /// counting sends held by a full `max_in_flight`): the generator, not the server, limited it.
        public var limitedByGenerator: Bool
        /// True when more than 1 % of an open-loop run's sends waited for a slot or were dropped: the concurrency
        /// limit against the server's pace, not the generator, held the schedule back.
        public var limitedByMaxInFlight: Bool
        /// Concurrency limit (closed-loop workers or open-loop `max_in_flight`) and load threads, when given.
        public var workers: Int?
        public var threads: Int?

        enum CodingKeys: String, CodingKey {
            case workers, threads
            case loadModel = "load_model", targetRequestsPerS = "target_requests_per_s"
            case achievedRequestsPerS = "achieved_requests_per_s", lateSends = "late_sends"
            case lateSendThresholdMs = "late_send_threshold_ms", limitedByGenerator = "limited_by_generator"
            case heldSends = "held_sends", droppedSends = "dropped_sends", limitedByMaxInFlight = "limited_by_max_in_flight"
        }

        public init(
            loadModel: String?, targetRequestsPerS: Double?, achievedRequestsPerS: Double, lateSends: Int,
            lateSendThresholdMs: Double, limitedByGenerator: Bool, workers: Int?, threads: Int?,
            heldSends: Int = 0, droppedSends: Int = 0, limitedByMaxInFlight: Bool = false
        ) {
            self.loadModel = loadModel
            self.targetRequestsPerS = targetRequestsPerS
            self.achievedRequestsPerS = achievedRequestsPerS
            self.lateSends = lateSends
            self.lateSendThresholdMs = lateSendThresholdMs
            self.limitedByGenerator = limitedByGenerator
            self.workers = workers
            self.threads = threads
            self.heldSends = heldSends
            self.droppedSends = droppedSends
            self.limitedByMaxInFlight = limitedByMaxInFlight
        }

        /// Reads summaries written before `held_sends`, `dropped_sends` and `limited_by_max_in_flight` existed.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            loadModel = try c.decodeIfPresent(String.self, forKey: .loadModel)
            targetRequestsPerS = try c.decodeIfPresent(Double.self, forKey: .targetRequestsPerS)
            achievedRequestsPerS = try c.decode(Double.self, forKey: .achievedRequestsPerS)
            lateSends = try c.decode(Int.self, forKey: .lateSends)
            lateSendThresholdMs = try c.decode(Double.self, forKey: .lateSendThresholdMs)
            limitedByGenerator = try c.decode(Bool.self, forKey: .limitedByGenerator)
            workers = try c.decodeIfPresent(Int.self, forKey: .workers)
            threads = try c.decodeIfPresent(Int.self, forKey: .threads)
            heldSends = try c.decodeIfPresent(Int.self, forKey: .heldSends) ?? 0
            droppedSends = try c.decodeIfPresent(Int.self, forKey: .droppedSends) ?? 0
            limitedByMaxInFlight = try c.decodeIfPresent(Bool.self, forKey: .limitedByMaxInFlight) ?? false
        }
    }

    /// Mergeable histograms (µs) behind the figures above.
    public struct Histograms: Codable, Sendable, Hashable {
        public var latency: HistogramSnapshot
        public var responseTime: HistogramSnapshot
        public var sendLateness: HistogramSnapshot
        public var ttft: HistogramSnapshot?
        public var itl: HistogramSnapshot?
        public var tpot: HistogramSnapshot?

        enum CodingKeys: String, CodingKey {
            case latency, ttft, itl, tpot
            case responseTime = "response_time", sendLateness = "send_lateness"
        }
    }

    /// Requests per time bucket over the whole run (warmup included), keyed by completion time.
    public struct TimeSeries: Codable, Sendable, Hashable {
        /// Width of each bucket (s); bucket k covers [k × bucket_s, (k + 1) × bucket_s) from the run's start.
        public var bucketS: Double
        public var requests: [Int]
        public var errors: [Int]
        public var rateLimited: [Int]
        /// Mean service time of the bucket's successes (ms); 0 for a bucket without successes.
        public var latencyMeanMs: [Double]
        /// p50, p95 and p99 of the bucket's successful service times (ms, from `LatencyBins`: within 6.25%);
        /// 0 for a bucket without successes. Absent in summaries written before they existed.
        public var latencyP50Ms: [Double]?
        public var latencyP95Ms: [Double]?
        public var latencyP99Ms: [Double]?
        /// Sessions runs: the most sessions active at once in each bucket (docs/sessions.md); absent otherwise.
        public var sessionsActive: [Int]?

        public init(
            bucketS: Double, requests: [Int], errors: [Int], rateLimited: [Int], latencyMeanMs: [Double],
            latencyP50Ms: [Double]? = nil, latencyP95Ms: [Double]? = nil, latencyP99Ms: [Double]? = nil
        ) {
            self.bucketS = bucketS
            self.requests = requests
            self.errors = errors
            self.rateLimited = rateLimited
            self.latencyMeanMs = latencyMeanMs
            self.latencyP50Ms = latencyP50Ms
            self.latencyP95Ms = latencyP95Ms
            self.latencyP99Ms = latencyP99Ms
        }

        enum CodingKeys: String, CodingKey {
            case requests, errors
            case bucketS = "bucket_s", rateLimited = "rate_limited", latencyMeanMs = "latency_mean_ms"
            case sessionsActive = "sessions_active"
            case latencyP50Ms = "latency_p50_ms", latencyP95Ms = "latency_p95_ms", latencyP99Ms = "latency_p99_ms"
        }
    }
}

extension RunSummary.Tokens {
    /// Decodes the block; `cached_prompt` is optional (0) so summaries written before it existed still decode.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        prompt = try container.decode(Int.self, forKey: .prompt)
        completion = try container.decode(Int.self, forKey: .completion)
        total = try container.decode(Int.self, forKey: .total)
        cachedPrompt = try container.decodeIfPresent(Int.self, forKey: .cachedPrompt) ?? 0
        responsesWithUsage = try container.decode(Int.self, forKey: .responsesWithUsage)
    }
}
