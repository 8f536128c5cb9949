import Foundation
import TierbenchCore
import TierbenchMock

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The self-check's measurements of tierbench itself (docs/metrics.md, "Self-check"): the process's CPU time over
/// the run, each load thread's CPU time, the cores available. The rules that judge them are `SelfCheckRules`.
enum SelfCheckProbe {
    /// CPU time (user + system) of the whole process so far, in seconds (`getrusage(RUSAGE_SELF)`).
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// The whole machine's CPU counters now (`/proc/stat`); nil where the file cannot be read (not Linux).
    static func machineCPUTimes() -> MachineCPUTimes? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
        return MachineCPUTimes.parse(procStat: text)
    }

    /// Cores this process may run on (its CPU affinity on Linux), at least 1.
    static var coresAvailable: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// A thread's CPU share of one core between two readings: CPU ns ÷ wall ns, clamped to 0 … 1.
    static func share(cpuNanos: UInt64, wallNanos: UInt64) -> Double {
        guard wallNanos > 0 else { return 0 }
        return min(1, Double(cpuNanos) / Double(wallNanos))
    }

    /// The self-check's figures of a finished load run; `mockStats` from the in-process mock, if any.
    static func measurement(_ result: LoadRunner.Result, mockStats: MockStats?) -> SelfCheckMeasurement {
        var measurement = SelfCheckMeasurement(
            loopLag: result.loopLag, readLag: result.readLag, processCPUSeconds: result.processCPUSeconds,
            wallSeconds: result.processWallSeconds, busiestLoadThreadCPU: result.busiestLoadThreadCPU,
            coresAvailable: coresAvailable, mockScheduleLag: mockStats?.scheduleLag)
        measurement.threadsSplitLoad = result.threadsSplitLoad
        measurement.epollPasses = result.epollPasses
        if let start = result.machineCPUAtStart, let end = result.machineCPUAtEnd {
            measurement.machineCPUBusy = MachineCPUTimes.busyShare(from: start, to: end)
        }
        return measurement
    }
}
