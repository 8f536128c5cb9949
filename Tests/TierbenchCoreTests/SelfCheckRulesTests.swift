import Testing
import TierbenchCore

/// `SelfCheckRules` on constructed measurements: each rule's limit, from both sides, and what the summary shows.
@Suite("Self-check rules")
struct SelfCheckRulesTests {
    /// `fast` passes of 100 µs lag and `slow` passes of `slowMicros`.
    static func lag(fast: Int, slow: Int, slowMicros: UInt64 = 3_000) -> DurationHistogram {
        var histogram = DurationHistogram()
        for _ in 0..<fast { histogram.record(nanoseconds: 100_000) }
        for _ in 0..<slow { histogram.record(nanoseconds: slowMicros * 1_000) }
        return histogram
    }

    static func measurement(
        lag: DurationHistogram = DurationHistogram(), cpu: Double = 0.2, wall: Double = 1, thread: Double = 0.1,
        cores: Int = 2, mock: HistogramSnapshot? = nil
    ) -> SelfCheckMeasurement {
        SelfCheckMeasurement(
            loopLag: lag, processCPUSeconds: cpu, wallSeconds: wall, busiestLoadThreadCPU: thread,
            coresAvailable: cores, mockScheduleLag: mock)
    }

    @Test("a quiet run is trusted and keeps its figures")
    func quietRunIsTrusted() {
        let check = SelfCheckRules.evaluate(Self.measurement(lag: Self.lag(fast: 200, slow: 0)), itlP50Ms: nil)
        #expect(check.trusted && check.problems.isEmpty)
        #expect(check.loopLagMs?.count == 200 && check.loopLagMs?.p99 == 0.1)
        #expect(check.processCPUCores == 0.2 && check.busiestLoadThreadCPU == 0.1 && check.coresAvailable == 2)
        #expect(check.mockScheduleLagMs == nil)
    }

    @Test("loop lag: more than 1 % of the passes, and at least 3, over 1 ms fail")
    func loopLagLimit() {
        func check(fast: Int, slow: Int) -> SelfCheck {
            SelfCheckRules.evaluate(Self.measurement(lag: Self.lag(fast: fast, slow: slow)), itlP50Ms: nil)
        }
        // 3 of 100 passes at 3 ms: 3 % over the limit.
        let late = check(fast: 97, slow: 3)
        #expect(!late.trusted)
        #expect(late.problems.count == 1)
        #expect(late.problems[0].hasPrefix("loop lag over 1.00 ms in 3 of 100 loop passes (p99 3.00 ms, max 3.00 ms"))
        // Two hiccups are not a client that falls behind, whatever the share.
        #expect(check(fast: 8, slow: 2).trusted)
        // 4 of 404 is 0.99 %: not more than 1 %; 5 of 405 is.
        #expect(check(fast: 400, slow: 4).trusted)
        #expect(!check(fast: 400, slow: 5).trusted)
        // Exactly at the limit is not over it.
        let atLimit = SelfCheckRules.evaluate(
            Self.measurement(lag: Self.lag(fast: 0, slow: 10, slowMicros: 1_000)), itlP50Ms: nil)
        #expect(atLimit.trusted)
    }

    @Test("loop lag limit with streams: 5 % of the ITL p50, between 0.25 ms and 1 ms")
    func loopLagLimitFollowsTheITL() {
        #expect(SelfCheckRules.loopLagLimit(itlP50Ms: nil) == 1)
        #expect(SelfCheckRules.loopLagLimit(itlP50Ms: 20) == 1)
        #expect(SelfCheckRules.loopLagLimit(itlP50Ms: 100) == 1)
        #expect(SelfCheckRules.loopLagLimit(itlP50Ms: 10) == 0.5)
        #expect(SelfCheckRules.loopLagLimit(itlP50Ms: 2) == 0.25)
        let lag = Self.lag(fast: 95, slow: 5, slowMicros: 800)
        #expect(SelfCheckRules.evaluate(Self.measurement(lag: lag), itlP50Ms: nil).trusted)
        let streamed = SelfCheckRules.evaluate(Self.measurement(lag: lag), itlP50Ms: 10)
        #expect(!streamed.trusted && streamed.problems[0].hasPrefix("loop lag over 0.50 ms in 5 of 100 loop passes"))
    }

