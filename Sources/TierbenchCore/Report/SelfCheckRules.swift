import Foundation

/// Which self-check figure says the run's figures cannot be trusted (docs/metrics.md, "Self-check"). Pure: the
/// engine measures (``SelfCheckMeasurement``), these rules judge, and each problem is one sentence naming the figure,
/// its limit and the fix.
public enum SelfCheckRules {
    /// Loop lag limit (ms) without a stream to compare with, and the highest it ever is.
    public static let loopLagLimitMs = 1.0
    /// With streams the limit is 5 % of the ITL p50 when that is lower, but never below this (ms).
    public static let loopLagFloorMs = 0.25
    /// Share of the ITL p50 the loop lag p99 may reach.
    public static let loopLagShareOfITL = 0.05
    /// A lag figure fails when more than this share of its values is over the limit …
    public static let lateShare = 0.01
    /// … and at least this many are: one or two hiccups in a short run are not a client that falls behind.
    public static let minimumLate = 3
    /// The process may use at most this share of the available cores.
    public static let processCPUShare = 0.9
    /// The busiest load thread may be busy at most this share of one core.
    public static let loadThreadCPUShare = 0.9
    /// The ready-set lag (chunks stamped late) marks the generator as the bottleneck only with at least this many
    /// late passes: the exit code 4 of `fail_on_generator_bottleneck` must not come from a few preemptions.
    public static let generatorMinimumLate = 10
    /// The whole machine may be busy at most this share of its CPU time over the run.
    public static let machineCPUShare = 0.9
    /// Mock schedule lag limit (ms) per scheduled write.
    public static let mockScheduleLagLimitMs = 1.0

    /// The loop lag limit (ms) for a run whose inter-token latency p50 is `itlP50Ms` (nil: not streamed).
    public static func loopLagLimit(itlP50Ms: Double?) -> Double {
        guard let itl = itlP50Ms else { return loopLagLimitMs }
        // An ITL p50 of 0 (chunks bunched into one read) or a broken figure tightens the limit to the floor, never
        // relaxes it.
        guard itl.isFinite, itl > 0 else { return loopLagFloorMs }
        return min(loopLagLimitMs, max(loopLagFloorMs, loopLagShareOfITL * itl))
    }

    /// How many values of `distribution` are over `limitMs` (to the histogram's 0.1 % resolution).
    public static func countOver(_ limitMs: Double, in distribution: DurationHistogram) -> Int {
        guard distribution.count > 0 else { return 0 }
        let limitMicros = UInt64(max(0, limitMs * 1_000))
        let top = max(distribution.histogram.max, limitMicros &+ 1)
        let over = distribution.histogram.highestEquivalentForValue(limitMicros) &+ 1
        return over > top ? 0 : Int(clamping: distribution.histogram.count(within: over...top))
    }

    /// Whether more than `lateShare` of `distribution`'s values, and at least `minimumLate`, are over `limitMs`.
    public static func tooLate(_ distribution: DurationHistogram, limitMs: Double) -> Bool {
        let late = countOver(limitMs, in: distribution)
        return late >= minimumLate && Double(late) > lateShare * Double(distribution.count)
    }

    /// Whether a loop lag distribution is too high: more than 1 % of the passes, and at least 3, over
    /// `loopLagLimit(itlP50Ms:)`. It fails the self-check.
    public static func loopLagTooHigh(_ lag: DurationHistogram, itlP50Ms: Double?) -> Bool {
        tooLate(lag, limitMs: loopLagLimit(itlP50Ms: itlP50Ms))
    }

    /// Whether a streamed run's chunks were stamped late: of the passes that read sockets, more than 1 % and at least
    /// `generatorMinimumLate` handled them more than `loopLagLimit(itlP50Ms:)` after `epoll_wait` returned. Only for a
    /// run that streamed (`itlP50Ms` not nil): without chunks there is no stamp to be late. This problem is the one
    /// that makes `generator.limited_by_generator` true (``RunSummary/applySelfCheck(_:)``).
    public static func chunkStampsLate(_ readLag: DurationHistogram, itlP50Ms: Double?) -> Bool {
        guard itlP50Ms != nil else { return false }
        let limit = loopLagLimit(itlP50Ms: itlP50Ms)
        let late = countOver(limit, in: readLag)
        return late >= generatorMinimumLate && Double(late) > lateShare * Double(readLag.count)
    }

    /// The start of the problem sentence of ``chunkStampsLate(_:itlP50Ms:)``.
    public static let chunkStampsProblemPrefix = "chunk stamps late"

