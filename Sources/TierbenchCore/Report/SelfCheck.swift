/// The `self_check` block of summary.json: whether the figures can be trusted at this load (docs/metrics.md,
/// "Self-check"). tierbench measures itself while it measures the target: how late its event loops got round to
/// ready sockets and timers, how busy its own CPU was, and — for the in-process mock — how far the mock fell behind
/// its own schedule of chunks and delayed responses.
public struct SelfCheck: Codable, Sendable, Hashable {
    /// True when no check below found a problem.
    public var trusted: Bool
    /// One sentence per failed check, naming the figure, its limit and what to do; empty when `trusted`.
    public var problems: [String]
    /// How late the load threads handled what was due (ready sockets, timers), per loop pass (ms).
    public var loopLagMs: DurationStats?
    /// CPU time of the whole tierbench process over the run, in cores (CPU seconds / wall seconds).
    public var processCPUCores: Double
    /// The busiest load thread's CPU time over the run, as a share of one core (0 … 1).
    public var busiestLoadThreadCPU: Double
    /// Cores available to the process.
    public var coresAvailable: Int
    /// In-process mock only: lateness of the mock's scheduled writes (stream chunks, delayed responses) against the
    /// times it meant to write them (ms). nil for a remote target.
    public var mockScheduleLagMs: DurationStats?
    /// Share of the whole machine's CPU time that was busy over the run (`/proc/stat`, 0 … 1); nil where it cannot
    /// be read (not Linux).
    public var machineCPUBusy: Double?

    enum CodingKeys: String, CodingKey {
        case trusted, problems
        case loopLagMs = "loop_lag_ms", processCPUCores = "process_cpu_cores"
        case busiestLoadThreadCPU = "busiest_load_thread_cpu", coresAvailable = "cores_available"
        case mockScheduleLagMs = "mock_schedule_lag_ms", machineCPUBusy = "machine_cpu_busy"
    }

    public init(
        trusted: Bool, problems: [String], loopLagMs: DurationStats?, processCPUCores: Double,
        busiestLoadThreadCPU: Double, coresAvailable: Int, mockScheduleLagMs: DurationStats?,
        machineCPUBusy: Double? = nil
    ) {
        self.trusted = trusted
        self.problems = problems
        self.loopLagMs = loopLagMs
        self.processCPUCores = processCPUCores
        self.busiestLoadThreadCPU = busiestLoadThreadCPU
        self.coresAvailable = coresAvailable
        self.mockScheduleLagMs = mockScheduleLagMs
        self.machineCPUBusy = machineCPUBusy
    }
}
