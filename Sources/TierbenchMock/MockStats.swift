import TierbenchCore

/// What the mock has seen since it started (or since the last reset); served as JSON at `GET /mock/stats`.
///
/// Counts cover the API routes (`/v1/…` and unknown routes); the observability routes `/metrics` and `/mock/…` are
/// not counted. Tests and the engine use it to cross-check a harness's own numbers.
public struct MockStats: Codable, Sendable, Equatable {
    /// Seconds since the start or the last reset (wall clock).
    public var elapsedSeconds: Double = 0
    /// API requests received, whatever their outcome.
    public var requests: Int = 0
    /// Requests by route: `chat`, `completions`, `embeddings`, `models`, `model`, `files`, `batches`, `unknown`.
    public var byRoute: [String: Int] = [:]
    /// Responses by HTTP status ("200", "429", …). Reset and hung connections have no status and are not here.
    public var byStatus: [String: Int] = [:]
    /// Responses with a 2xx status.
    public var succeeded: Int = 0
    /// 429 responses of any kind.
    public var rateLimited: Int = 0
    /// 429s by type: `requests`, `tokens`, `insufficient_quota`.
    public var rateLimitedByType: [String: Int] = [:]
    /// Injected faults by kind (`status_500`, `reset`, `hang`, `malformed_json`, `truncated_stream`, `slow_first_byte`,
    /// `window_503`, `freeze`).
    public var faults: [String: Int] = [:]
    /// Prompts received by successful generation requests (array prompts and inputs count each element).
    public var prompts: Int = 0
    /// Choices or embeddings returned by successful requests.
    public var choices: Int = 0
    /// Usage reported in successful responses, summed.
    public var promptTokens: Int = 0
    public var completionTokens: Int = 0
    public var totalTokens: Int = 0
    /// `usage.prompt_tokens_details.cached_tokens` reported in successful responses, summed (0 without a prefix cache).
    public var cachedTokens: Int = 0
    /// Successful streaming responses started.
    public var streams: Int = 0
    /// Requests the client marked as retries (`x-stainless-retry-count` > 0).
    public var retries: Int = 0
    /// USD the successful requests would have cost at the shipped prices (`BuiltInPrices`; cached tokens at `cached_input`).
    public var spendUSD: Double = 0
    /// Requests being handled right now (a live value, not reset).
    public var inFlight: Int = 0
    /// Highest `inFlight` seen since the start or reset.
    public var maxInFlight: Int = 0
    /// Requests waiting for a capacity slot right now (a live value).
    public var queued: Int = 0
    /// Connections the mock closed to protect itself, by reason: `idle_timeout`, `header_timeout`, `body_timeout`,
    /// `header_too_large` (431), `body_too_large` (413), `connection_cap` (accepted over `max_connections`).
    public var connectionsClosed: [String: Int] = [:]
    /// Connections open right now (a live value, not reset).
    public var openConnections: Int = 0
    /// The Files and Batches APIs: uploads, batches created and by status, lines by outcome.
    public var batches = MockBatchStats()
    /// Lateness (µs) of every scheduled write — a stream's chunk, a delayed non-streaming response — against the
    /// time the mock meant to write it (docs/mock.md, "Schedule lag"); nil before the first. The self-check of a
    /// run against the in-process mock reads it to tell whether the mock, not the target, shaped the figures.
    public var scheduleLag: HistogramSnapshot? = nil
    /// Scheduled writes more than 1 ms late.
    public var lateWrites: Int = 0

    /// Batches created since the start or the last reset (`batches.batchesCreated`).
    public var batchesCreated: Int { batches.batchesCreated }

    public init() {}
}
