import Foundation
import TierbenchCore
import TierbenchCurl

/// Runs a sessions plan (`LoadPlan.sessions`) on one curl loop thread: session scheduling stays on one clock, and
/// the session numbers are one sequence.
struct SessionRunner {
    let plan: LoadPlan
    let sessions: SessionPlan
    let stop: StopSignal
    let log: RequestLogWriter?
    let sessionLog: RequestLogWriter?
    var live: LiveFeed?
    /// `--start-at`: waited for once the loop is set up; the run's origin (and an open loop's schedule) is then the
    /// start time itself, the same instant on every shard.
    var startGate: StartGate?

    func run() async throws(EngineError) -> LoadRunner.Result {
        let loop: CurlLoop
        do {
            loop = try CurlLoop(options: plan.curlOptions, slots: plan.slotCount)
        } catch {
            throw EngineError.transport(error.description)
        }
        var runStart = MonotonicClock.now()
        var runStartUnixNanos = Int64(Date().timeIntervalSince1970 * 1e9)
        var anchored = false
        if let startGate {
            let late = try await startGate.wait(stop: stop)
            runStart = MonotonicClock.now() &- UInt64(late)
            runStartUnixNanos = startGate.start.unixNanos
            anchored = true
        }
        live?.markStart(runStart)
        let (cpuAtStart, wallAtStart) = (SelfCheckProbe.processCPUSeconds(), MonotonicClock.now())
        let machineAtStart = SelfCheckProbe.machineCPUTimes()
        let driver = SessionDriver(
            plan: plan, sessions: sessions, runStart: runStart, runStartUnixNanos: runStartUnixNanos, stop: stop,
            log: log, sessionLog: sessionLog, live: live)
        driver.loop = loop
        let box = SessionLoopBox(loop: loop, driver: driver)
        let stop = self.stop
        let (recorder, stats, abandoned, failure) = await withCheckedContinuation {
            (continuation: CheckedContinuation<(MetricsRecorder, SessionStats, Int, String?), Never>) in
            let thread = Thread {
                let (loop, driver) = box.take()
                let waker = loop.waker
                stop.register { waker.wake() }
                loop.run(driver: driver)
                driver.finish()
                continuation.resume(returning: (driver.recorder, driver.stats, driver.abandoned, loop.failure))
            }
            thread.name = "tierbench-sessions"
            thread.start()
        }
        if let failure { throw EngineError.transport(failure) }
        var result = LoadRunner.Result(
            recorder: recorder, abandoned: abandoned, runStart: runStart, runEnd: MonotonicClock.now())
        result.sessions = stats
        result.processCPUAtStart = cpuAtStart
        result.processWallAtStart = wallAtStart
        result.machineCPUAtStart = machineAtStart
        if anchored { result.runStartUnixNanos = runStartUnixNanos }
        return result
    }
}

/// Hands the loop and its driver to the thread that owns them; ownership moves exactly once (see `LoopBox`).
private final class SessionLoopBox: @unchecked Sendable {
    private let loop: CurlLoop
    private let driver: SessionDriver
    init(loop: CurlLoop, driver: SessionDriver) {
        self.loop = loop
        self.driver = driver
    }
    func take() -> (CurlLoop, SessionDriver) { (loop, driver) }
}
