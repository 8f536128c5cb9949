import NIOCore
import Synchronization
import TierbenchCore

/// Everything the request path shares: settings, catalogs, limiter, capacity, faults, text, stats and metrics.
/// Immutable after construction apart from the internally synchronized parts.
final class MockRuntime: Sendable {
    let settings: MockSettings
    let models: ModelCatalog
    let limiter: RateLimiter
    /// Model whose buckets a response reports when the request names none (listing models, auth errors…).
    let fallbackLimitModel: String
    /// nil = unlimited concurrency.
    let gate: CapacityGate?
    let faults: FaultPlan
    let text: TextGenerator
    let stats = StatsRecorder()
    let metrics: MockMetrics
    /// Open connections against the cap (`ConnectionGuard`).
    let connections: ConnectionCounter
    /// `fp_…`, fixed per seed.
    let systemFingerprint: String
    /// Monotonic nanoseconds at construction; fault windows count from here.
    let startTime = MonotonicClock.now()
    /// Whether any rate limit can apply (lets the hot path skip the limiter).
    let hasLimits: Bool

    /// The tier presets (for the batch queue limit).
    let tiers: TierCatalog
    /// Files and batches (docs/mock.md, "Files and Batches").
    let batches: BatchStore
    /// Virtual seconds per wall second for batches (`batch.timeScale`, else `timeScale`).
    let batchTimeScale: Double

    /// The prefix-cache model behind `cached_tokens`; nil = none (always 0).
    let prefixCache: PrefixCache?

    /// No faults: generation requests are answered on the event loop (the fast path), at once or at their due time
    /// by the loop's `StreamTicker`.
    let allowsFastPath: Bool
    /// One `StreamTicker` per event loop: the fast path's timed writes.
    let tickers: StreamTickers
    /// Schedule lag of the writes Hummingbird's path makes at a planned time (streams and delays with faults).
    let asyncLag = ScheduleLag()

    private let sequence = Atomic<UInt64>(0)
    private let spend = Mutex<Double>(0)
    private let stopping = Atomic<Bool>(false)

    /// - Parameter eventLoops: the event-loop threads serving the mock (for the descriptors they keep, which the
    ///   connection cap leaves free).
    ///   - batchClock: the virtual clock of the Files and Batches APIs; nil = the real clock scaled by the batch
    ///     time scale.
    init(
        settings: MockSettings, tiers: TierCatalog, eventLoops: Int = System.coreCount, batchClock: (any BatchClock)? = nil
    ) {
        self.settings = settings
        self.tiers = tiers
        let batchScale = settings.batch.timeScale ?? settings.timeScale
        self.batchTimeScale = batchScale
        self.batches = BatchStore(clock: batchClock ?? ScaledBatchClock(scale: batchScale), seed: settings.seed)
        self.models = ModelCatalog(extraModels: settings.extraModels)
        self.limiter = RateLimiter(catalog: tiers, settings: settings)
        self.fallbackLimitModel = tiers.sets[settings.tierSet]?.fallbackModel ?? "gpt-4o-mini"
        self.gate = settings.capacity.map { CapacityGate(capacity: $0) }
        self.faults = FaultPlan(settings.faults, timeScale: settings.timeScale)
        self.text = TextGenerator(seed: settings.seed, fixedLength: settings.outputTokens)
        let modelIDs = ModelCatalog(extraModels: settings.extraModels).models.map(\.id)
        self.prefixCache = settings.prefixCache.map { PrefixCache(settings: $0, seed: settings.seed, models: modelIDs) }
        self.metrics = MockMetrics(tier: settings.tier)
        self.connections = ConnectionCounter(
            cap: settings.effectiveMaxConnections(openFileLimit: ConnectionCounter.openFileLimit(), eventLoops: eventLoops))
        var random = MockRandom(seed: settings.seed)
        self.systemFingerprint = "fp_" + String(random.hex32().prefix(10))
        let limits = settings.limits
        self.allowsFastPath = faults.isEmpty
        self.tickers = StreamTickers(burnNanoseconds: UInt64(max(0, settings.cpuBurnPerEvent?.nanoseconds ?? 0)))
        self.hasLimits = settings.tier != nil || limits.rpm != nil || limits.tpm != nil || limits.rpd != nil
            || limits.tpd != nil
    }

    /// The next request's arrival number (0, 1, 2…): the stream its random choices come from.
    func nextSequence() -> UInt64 {
        sequence.wrappingAdd(1, ordering: .relaxed).oldValue
    }

    /// The latency model for `model`.
    func latency(for model: String) -> MockLatencyModel {
        settings.modelLatency[model] ?? settings.latency
    }

    /// Whether a request for `model` needs no waiting: no faults, no capacity limit, zero latency.
    func answersInstantly(model: String) -> Bool {
        allowsFastPath && gate == nil && latency(for: model) == Self.zeroLatency
    }

    private static let zeroLatency = MockLatencyModel()

    /// Wall-clock seconds for a sampled latency (divided by the time scale).
    func wallSeconds(_ realSeconds: Double) -> Double {
        realSeconds / settings.timeScale
    }

    /// Adds spend in USD towards the budget.
    func addSpend(_ usd: Double) {
        guard usd > 0 else { return }
        spend.withLock { $0 += usd }
    }

    /// Spend so far in USD (sync requests at the sync price, batch lines at the batch price).
    var spentUSD: Double { spend.withLock { $0 } }

    /// Whether the spend budget is used up.
    var quotaExhausted: Bool {
        guard let budget = settings.spendBudgetUSD else { return false }
        return spend.withLock { $0 } >= budget
    }

    /// Set when the server is stopping: hung requests let go.
    var isStopping: Bool { stopping.load(ordering: .relaxed) }
    func markStopping() { stopping.store(true, ordering: .relaxed) }

    /// A snapshot of the stats.
    func snapshot() -> MockStats {
        var stats = stats.snapshot(queued: gate?.queued ?? 0)
        stats.openConnections = connections.count
        stats.batches = batches.stats(responder: MockResponder(runtime: self))
        var lag = DurationHistogram()
        var late = 0
        for recorder in tickers.lags + [asyncLag] { recorder.merge(into: &lag, late: &late) }
        stats.scheduleLag = lag.count > 0 ? HistogramSnapshot(lag.histogram) : nil
        stats.lateWrites = late
        return stats
    }

    /// Brings the schedule-lag counters of `/metrics` up to date.
    func updateScheduleLagMetrics() {
        var writes = 0
        var late = 0
        for recorder in tickers.lags + [asyncLag] {
            let lifetime = recorder.lifetime
            writes &+= lifetime.writes
            late &+= lifetime.late
        }
        metrics.updateScheduleLag(writes: writes, late: late)
    }

    /// Brings the batch gauges and counters of `/metrics` up to date.
    func updateBatchMetrics() {
        let (totals, byStatus) = batches.totals(responder: MockResponder(runtime: self))
        metrics.updateBatches(totals: totals, byStatus: byStatus)
    }

    /// Starts counting afresh (rate-limit buckets keep their levels).
    func reset() {
        stats.reset()
        batches.resetCounts()
        for recorder in tickers.lags + [asyncLag] { recorder.reset() }
    }
}
