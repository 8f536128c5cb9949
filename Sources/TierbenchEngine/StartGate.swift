import Foundation
import TierbenchCore

/// Holds a run until `--start-at`, so every shard of a plan starts sending at the same wall-clock instant.
///
/// The wait is bounded (`ShardStartTime.maxAheadNanos`), sleeps in steps of at most `stepNanos` and ends early on
/// the run's interrupt (SIGINT). A start time already more than `tolerance` past is refused: that shard would be
/// out of step with the others.
struct StartGate: Sendable {
    /// The wall clock and the sleep the wait uses; tests inject a simulated pair.
    struct Clock: Sendable {
        var wallNanos: @Sendable () -> Int64
        var sleep: @Sendable (UInt64) async -> Void

        static let system = Clock(
            wallNanos: { Int64(Date().timeIntervalSince1970 * 1e9) },
            sleep: { try? await Task.sleep(nanoseconds: $0) })
    }

    var start: ShardStartTime
    /// How late the run may begin (`--start-tolerance`, default 1 s).
    var tolerance: TimeSpan
    var clock: Clock = .system
    /// The longest single sleep, so an interrupt is noticed quickly.
    static let stepNanos: UInt64 = 50_000_000
    /// The default `--start-tolerance`.
    static let defaultTolerance = TimeSpan(nanoseconds: 1_000_000_000)

    /// Checks, before anything is set up, that the start time has not already passed by more than the tolerance.
    func checkNotTooLate() throws(EngineError) {
        let late = clock.wallNanos() &- start.unixNanos
        if late > tolerance.nanoseconds {
            throw EngineError.runFailed(
                "--start-at \(start.iso8601) was \(Self.seconds(late)) s ago, more than the start tolerance of "
                    + "\(tolerance); nothing was sent. Give a later --start-at (or +10s) or a larger --start-tolerance")
        }
    }

    /// Waits until the start time; returns how late the wake-up was (ns ≥ 0), so the caller can anchor its origin
    /// exactly at the start time.
    /// - Throws: `EngineError.runFailed` when the time is more than the tolerance past, or on an interrupt.
    func wait(stop: StopSignal) async throws(EngineError) -> Int64 {
        try checkNotTooLate()
        while true {
            let remaining = start.unixNanos &- clock.wallNanos()
            if remaining <= 0 { break }
            if stop.isStopped { break }
            await clock.sleep(min(UInt64(remaining), Self.stepNanos))
        }
        if stop.isStopped {
            throw EngineError.runFailed("interrupted while waiting for --start-at \(start.iso8601); nothing was sent")
        }
        let late = clock.wallNanos() &- start.unixNanos
        if late > tolerance.nanoseconds {
            throw EngineError.runFailed(
                "woke \(Self.seconds(late)) s after --start-at \(start.iso8601), more than the start tolerance of "
                    + "\(tolerance); nothing was sent")
        }
        return max(0, late)
    }

    private static func seconds(_ nanos: Int64) -> String {
        String(format: "%.3f", Double(nanos) / 1e9)
    }
}
