import Foundation
import TierbenchCore
import TierbenchCurl

/// Runs a `LoadPlan` on dedicated curl loop threads and returns what they measured.
///
/// The threads are plain OS threads, never Swift concurrency threads: `epoll_wait` blocks. The async caller
/// suspends on a continuation until every thread has finished.
struct LoadRunner {
    /// What the load threads measured, merged.
    struct Result: Sendable {
        var recorder: MetricsRecorder
        /// Transfers cut short by an interrupt (not in the statistics).
        var abandoned: Int
        /// Monotonic ns when the first thread started sending.
        var runStart: UInt64
        /// Monotonic ns when the last thread finished.
        var runEnd: UInt64
        /// The session figures of a sessions run; nil otherwise.
        var sessions: SessionStats?
        /// Wall-clock Unix ns of `runStart` (the run's origin); 0 when not taken (sessions without `--start-at`).
        var runStartUnixNanos: Int64 = 0
        /// Every load thread's loop lag and its ready-set part, merged (empty for a sessions run).
        var loopLag = DurationHistogram()
        var readLag = DurationHistogram()
        /// The busiest load thread's CPU time over its run, as a share of one core.
        var busiestLoadThreadCPU = 0.0
        /// CPU seconds of the whole process over the run (`getrusage`), and the wall seconds they were taken over.
        var processCPUSeconds = 0.0
        var processWallSeconds = 0.0
        /// Process CPU seconds and monotonic ns read at the run's start, after set-up and the `--start-at` wait.
        var processCPUAtStart = 0.0
        var processWallAtStart: UInt64 = 0
        /// The machine's CPU counters at the run's start and end (`/proc/stat`); nil where unreadable.
        var machineCPUAtStart: MachineCPUTimes?
        var machineCPUAtEnd: MachineCPUTimes?
        /// CPU ns all load threads spent in idle spin passes (`CurlLoop.spinIdleCPUNanos`), left out of the CPU figures.
        var spinIdleCPUNanos: UInt64 = 0
        /// Whether `--threads` spreads this run over more load threads (a closed loop without a worker ramp).
        var threadsSplitLoad = false
        /// The busiest load thread's transfers per epoll pass and its slots; nil with the poll pass.
        var epollPasses: SelfCheckMeasurement.EpollPassLoad?
    }

    let plan: LoadPlan
    /// Number of curl loop threads; the workers are split between them.
    let threads: Int
    let stop: StopSignal
    let log: RequestLogWriter?
    /// Where the threads publish live counters; nil = no live display, alerts or metrics endpoint.
    var live: LiveFeed?
    /// Where a sessions run writes `sessions.jsonl`; nil = not written.
    var sessionLog: RequestLogWriter?
    /// `--start-at`: wait for it once the threads are set up, and put the run's origin exactly there.
    var startGate: StartGate?

    /// Test-only (`@testable`): CPU time burnt in every body callback (ns), to overload the loop on purpose so the
    /// self-check's loop lag can be tested against a client that really falls behind. 0 in every real run.
    var burnNanosPerBody: UInt64 = 0

    /// Runs the plan to its stop condition (or until `stop` is signalled), and measures the process's CPU over it:
    /// from the run's start (after the loops' set-up and the `--start-at` wait) to its end, less the CPU the load
    /// threads spent in idle spin passes.
    func run() async throws(EngineError) -> Result {
        var result = try await runLoops()
        let spinSeconds = Double(result.spinIdleCPUNanos) / 1e9
        result.processCPUSeconds = max(0, SelfCheckProbe.processCPUSeconds() - result.processCPUAtStart - spinSeconds)
        result.processWallSeconds = Double(MonotonicClock.now() &- result.processWallAtStart) / 1e9
        result.machineCPUAtEnd = SelfCheckProbe.machineCPUTimes()
        return result
    }

