/// What the engine measured about tierbench itself during a run: the raw figures the ``SelfCheckRules`` judge.
public struct SelfCheckMeasurement: Sendable {
    /// Every load thread's loop lag (one value per loop pass that handled something due), merged.
    public var loopLag: DurationHistogram
    /// The ready-set part of the loop lag alone (end of handling the ready sockets − `epoll_wait` return), per pass
    /// that read sockets: how much earlier than their handling chunks were stamped.
    public var readLag: DurationHistogram
    /// CPU time (user + system) of the whole process over the run, in seconds (`getrusage(RUSAGE_SELF)`).
    public var processCPUSeconds: Double
    /// Wall time of the run, in seconds.
    public var wallSeconds: Double
    /// The busiest load thread's CPU time over its own run, as a share of one core (0 … 1).
    public var busiestLoadThreadCPU: Double
    /// Cores available to the process (at least 1).
    public var coresAvailable: Int
    /// In-process mock only: lateness (µs) of the mock's scheduled writes (`MockStats.scheduleLag`); nil otherwise.
    public var mockScheduleLag: HistogramSnapshot?
    /// Whether `--threads` spreads this run's load over more threads (a closed loop without a worker ramp); open
    /// loops, waves, rate stages, traces and sessions run on one thread, so the advice is to split the load instead.
    public var threadsSplitLoad = true
    /// Share of the whole machine's CPU time busy over the run (``MachineCPUTimes``, 0 … 1); nil when not measured.
    public var machineCPUBusy: Double?
    /// How busy the busiest load thread's epoll passes were; nil when it ran the poll pass (`http.loop: poll`) or
    /// is not known (sessions).
    public var epollPasses: EpollPassLoad?

    /// Transfers the busiest load thread finished per loop pass, against its slots: when nearly every slot finishes in
    /// every pass, the target answers faster than a pass, and the poll pass costs less per request than the epoll
    /// pass (`CurlLoopMode`, scripts/bench/README.md).
    public struct EpollPassLoad: Sendable, Equatable {
        public var finishedPerPass: Double
        public var slots: Int
        public init(finishedPerPass: Double, slots: Int) {
            self.finishedPerPass = finishedPerPass
            self.slots = slots
        }

        /// Half the slots or more finish in an average pass (with at least 4 slots).
        public var suitsPollPass: Bool {
            slots >= 4 && finishedPerPass.isFinite && finishedPerPass >= Double(slots) / 2
        }
    }

    public init(
        loopLag: DurationHistogram, readLag: DurationHistogram = DurationHistogram(), processCPUSeconds: Double, wallSeconds: Double, busiestLoadThreadCPU: Double,
        coresAvailable: Int, mockScheduleLag: HistogramSnapshot? = nil
    ) {
        self.loopLag = loopLag
        self.readLag = readLag
        self.processCPUSeconds = processCPUSeconds
        self.wallSeconds = wallSeconds
        self.busiestLoadThreadCPU = busiestLoadThreadCPU
        self.coresAvailable = coresAvailable
        self.mockScheduleLag = mockScheduleLag
    }

    /// CPU time over wall time, in cores (0 for a run without wall time; never negative or NaN).
    public var processCPUCores: Double {
        guard wallSeconds > 0, processCPUSeconds.isFinite, processCPUSeconds > 0 else { return 0 }
        return processCPUSeconds / wallSeconds
    }
}
