/// How much load a scenario applies and when it stops (`load:` in a scenario).
///
/// Today the only load model is the closed loop: `maxWorkers` workers, each sending its next request as soon as
/// its last one ends. Later load models (open-loop `rate`, `waves`, `stages`, `trace`) will be added here as
/// further optional fields; a run stops at whichever stop condition (`duration`, `requests`) comes first.
public struct LoadSettings: Sendable, Equatable, Codable {
    /// Concurrent workers in the closed loop, ≥ 1; default 1.
    public var maxWorkers: Int
    /// Stop sending after this long (warmup included); nil = no time limit.
    public var duration: TimeSpan?
    /// Stop after this many requests in total (warmup included), ≥ 1; nil = no count limit.
    public var requests: Int?
    /// Requests started during this first stretch are sent but excluded from statistics; default 0 s.
    public var warmup: TimeSpan

    /// - Precondition: at least one of `duration` and `requests` is set (the loader guarantees it).
    public init(maxWorkers: Int = 1, duration: TimeSpan? = nil, requests: Int? = nil, warmup: TimeSpan = .zero) {
        self.maxWorkers = maxWorkers
        self.duration = duration
        self.requests = requests
        self.warmup = warmup
    }

    enum CodingKeys: String, CodingKey {
        case maxWorkers = "max_workers"
        case duration, requests, warmup
    }
}
