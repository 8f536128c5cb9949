/// How much load a scenario applies and when it stops (`load:` in a scenario).
///
/// One load model applies (`mode`): the closed loop (`maxWorkers` workers, each sending its next request when its
/// last one ends; the default), `waves`, the open loop (`rate` requests/s with an `arrival` process), `stages`
/// (linear ramps of rate or workers) or `trace` replay. A run stops at whichever stop condition comes first:
/// `duration`, `requests`, the end of the stages, or the end of the trace.
public struct LoadSettings: Sendable, Equatable, Codable {
    /// Concurrent workers in the closed loop (and the starting workers of worker stages), ≥ 1; default 1.
    public var maxWorkers: Int
    /// Stop sending after this long (warmup included); nil = no time limit.
    public var duration: TimeSpan?
    /// Stop after this many requests in total (warmup included), ≥ 1; nil = no count limit.
    public var requests: Int?
    /// Requests started during this first stretch are sent but excluded from statistics; default 0 s.
    public var warmup: TimeSpan
    /// Open loop: intended requests per second (and the starting rate of rate stages); nil = closed loop.
    public var rate: Double?
    /// Open loop: how sends are spaced at `rate`; default constant.
    public var arrival: ArrivalProcess
    /// Open loop: most requests outstanding at once; a send that finds no free slot is late. nil = unlimited.
    public var maxInFlight: Int?
    /// Send `waveSize` requests together and wait for all before the next wave; nil = not waves.
    public var waves: WaveSettings?
    /// Linear ramps, in order; empty = no stages.
    public var stages: [LoadStage]
    /// Replay a recorded trace of send times; nil = no trace.
    public var trace: TraceSettings?
    /// How long before a scheduled send the load thread stops sleeping and polls without blocking (`load.spin`).
    ///
    /// Waking from a sleep is often 1–3 ms late on virtual machines; spinning through the last stretch keeps sends
    /// on time at the price of CPU (spin / gap between sends). nil = ``defaultSpin`` for the load model.
    public var spin: TimeSpan?
    /// With `sessions:`: the closed loop's users, each holding one conversation at a time (`maxWorkers` equals it);
    /// nil = not set.
    public var users: Int?

    public init(
        maxWorkers: Int = 1, duration: TimeSpan? = nil, requests: Int? = nil, warmup: TimeSpan = .zero,
        rate: Double? = nil, arrival: ArrivalProcess = .constant, maxInFlight: Int? = nil, waves: WaveSettings? = nil,
        stages: [LoadStage] = [], trace: TraceSettings? = nil, spin: TimeSpan? = nil
    ) {
        self.maxWorkers = maxWorkers
        self.duration = duration
        self.requests = requests
        self.warmup = warmup
        self.rate = rate
        self.arrival = arrival
        self.maxInFlight = maxInFlight
        self.waves = waves
        self.stages = stages
        self.trace = trace
        self.spin = spin
    }

    /// Which load model applies.
    public enum Mode: String, Sendable, Equatable, Codable {
        /// `max_workers` workers, each sending when its last request ends.
        case closedLoop = "closed_loop"
        /// `waves.wave_size` requests at a time, waiting for the whole wave.
        case waves
        /// Sends at `rate` requests/s regardless of responses.
        case openLoop = "open_loop"
        /// `stages` ramping the request rate (open loop).
        case rampingRate = "ramping_rate"
        /// `stages` ramping the number of workers (closed loop).
        case rampingWorkers = "ramping_workers"
        /// Sends at the times recorded in `trace`.
        case trace
    }

    /// The load model these settings describe.
    public var mode: Mode {
        if trace != nil { return .trace }
        if waves != nil { return .waves }
        if let first = stages.first { return first.target.isRate ? .rampingRate : .rampingWorkers }
        return rate == nil ? .closedLoop : .openLoop
    }

    /// The spin that applies: `spin` if set, else 2 ms for models that send on a schedule (open loop, rate stages,
    /// trace) and zero for the others, whose sends follow completions rather than the clock.
    public var effectiveSpin: TimeSpan {
        if let spin { return spin }
        switch mode {
        case .openLoop, .rampingRate, .trace: return Self.defaultSpin
        case .closedLoop, .rampingWorkers, .waves: return .zero
        }
    }

    /// The default spin of scheduled models: covers the wake-up lateness (p99 about 2 ms) measured on this VM kind.
    public static let defaultSpin = TimeSpan.milliseconds(2)

    /// Total length of the stages (zero without stages); held at `Int64.max` ns (292 years) rather than overflowing.
    public var stagesDuration: TimeSpan {
        stages.reduce(TimeSpan.zero) { total, stage in
            let (sum, overflow) = total.nanoseconds.addingReportingOverflow(stage.duration.nanoseconds)
            return TimeSpan(nanoseconds: overflow ? .max : sum)
        }
    }

    enum CodingKeys: String, CodingKey {
        case maxWorkers = "max_workers"
        case duration, requests, warmup, rate, arrival
        case maxInFlight = "max_in_flight"
        case waves, stages, trace, spin
    }
}