    @Test("process CPU at 90 % of the cores fails; below passes")
    func processCPULimit() {
        let busy = SelfCheckRules.evaluate(Self.measurement(cpu: 3.6, wall: 2, cores: 2), itlP50Ms: nil)
        #expect(busy.processCPUCores == 1.8)
        #expect(!busy.trusted && busy.problems == [busy.problems[0]] && busy.problems[0].hasPrefix("process CPU 1.80 of 2 cores"))
        let fine = SelfCheckRules.evaluate(Self.measurement(cpu: 3.5, wall: 2, cores: 2), itlP50Ms: nil)
        #expect(fine.trusted && fine.processCPUCores == 1.75)
        let noWall = SelfCheckRules.evaluate(Self.measurement(cpu: 1, wall: 0), itlP50Ms: nil)
        #expect(noWall.processCPUCores == 0 && noWall.trusted)
    }

    @Test("a load thread busy 90 % of a core fails")
    func loadThreadLimit() {
        let saturated = SelfCheckRules.evaluate(Self.measurement(thread: 0.95), itlP50Ms: nil)
        #expect(!saturated.trusted && saturated.problems[0].hasPrefix("busiest load thread 95 % of a core"))
        #expect(SelfCheckRules.evaluate(Self.measurement(thread: 0.85), itlP50Ms: nil).trusted)
    }