    private func runLoops() async throws(EngineError) -> Result {
        if let sessions = plan.sessions {
            var runner = SessionRunner(plan: plan, sessions: sessions, stop: stop, log: log, sessionLog: sessionLog)
            runner.live = live
            runner.startGate = startGate  // the runner waits, after its loop's set-up, and takes the start as origin
            return try await runner.run()
        }
        let threadCount = Self.loopThreads(plan, requested: threads)
        let slotTotal = plan.slotCount
        var curlLoops: [CurlLoop] = []
        for thread in 0..<threadCount {
            let slots = slotTotal / threadCount + (thread < slotTotal % threadCount ? 1 : 0)
            do {
                curlLoops.append(try CurlLoop(options: plan.curlOptions, slots: slots))
            } catch {
                throw EngineError.transport(error.description)
            }
        }
        // The run's origin comes after the (slow, per-slot) loop set-up, so the first intended sends are not late.
        var runStart = MonotonicClock.now()
        var runStartUnixNanos = Int64(Date().timeIntervalSince1970 * 1e9)
        if let startGate {
            // The origin is the start time itself, not the (slightly late) wake-up: every shard shares it.
            let late = try await startGate.wait(stop: stop)
            runStart = MonotonicClock.now() &- UInt64(late)
            runStartUnixNanos = startGate.start.unixNanos
        }
        live?.markStart(runStart)
        let (cpuAtStart, wallAtStart) = (SelfCheckProbe.processCPUSeconds(), MonotonicClock.now())
        let machineAtStart = SelfCheckProbe.machineCPUTimes()
        var loops: [(CurlLoop, LoadDriver)] = []
        for (thread, loop) in curlLoops.enumerated() {
            let slots = slotTotal / threadCount + (thread < slotTotal % threadCount ? 1 : 0)
            let driver = LoadDriver(
                plan: plan, slots: slots, offset: thread, stride: threadCount, runStart: runStart,
                runStartUnixNanos: runStartUnixNanos, stop: stop, log: log, live: live)
            driver.loop = loop
            driver.burnNanosPerBody = burnNanosPerBody
            loops.append((loop, driver))
        }
        let parts = await withTaskGroup(of: ThreadResult.self) { group in
            for (index, pair) in loops.enumerated() {
                let box = LoopBox(loop: pair.0, driver: pair.1)
                group.addTask { await Self.runOnThread(box, name: "tierbench-load-\(index)", stop: stop) }
            }
            var parts: [ThreadResult] = []
            for await part in group { parts.append(part) }
            return parts
        }
        var result = Result(recorder: MetricsRecorder(), abandoned: 0, runStart: runStart, runEnd: MonotonicClock.now())
        if let failure = parts.compactMap(\.failure).first { throw EngineError.transport(failure) }
        for part in parts {
            result.recorder.merge(part.recorder)
            result.abandoned += part.abandoned
            result.loopLag.merge(part.loopLag)
            result.readLag.merge(part.readLag)
            if part.cpuShare >= result.busiestLoadThreadCPU { result.epollPasses = part.epollPasses }
            result.busiestLoadThreadCPU = max(result.busiestLoadThreadCPU, part.cpuShare)
            result.spinIdleCPUNanos &+= part.spinIdleCPUNanos
        }
        result.runStartUnixNanos = runStartUnixNanos
        if case .closed(_, nil) = plan.model { result.threadsSplitLoad = true }
        result.processCPUAtStart = cpuAtStart
        result.processWallAtStart = wallAtStart
        result.machineCPUAtStart = machineAtStart
        return result
    }

    /// How many curl loop threads `plan` runs on with `--threads requested`. Only a closed loop splits across
    /// threads (at most one per worker); waves, open-loop schedules and sessions run on one thread so their timing
    /// stays exact.
    static func loopThreads(_ plan: LoadPlan, requested: Int) -> Int {
        guard plan.sessions == nil, case .closed(let workers, nil) = plan.model else { return 1 }
        return max(1, min(requested, workers))
    }

    /// What one load thread measured.
    private struct ThreadResult: Sendable {
        var recorder: MetricsRecorder
        var abandoned: Int
        var loopLag: DurationHistogram
        var readLag: DurationHistogram
        /// The thread's CPU time over its run, less its idle spin passes, as a share of one core.
        var cpuShare: Double
        var spinIdleCPUNanos: UInt64
        /// Transfers finished per pass and slots, for an epoll-pass loop.
        var epollPasses: SelfCheckMeasurement.EpollPassLoad?
        /// Why the loop stopped early (`CurlLoop.failure`); nil after a normal run.
        var failure: String?
    }

    /// Runs one loop on a new OS thread and resumes when it returns.
    private static func runOnThread(_ box: LoopBox, name: String, stop: StopSignal) async -> ThreadResult {
        await withCheckedContinuation { (continuation: CheckedContinuation<ThreadResult, Never>) in
            let thread = Thread {
                let (loop, driver) = box.take()
                let waker = loop.waker
                stop.register { waker.wake() }
                let (cpuStart, wallStart) = (ThreadCPUClock.now(), MonotonicClock.now())
                loop.run(driver: driver)
                let cpu = ThreadCPUClock.now() &- cpuStart
                let busy = cpu &- min(cpu, loop.spinIdleCPUNanos)
                let share = SelfCheckProbe.share(cpuNanos: busy, wallNanos: MonotonicClock.now() &- wallStart)
                driver.finish()
                let epollPasses = loop.usesEpoll && loop.passes > 0
                    ? SelfCheckMeasurement.EpollPassLoad(
                        finishedPerPass: Double(loop.finishedCount) / Double(loop.passes), slots: loop.slotCount)
                    : nil
                continuation.resume(returning: ThreadResult(
                    recorder: driver.recorder, abandoned: driver.abandoned, loopLag: loop.loopLag, readLag: loop.readLag,
                    cpuShare: share, spinIdleCPUNanos: loop.spinIdleCPUNanos, epollPasses: epollPasses,
                    failure: loop.failure))
            }
            thread.name = name
            thread.start()
        }
    }
}

/// Hands a loop and its driver to the thread that will own them.
///
/// `@unchecked Sendable` is sound because ownership moves exactly once: the creating task never touches the pair
/// after handing the box over, and the load thread is its only user from then on.
private final class LoopBox: @unchecked Sendable {
    private let loop: CurlLoop
    private let driver: LoadDriver
    init(loop: CurlLoop, driver: LoadDriver) {
        self.loop = loop
        self.driver = driver
    }
    func take() -> (CurlLoop, LoadDriver) { (loop, driver) }
}
