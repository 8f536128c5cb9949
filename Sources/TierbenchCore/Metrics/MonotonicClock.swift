#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Nanoseconds on the monotonic clock: the one time base for scheduling sends and measuring latency.
/// Wall-clock time is used only to label results, never to measure.
public enum MonotonicClock {
    /// The current monotonic time in nanoseconds (arbitrary origin, never goes backwards).
    @inline(__always)
    public static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }
}