    /// Judges `measurement`; `itlP50Ms` is the run's inter-token latency p50 (nil without streams).
    public static func evaluate(_ measurement: SelfCheckMeasurement, itlP50Ms: Double?) -> SelfCheck {
        let lag = measurement.loopLag.count > 0 ? DurationStats(measurement.loopLag) : nil
        let mockHistogram = measurement.mockScheduleLag.flatMap { snapshot -> DurationHistogram? in
            guard let histogram = try? snapshot.makeHistogram(), histogram.totalCount > 0 else { return nil }
            return DurationHistogram(histogram: histogram)
        }
        let mockLag = mockHistogram.map { DurationStats($0) }
        let cores = max(1, measurement.coresAvailable)
        let processCores = rounded(measurement.processCPUCores)
        let busiest = rounded(min(max(measurement.busiestLoadThreadCPU.isFinite ? measurement.busiestLoadThreadCPU : 0, 0), 1))
        var problems: [String] = []
        if let lag, loopLagTooHigh(measurement.loopLag, itlP50Ms: itlP50Ms) {
            let limit = loopLagLimit(itlP50Ms: itlP50Ms)
            let late = countOver(limit, in: measurement.loopLag)
            problems.append(
                "loop lag over \(ms(limit)) ms in \(late) of \(lag.count) loop passes (p99 \(ms(lag.p99)) ms, max "
                    + "\(ms(lag.max)) ms; limit 1 %): tierbench's event loop handled ready sockets and timers late, so "
                    + "chunk times and sends are late by up to that much; " + splitAdvice(measurement))
        }
        if chunkStampsLate(measurement.readLag, itlP50Ms: itlP50Ms) {
            let limit = loopLagLimit(itlP50Ms: itlP50Ms)
            let late = countOver(limit, in: measurement.readLag)
            let read = DurationStats(measurement.readLag)
            problems.append(
                "\(chunkStampsProblemPrefix): ready sockets handled over \(ms(limit)) ms after epoll_wait returned in "
                    + "\(late) of \(read.count) passes that read them (p99 \(ms(read.p99)) ms; limit 1 % and at least "
                    + "\(generatorMinimumLate)): the load generator was the bottleneck (generator.limited_by_generator); "
                    + splitAdvice(measurement))
        }
        if processCores >= processCPUShare * Double(cores) {
            problems.append(
                "process CPU \(fixed(processCores)) of \(cores) cores (limit \(Int(processCPUShare * 100)) %): the "
                    + "machine was saturated by tierbench itself, so its timing is suspect; run the target (or "
                    + "`tierbench mock`) in another process or machine, or lower the load")
        }
        if busiest >= loadThreadCPUShare {
            problems.append(
                "busiest load thread \(Int((busiest * 100).rounded())) % of a core (limit "
                    + "\(Int(loadThreadCPUShare * 100)) %): a load thread was saturated; " + splitAdvice(measurement)
                    + pollPassAdvice(measurement))
        }
        let machine = measurement.machineCPUBusy.flatMap { $0.isFinite ? rounded(min(max($0, 0), 1)) : nil }
        if let machine, machine >= machineCPUShare {
            problems.append(
                "machine CPU \(Int((machine * 100).rounded())) % busy over the run (limit "
                    + "\(Int(machineCPUShare * 100)) %): other processes on this machine (a target or `tierbench "
                    + "mock` in another process, other jobs) competed with tierbench for the cores, so its wake-ups "
                    + "and timestamps are suspect; run them on separate machines or lower the load")
        }
        if let mockHistogram, let mockLag, tooLate(mockHistogram, limitMs: mockScheduleLagLimitMs) {
            let late = countOver(mockScheduleLagLimitMs, in: mockHistogram)
            problems.append(
                "mock schedule lag over \(ms(mockScheduleLagLimitMs)) ms in \(late) of \(mockLag.count) scheduled "
                    + "writes (p99 \(ms(mockLag.p99)) ms, max \(ms(mockLag.max)) ms; limit 1 %): the in-process mock "
                    + "fell behind its own schedule, so TTFT and ITL describe the mock, not the target; run "
                    + "`tierbench mock` in another process or lower the load")
        }
        return SelfCheck(
            trusted: problems.isEmpty, problems: problems, loopLagMs: lag, processCPUCores: processCores,
            busiestLoadThreadCPU: busiest, coresAvailable: cores, mockScheduleLagMs: mockLag,
            machineCPUBusy: machine)
    }

    /// What to do about a saturated or late load thread, for the run's load model.
    private static func splitAdvice(_ measurement: SelfCheckMeasurement) -> String {
        measurement.threadsSplitLoad
            ? "raise --threads, use fewer workers per process or a less loaded machine"
            : "this load model runs on one load thread, so --threads cannot help: lower the rate or split it over "
                + "processes or machines (--shard, docs/distributed.md), or use a less loaded machine"
    }

    /// The poll pass's case, when the busiest thread's epoll passes finished most of its slots each.
    private static func pollPassAdvice(_ measurement: SelfCheckMeasurement) -> String {
        guard let load = measurement.epollPasses, load.suitsPollPass else { return "" }
        return "; its loop passes finished \(fixed(load.finishedPerPass)) of \(load.slots) transfers each, so the "
            + "target answers within a pass: `http.loop: poll` costs less per request there"
    }

    private static func rounded(_ value: Double) -> Double { value.isFinite ? (value * 1_000).rounded() / 1_000 : 0 }
    private static func ms(_ value: Double) -> String { String(format: "%.2f", value) }
    private static func fixed(_ value: Double) -> String { String(format: "%.2f", value) }
}