    @Test("a saturated thread whose epoll passes finished most of its slots each is pointed at the poll pass")
    func pollPassAdvice() {
        func problem(thread: Double, passes: SelfCheckMeasurement.EpollPassLoad?) -> String? {
            var measurement = Self.measurement(thread: thread)
            measurement.epollPasses = passes
            return SelfCheckRules.evaluate(measurement, itlP50Ms: nil).problems.first
        }
        let fast = problem(thread: 0.99, passes: .init(finishedPerPass: 63.4, slots: 64))
        #expect(fast?.hasSuffix("its loop passes finished 63.40 of 64 transfers each, so the target answers within a "
            + "pass: `http.loop: poll` costs less per request there") == true)
        // Few transfers per pass (a slow target, streams), the poll pass already, or a thread that was not saturated.
        #expect(problem(thread: 0.99, passes: .init(finishedPerPass: 1.5, slots: 64))?.contains("http.loop") == false)
        #expect(problem(thread: 0.99, passes: .init(finishedPerPass: 31.9, slots: 64))?.contains("http.loop") == false)
        #expect(problem(thread: 0.99, passes: .init(finishedPerPass: 2, slots: 2))?.contains("http.loop") == false)
        #expect(problem(thread: 0.99, passes: .init(finishedPerPass: .nan, slots: 64))?.contains("http.loop") == false)
        #expect(problem(thread: 0.99, passes: nil)?.contains("http.loop") == false)
        #expect(problem(thread: 0.5, passes: .init(finishedPerPass: 63.4, slots: 64)) == nil)
    }

    @Test("mock schedule lag: more than 1 % of the writes, and at least 3, over 1 ms fail")
    func mockScheduleLagLimit() throws {
        func snapshot(fast: Int, slow: Int) -> HistogramSnapshot {
            HistogramSnapshot(Self.lag(fast: fast, slow: slow, slowMicros: 5_000).histogram)
        }
        let behind = SelfCheckRules.evaluate(Self.measurement(mock: snapshot(fast: 90, slow: 10)), itlP50Ms: nil)
        #expect(!behind.trusted)
        #expect(behind.problems[0].hasPrefix("mock schedule lag over 1.00 ms in 10 of 100 scheduled writes (p99 5.00 ms"))
        #expect(behind.mockScheduleLagMs?.count == 100)
        let onTime = SelfCheckRules.evaluate(Self.measurement(mock: snapshot(fast: 100, slow: 0)), itlP50Ms: nil)
        #expect(onTime.trusted && onTime.mockScheduleLagMs?.p99 == 0.1)
    }

    @Test("the summary: loop lag also marks the generator as the bottleneck; the console never looks trusted")
    func summaryAndConsole() throws {
        var recorder = MetricsRecorder()
        recorder.record(RequestOutcome(
            index: 0, intendedStart: 0, actualStart: 0, end: 1_000_000, status: 200,
            usage: TokenUsage(prompt: 10, completion: 5)))
        var summary = RunSummary.make(
            recorder: recorder, measuredWindow: MeasuredWindow(warmupEnd: 0, recorder: recorder),
            duration: .seconds(1), scenario: .object([]), startedAt: "2026-12-05T18:00:00.000Z",
            endedAt: "2026-12-05T18:00:01.000Z")
        #expect(!summary.generator.limitedByGenerator)
        summary.applySelfCheck(Self.measurement(lag: Self.lag(fast: 200, slow: 0)))
        #expect(summary.selfCheck?.trusted == true && !summary.generator.limitedByGenerator)
        let trusted = ConsoleSummary.render(summary, color: false)
        #expect(trusted.contains("Self-check  trusted · loop lag p99 0.10 ms"))
        #expect(!trusted.contains("WARNING"))

        // Late wake-ups only (no ready-set lag): untrusted, but the sends have their own rule.
        summary.applySelfCheck(Self.measurement(lag: Self.lag(fast: 90, slow: 10)))
        #expect(summary.selfCheck?.trusted == false && !summary.generator.limitedByGenerator)
        // Late reads without streams: no chunk was stamped, so the generator flag stays off.
        var measurement = Self.measurement(lag: Self.lag(fast: 90, slow: 10))
        measurement.readLag = Self.lag(fast: 45, slow: 15)
        summary.applySelfCheck(measurement)
        #expect(!summary.generator.limitedByGenerator)
        // A streamed run (ITL p50 20 ms → limit 1 ms) whose chunks were stamped late: the generator was the bottleneck.
        summary.itlMs = DurationStats(Self.lag(fast: 0, slow: 10, slowMicros: 20_000))
        summary.applySelfCheck(measurement)
        #expect(summary.selfCheck?.trusted == false && summary.generator.limitedByGenerator)
        #expect(summary.selfCheck?.problems.contains { $0.hasPrefix("chunk stamps late: ready sockets handled over 1.00 ms after epoll_wait returned in 15 of 60 passes") } == true)
        let console = ConsoleSummary.render(summary, color: true)
        #expect(console.contains("WARNING: the self-check failed"))
        #expect(console.contains("NOT trusted"))
        #expect(console.contains("! loop lag over 1.00 ms in 10 of 100 loop passes"))
        #expect(!console.contains("\u{1B}[32m"), "an untrusted run shows nothing in green")
        let decoded = try RunSummary.decode(summary.jsonData())
        #expect(decoded.selfCheck == summary.selfCheck)
    }

    @Test("the generator flag comes only with the self-check's chunk-stamp problem: streamed, ≥ 10 late, > 1 %")
    func generatorFlagAndProblemAgree() {
        let recorder = MetricsRecorder()
        func summary(readLag: DurationHistogram, loopLag: DurationHistogram, itlMs: Double?) -> RunSummary {
            var summary = RunSummary.make(
                recorder: recorder, measuredWindow: MeasuredWindow(warmupEnd: 0, recorder: recorder),
                duration: .seconds(1), scenario: .object([]), startedAt: "2026-12-05T18:00:00.000Z",
                endedAt: "2026-12-05T18:00:01.000Z")
            summary.itlMs = itlMs.map { DurationStats(Self.lag(fast: 0, slow: 5, slowMicros: UInt64($0 * 1_000))) }
            var measurement = Self.measurement(lag: loopLag)
            measurement.readLag = readLag
            summary.applySelfCheck(measurement)
            return summary
        }
        // Read lag too high but hidden in the whole loop lag (many quiet timer passes): before, the flag said
        // "generator limited" while the self-check said trusted. Now both say it.
        let hidden = summary(
            readLag: Self.lag(fast: 100, slow: 12), loopLag: Self.lag(fast: 2_000, slow: 12), itlMs: 20)
        #expect(hidden.generator.limitedByGenerator)
        #expect(hidden.selfCheck?.trusted == false)
        #expect(hidden.selfCheck?.problems.count == 1)
        // Nine late passes: a few preemptions, not a bottleneck (the loop lag rule still reports them).
        let few = summary(readLag: Self.lag(fast: 100, slow: 9), loopLag: Self.lag(fast: 100, slow: 9), itlMs: 20)
        #expect(!few.generator.limitedByGenerator)
        #expect(few.selfCheck?.problems.allSatisfy { !$0.hasPrefix("chunk stamps late") } == true)
        // Not streamed (a closed-loop gate without chunks): never the generator flag, whatever the read lag.
        let plain = summary(readLag: Self.lag(fast: 100, slow: 50), loopLag: Self.lag(fast: 100, slow: 50), itlMs: nil)
        #expect(!plain.generator.limitedByGenerator)
        #expect(plain.selfCheck?.trusted == false)
    }

    @Test("an ITL p50 of 0 (chunks bunched into one read) tightens the loop lag limit to the floor, never relaxes it")
    func zeroITLUsesTheFloor() {
        #expect(SelfCheckRules.loopLagLimit(itlP50Ms: 0) == SelfCheckRules.loopLagFloorMs)
        #expect(SelfCheckRules.loopLagLimit(itlP50Ms: .nan) == SelfCheckRules.loopLagFloorMs)
        // 10 of 100 passes at 0.5 ms: fine without streams (limit 1 ms), too late at the floor (0.25 ms).
        let lag = Self.lag(fast: 90, slow: 10, slowMicros: 500)
        #expect(SelfCheckRules.evaluate(Self.measurement(lag: lag), itlP50Ms: nil).trusted)
        #expect(!SelfCheckRules.evaluate(Self.measurement(lag: lag), itlP50Ms: 0).trusted)
    }

    @Test("a saturated load thread: raise --threads for a closed loop, split the load for the one-thread models")
    func adviceFitsTheLoadModel() {
        var closed = Self.measurement(thread: 0.95)
        closed.threadsSplitLoad = true
        #expect(SelfCheckRules.evaluate(closed, itlP50Ms: nil).problems[0].contains("raise --threads"))
        var open = Self.measurement(thread: 0.95)
        open.threadsSplitLoad = false
        let problem = SelfCheckRules.evaluate(open, itlP50Ms: nil).problems[0]
        #expect(!problem.contains("raise --threads") && problem.contains("--threads cannot help"))
    }

    @Test("nothing succeeded: the console shows no green and the self-check as n/a, not trusted under FAILED")
    func consoleWithoutSuccesses() {
        let recorder = MetricsRecorder()
        var summary = RunSummary.make(
            recorder: recorder, measuredWindow: MeasuredWindow(warmupEnd: 0, recorder: recorder),
            duration: .seconds(1), scenario: .object([]), startedAt: "2026-12-05T18:00:00.000Z",
            endedAt: "2026-12-05T18:00:01.000Z")
        summary.applySelfCheck(Self.measurement(lag: Self.lag(fast: 200, slow: 0)))
        #expect(summary.selfCheck?.trusted == true)
        let console = ConsoleSummary.render(summary, color: true)
        #expect(console.contains("FAILED"))
        #expect(!console.contains("\u{1B}[32m"), "nothing green when nothing succeeded")
        let plain = ConsoleSummary.render(summary, color: false)
        #expect(plain.contains("Self-check  n/a (no request succeeded)"))
        #expect(!plain.contains("trusted ·"))
    }
}
