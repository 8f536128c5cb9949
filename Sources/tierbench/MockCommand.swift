import ArgumentParser
import Logging
import TierbenchCore
import TierbenchMock

/// `tierbench mock`: runs the built-in OpenAI-compatible mock in the foreground until SIGINT/SIGTERM.
struct MockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mock",
        abstract: "Run the built-in OpenAI-compatible mock server (rate-limit tiers, latency model, faults).",
        discussion: """
            Durations carry units (ms, s, m). Latency distributions: 20ms | normal:20ms:5ms | lognormal:200ms:50ms.
            Prints "tierbench mock listening on http://HOST:PORT/v1" once it serves; stops gracefully on SIGINT or
            SIGTERM. See docs/mock.md.
            """)

    @Option(help: "Address to bind. Keep the default unless other machines must reach the mock.")
    var host = "127.0.0.1"
    @Option(name: .customLong("event-loops"), help: "Event-loop threads to serve on (default: one per core).")
    var eventLoops: Int?

    @Option(help: "TCP port; 0 picks a free one (printed at start).")
    var port = 8080
    @Option(help: "Seed for latency samples, faults and generated text.")
    var seed: UInt64 = 1

    @Option(help: "Non-streaming base latency distribution.", transform: Self.distribution)
    var latency: LatencyDistribution?
    @Option(name: .customLong("per-token"), help: "Added latency per output token (non-streaming).", transform: Self.distribution)
    var perToken: LatencyDistribution?
    @Option(help: "Streaming time to first token.", transform: Self.distribution)
    var ttft: LatencyDistribution?
    @Option(help: "Streaming inter-token latency.", transform: Self.distribution)
    var itl: LatencyDistribution?
    @Option(name: .customLong("prefill-per-token"), help: "Added latency per uncached prompt token (TTFT and non-streaming).", transform: Self.distribution)
    var prefillPerToken: LatencyDistribution?
    @Flag(name: .customLong("prefix-cache"), help: "Answer cached_tokens from the seeded prefix-cache model (defaults: 128-token blocks, from 1024 tokens, 1000000 tokens held).")
    var prefixCache = false
    @Option(name: .customLong("prefix-cache-block-tokens"), help: "Prefix-cache block size in tokens (implies --prefix-cache; default 128).")
    var prefixCacheBlockTokens: Int?
    @Option(name: .customLong("prefix-cache-min-tokens"), help: "Shortest prompt (and hit) the prefix cache counts (implies --prefix-cache; default 1024).")
    var prefixCacheMinTokens: Int?
    @Option(name: .customLong("prefix-cache-capacity-tokens"), help: "Tokens the prefix cache holds, LRU (implies --prefix-cache; default 1000000).")
    var prefixCacheCapacityTokens: Int?
    @Option(help: "Concurrent generations; more requests queue FIFO (default: unlimited).")
    var capacity: Int?
    @Option(name: .customLong("output-tokens"), help: "Tokens per choice when max_tokens does not cut it (default: 16-256, derived from the prompt).")
    var outputTokens: Int?

    @Option(help: "Rate-limit tier: free, tier1 ... tier5 (default: no limits).")
    var tier: String?
    @Option(name: .customLong("tier-set"), help: "Preset table: openai (per model) or seed002.")
    var tierSet = "openai"
    @Option(name: .customLong("tiers-file"), help: "A tier presets JSON file replacing the built-in one.")
    var tiersFile: String?
    @Option(help: "Requests per minute (overrides the tier).") var rpm: Int?
    @Option(help: "Tokens per minute (overrides the tier).") var tpm: Int?
    @Option(help: "Requests per day (overrides the tier).") var rpd: Int?
    @Option(help: "Tokens per day (overrides the tier).") var tpd: Int?
    @Option(name: .customLong("time-scale"), help: "Time compression k ≥ 1: limits per minute/k, latencies ÷ k.")
    var timeScale: Double = 1
    @Option(name: .customLong("initial-fill"), help: "Per-minute buckets start this full, 0…1 (default 1; 0 = empty).")
    var initialFill: Double = 1
    @Flag(name: .customLong("correct-usage"), help: "Give reserved but unused tokens back to the token buckets.")
    var correctUsage = false
    @Flag(name: .customLong("real-retry-after"), help: "Send retry-after in real units instead of scaled wall-clock time.")
    var realRetryAfter = false
    @Option(name: .customLong("spend-budget"), help: "USD after which every request gets 429 insufficient_quota.")
    var spendBudget: Double?

    @Option(name: .customLong("api-key"), help: "An accepted API key (repeatable; default: any key or none).")
    var apiKeys: [String] = []
    @Flag(help: "Refuse chat models on /v1/completions (and others) as the real API does.")
    var strict = false
    @Option(name: .customLong("model"), help: "An extra model id to accept (repeatable).")
    var extraModels: [String] = []
    @Option(name: .customLong("embedding-dimensions"), help: "Embedding length when the request gives none.")
    var embeddingDimensions: Int?
    @Option(name: .customLong("max-body"), help: "Largest request body in bytes (larger: 413).")
    var maxBody = 4 << 20
    @Option(name: .customLong("keep-alive-requests"), help: "Requests per keep-alive connection before it is closed (0 = never).")
    var keepAliveRequests = 1_000
    @Option(name: .customLong("max-header"), help: "Largest request head in bytes (larger: 431, connection closed).")
    var maxHeader = MockSettings().maxHeaderBytes
    @Option(name: .customLong("max-connections"), help: "Open connections at most; more are accepted and closed at once (also capped by the open-file limit less 64).")
    var maxConnections = MockSettings().maxConnections
    @Option(name: .customLong("idle-timeout"), help: "Close a connection idle this long between requests (default 60s).", transform: Self.timeSpan)
    var idleTimeout: TimeSpan?
    @Option(name: .customLong("header-timeout"), help: "Close a connection whose request head takes longer (default 10s).", transform: Self.timeSpan)
    var headerTimeout: TimeSpan?
    @Option(name: .customLong("body-timeout"), help: "Close a connection whose request body takes longer after its head (default 60s).", transform: Self.timeSpan)
    var bodyTimeout: TimeSpan?
    @Option(name: .customLong("cpu-burn-per-event"), help: "Burn this much CPU per SSE event written, to overload the mock on purpose (testing the self-check; e.g. 200us).", transform: Self.timeSpan)
    var cpuBurnPerEvent: TimeSpan?

    @Option(name: .customLong("error-rate"), help: "STATUS=RATE, e.g. 500=0.01 (repeatable).", transform: Self.statusRate)
    var errorRates: [StatusRate] = []
    @Option(name: .customLong("reset-rate"), help: "Probability of resetting the connection.") var resetRate = 0.0
    @Option(name: .customLong("hang-rate"), help: "Probability of never answering.") var hangRate = 0.0
    @Option(name: .customLong("hang-limit"), help: "Longest a hung request is held.", transform: Self.timeSpan)
    var hangLimit: TimeSpan?
    @Option(name: .customLong("slow-first-byte-rate"), help: "Probability of a delayed first byte.")
    var slowFirstByteRate = 0.0
    @Option(name: .customLong("slow-first-byte-delay"), help: "That delay.", transform: Self.timeSpan)
    var slowFirstByteDelay: TimeSpan?
    @Option(name: .customLong("truncate-rate"), help: "Probability of cutting a stream short.") var truncateRate = 0.0
    @Option(name: .customLong("malformed-rate"), help: "Probability of a 200 with invalid JSON.") var malformedRate = 0.0
    @Option(name: .customLong("fault-window"), help: "STATUS@START+DURATION or freeze@START+DURATION, e.g. 503@60s+30s (repeatable).", transform: Self.window)
    var faultWindows: [MockFaultWindow] = []

    @Option(name: .customLong("batch-time-scale"), help: "Time compression for batches (default: --time-scale); 1440 maps the 24 h window onto 60 s.")
    var batchTimeScale: Double?
    @Option(name: .customLong("batch-queue-delay"), help: "Median queue wait before a batch's first line (default 90s).", transform: Self.timeSpan)
    var batchQueueDelay: TimeSpan?
    @Option(name: .customLong("batch-queue-sigma"), help: "Log-space sigma of that wait, 0…5 (default 1.5; 0 = constant).")
    var batchQueueSigma: Double?
    @Option(name: .customLong("batch-lines-per-second"), help: "Batch lines processed per second (default 2).")
    var batchLinesPerSecond: Double?
    @Option(name: .customLong("batch-tokens-per-second"), help: "Batch input tokens processed per second (default: no token term).")
    var batchTokensPerSecond: Double?
    @Option(name: .customLong("batch-stall-probability"), help: "Probability a batch stalls before its first line (default 0.01).")
    var batchStallProbability: Double?
    @Option(name: .customLong("batch-creations-per-hour"), help: "Batch creations per hour before 429 (default 2000).")
    var batchCreationsPerHour: Int?

    @Flag(help: "Log every request at info level.") var verbose = false

    /// `--error-rate` value.
    struct StatusRate: Sendable {
        var status: Int
        var rate: Double
    }

    func validate() throws {
        if let eventLoops, !(1...64).contains(eventLoops) {
            throw ValidationError("--event-loops must be between 1 and 64, got \(eventLoops).")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        // The settings' ranges are checked in one place, `MockSettings.problems()`.
        let problems = settings().problems()
        if !problems.isEmpty {
            throw ValidationError(problems.map(\.flagDescription).joined(separator: "\n"))
        }
    }

    /// The settings these flags describe.
    func settings() -> MockSettings {
        var settings = MockSettings()
        settings.seed = seed
        if let latency { settings.latency.base = latency }
        if let perToken { settings.latency.perOutputToken = perToken }
        if let ttft { settings.latency.ttft = ttft }
        if let itl { settings.latency.itl = itl }
        if let prefillPerToken { settings.latency.prefillPerToken = prefillPerToken }
        if prefixCache || prefixCacheBlockTokens != nil || prefixCacheMinTokens != nil || prefixCacheCapacityTokens != nil {
            var cache = MockPrefixCacheSettings()
            if let prefixCacheBlockTokens { cache.blockTokens = prefixCacheBlockTokens }
            if let prefixCacheMinTokens { cache.minTokens = prefixCacheMinTokens }
            if let prefixCacheCapacityTokens { cache.capacityTokens = prefixCacheCapacityTokens }
            settings.prefixCache = cache
        }
        settings.capacity = capacity
        settings.outputTokens = outputTokens
        settings.tier = tier
        settings.tierSet = tierSet
        settings.tiersFile = tiersFile
        settings.limits = RateLimitOverrides(rpm: rpm, tpm: tpm, rpd: rpd, tpd: tpd)
        settings.timeScale = timeScale
        settings.initialFill = initialFill
        settings.correctToActualUsage = correctUsage
        settings.scaleRetryAfter = !realRetryAfter
        settings.spendBudgetUSD = spendBudget
        settings.apiKeys = apiKeys
        settings.strict = strict
        settings.extraModels = extraModels
        settings.embeddingDimensions = embeddingDimensions
        settings.maxBodyBytes = maxBody
        settings.keepAliveRequests = keepAliveRequests
        settings.maxHeaderBytes = maxHeader
        settings.maxConnections = maxConnections
        if let idleTimeout { settings.idleTimeout = idleTimeout }
        if let headerTimeout { settings.headerTimeout = headerTimeout }
        if let bodyTimeout { settings.bodyTimeout = bodyTimeout }
        settings.cpuBurnPerEvent = cpuBurnPerEvent
        for rate in errorRates { settings.faults.statusRates[rate.status] = rate.rate }
        settings.faults.resetRate = resetRate
        settings.faults.hangRate = hangRate
        settings.faults.slowFirstByteRate = slowFirstByteRate
        if let slowFirstByteDelay { settings.faults.slowFirstByteDelay = slowFirstByteDelay }
        settings.faults.truncateStreamRate = truncateRate
        settings.faults.malformedJSONRate = malformedRate
        settings.faults.schedule = faultWindows
        if let hangLimit { settings.hangLimit = hangLimit }
        settings.batch.timeScale = batchTimeScale
        if let batchQueueDelay { settings.batch.queueDelayMedian = batchQueueDelay }
        if let batchQueueSigma { settings.batch.queueDelaySigma = batchQueueSigma }
        if let batchLinesPerSecond { settings.batch.linesPerSecond = batchLinesPerSecond }
        settings.batch.tokensPerSecond = batchTokensPerSecond
        if let batchStallProbability { settings.batch.stallProbability = batchStallProbability }
        if let batchCreationsPerHour { settings.batch.creationsPerHour = batchCreationsPerHour }
        return settings
    }

    func run() async throws {
        var logger = Logger(label: "tierbench.mock")
        logger.logLevel = verbose ? .info : .warning
        let server = MockServer(
            settings: settings(), host: host, port: port, logger: logger, eventLoopThreads: eventLoops)
        let host = self.host
        do {
            try await server.run { port in
                Console.out("tierbench mock listening on http://\(host):\(port)/v1")
            }
        } catch let error as MockConfigurationError {
            Console.error(error.description)
            throw ExitCode(64)
        }
    }

    private static func distribution(_ text: String) throws -> LatencyDistribution {
        guard let value = LatencyDistribution.parse(text) else {
            throw ValidationError("'\(text)' is not a latency: use 20ms, normal:20ms:5ms or lognormal:200ms:50ms")
        }
        return value
    }

    private static func timeSpan(_ text: String) throws -> TimeSpan {
        guard let value = TimeSpan.parse(text) else { throw ValidationError("'\(text)' is not a duration with a unit") }
        return value
    }

    private static func statusRate(_ text: String) throws -> StatusRate {
        let parts = text.split(separator: "=")
        guard parts.count == 2, let status = Int(parts[0]), (400...599).contains(status), let rate = Double(parts[1]) else {
            throw ValidationError("'\(text)' is not STATUS=RATE, e.g. 500=0.01")
        }
        return StatusRate(status: status, rate: rate)
    }

    private static func window(_ text: String) throws -> MockFaultWindow {
        guard let window = MockFaultWindow.parse(text) else {
            throw ValidationError("'\(text)' is not STATUS@START+DURATION or freeze@START+DURATION, e.g. 503@60s+30s")
        }
        return window
    }
}
