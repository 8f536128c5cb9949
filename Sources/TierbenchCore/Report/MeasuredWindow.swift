/// The span of a run over which rates are computed, in monotonic ns since the run's start.
///
/// Standard definition (docs/metrics.md): it opens when the warmup ends (at 0 without warmup) and closes at the
/// last completion of a measured request. A request is measured when it started at or after the warmup's end.
public struct MeasuredWindow: Sendable, Hashable, Codable {
    /// Opening time (ns since run start).
    public var start: UInt64
    /// Closing time (ns since run start); never before `start`.
    public var end: UInt64

    public init(start: UInt64, end: UInt64) {
        self.start = start
        self.end = max(start, end)
    }

    /// The standard window: from `warmupEnd` (ns since run start; 0 without warmup) to the recorder's last
    /// completion of a measured request. Empty when nothing was measured.
    public init(warmupEnd: UInt64, recorder: MetricsRecorder) {
        self.init(start: warmupEnd, end: recorder.lastCompletion ?? warmupEnd)
    }

    /// Length in ns.
    public var nanoseconds: UInt64 { end - start }

    /// Length in seconds.
    public var seconds: Double { Double(nanoseconds) / 1e9 }
}

/// What the engine knows about its load generator, for the summary's `generator` block.
public struct GeneratorInfo: Sendable, Hashable {
    /// `closed`, `waves`, `open`, `stages` or `trace`.
    public var loadModel: String?
    /// Target arrival rate of an open-loop run (requests/s); nil for closed loops.
    public var targetRequestsPerS: Double?
    /// Concurrency limit: closed-loop workers or open-loop `max_in_flight`.
    public var workers: Int?
    /// Load threads (curl event loops).
    public var threads: Int?

    public init(loadModel: String? = nil, targetRequestsPerS: Double? = nil, workers: Int? = nil, threads: Int? = nil) {
        self.loadModel = loadModel
        self.targetRequestsPerS = targetRequestsPerS
        self.workers = workers
        self.threads = threads
    }
}
